// SPDX-License-Identifier: MIT
#include "config.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

using namespace Reservo;

namespace {
const ConfigOption *optionNamed(const QString &env)
{
    for (const ConfigOption &option : ConfigLoader::options()) {
        if (option.env == env)
            return &option;
    }
    return nullptr;
}
} // namespace

// What reservo-ws tells of its settings, --help and README's table, against its option table.
class tst_ConfigDocs : public QObject
{
    Q_OBJECT
private slots:
    void helpLines_data();
    void helpLines();
    void readmeTable();
};

void tst_ConfigDocs::helpLines_data()
{
    QTest::addColumn<QString>("env");
    for (const ConfigOption &option : ConfigLoader::options())
        QTest::newRow(qPrintable(option.env)) << option.env;
}

// Each setting's --help entry ends its last line with "(default X) [NAME]" (or "(default: ...)"),
// and an environment-only one fits "  NAME=VALUES ... (default X)" on one line: the Debian
// package's environment file is checked against --help that way (tests/deploy).
void tst_ConfigDocs::helpLines()
{
    QFETCH(QString, env);
    const ConfigOption *option = optionNamed(env);
    const QStringList lines = ConfigLoader::table().helpText("reservo-ws").split(u'\n');
    static const QRegularExpression flagLine(
        QStringLiteral(R"(\(default(:)? ([^),]+)[^)]*\) \[([A-Z_]+)\]$)"));
    static const QRegularExpression envOnlyLine(
        QStringLiteral(R"(^ {2}([A-Z_]+)=\S+ .*\(default (\w+))"));
    const QRegularExpression &pattern = option->flag.isEmpty() ? envOnlyLine : flagLine;
    QStringList found;
    for (const QString &line : lines) {
        const QRegularExpressionMatch m = pattern.match(line);
        if (m.hasMatch() && m.captured(option->flag.isEmpty() ? 1 : 3) == env)
            found << (option->flag.isEmpty() || m.captured(1).isEmpty() ? m.captured(2)
                                                                        : QString());
    }
    QCOMPARE(found.size(), 1);
    if (!option->defaultValue.isEmpty())
        QCOMPARE(found.first(), option->defaultValue);
    QVERIFY(option->flag.isEmpty() || lines.filter("  --" + option->flag + ' ').size() == 1);
    for (const QString &line : lines)
        QVERIFY2(line.size() <= 100 || line.endsWith(']'), qPrintable(line));
}

// README's configuration table has one row per setting, with its flag and default.
void tst_ConfigDocs::readmeTable()
{
    QFile readme(QStringLiteral(RESERVO_README));
    QVERIFY2(readme.open(QIODevice::ReadOnly), qPrintable(readme.fileName()));
    static const QRegularExpression row(
        QStringLiteral(R"(^\| `([A-Z_]+)` \| (`--[a-z-]+`|environment only) \| ([^|]+) \|)"));
    QMap<QString, std::pair<QString, QString>> rows; // flag column and default column, by variable
    for (const QString &line : QString::fromUtf8(readme.readAll()).split(u'\n')) {
        const QRegularExpressionMatch m = row.match(line);
        if (m.hasMatch())
            rows.insert(m.captured(1), {m.captured(2), m.captured(3).trimmed()});
    }
    for (const ConfigOption &option : ConfigLoader::options()) {
        QVERIFY2(rows.contains(option.env), qPrintable(option.env));
        const auto [flag, byDefault] = rows.take(option.env);
        QCOMPARE(flag, option.flag.isEmpty() ? QStringLiteral("environment only")
                                             : "`--" + option.flag + '`');
        if (!option.defaultValue.isEmpty())
            QCOMPARE(byDefault, '`' + option.defaultValue + '`');
    }
    QVERIFY2(rows.isEmpty(), qPrintable(rows.keys().join(u' '))); // no row for a setting gone
}

QTEST_GUILESS_MAIN(tst_ConfigDocs)
#include "tst_configdocs.moc"
