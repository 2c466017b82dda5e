// SPDX-License-Identifier: MIT
#include "optiontable.h"

#include <QTest>

using namespace Reservo;
using Env = QMap<QString, QString>;

namespace {
struct Toy
{
    int port{};
    QString name;
    double rate{};
    bool verbose = false;
    QString mode;
    QStringList files;
    int untouched = 42; // no default in the table: its own value stands
};
using Read = OptionReaders<Toy>;

bool readMode(Toy &toy, const QString &text, QString &why)
{
    qsizetype index = 0;
    if (!ValueReaders::choice(text, {"slow", "fast"}, index, why))
        return false;
    toy.mode = text;
    if (text == QLatin1String("fast"))
        toy.rate = 9; // a preset: flags read later override it
    return true;
}

const OptionTable<Toy> &table()
{
    static const OptionTable<Toy> table(
        {"Usage: %1\n\n", "Environment only:"},
        {
            {{.env = "PORT", .flag = "port", .valueName = "N", .defaultValue = "3000"},
             Read::integer(&Toy::port, 0, 65535)},
            {{.env = "NAME", .valueName = "TEXT", .defaultValue = "toy"}, Read::text(&Toy::name)},
            {{.flag = "rate", .valueName = "N", .defaultValue = "1.5"},
             Read::number(&Toy::rate, 0, 10)},
            {{.flag = "verbose", .kind = OptionKind::Switch}, Read::switchOn(&Toy::verbose)},
            {{.flag = "mode",
              .valueName = "NAME",
              .defaultValue = "slow",
              .kind = OptionKind::Preset},
             readMode},
            {{.flag = "files", .valueName = "FILE...", .kind = OptionKind::Rest},
             Read::list(&Toy::files, u'\n')},
        },
        [](Toy &toy) {
            return toy.port == 1 ? QStringLiteral("--port 1 is reserved") : QString();
        });
    return table;
}

OptionResult<Toy> read(const QByteArray &dotEnv, const Env &environment, const QStringList &flags)
{
    return table().read({environment, dotEnv, QStringList{"toy"} + flags});
}

// The toy as text, so that one column can check any field.
QString field(const Toy &toy, const QString &name)
{
    const QMap<QString, QString> fields{
        {"port", QString::number(toy.port)},
        {"name", toy.name},
        {"rate", QString::number(toy.rate)},
        {"verbose", toy.verbose ? "true" : "false"},
        {"mode", toy.mode},
        {"files", toy.files.join(u'|')},
        {"untouched", QString::number(toy.untouched)},
    };
    return fields.value(name, QStringLiteral("<no such field>"));
}
} // namespace

// Reading a table's options: defaults < ./.env < environment < presets < flags, what reads each
// source, and the one line that names the value at fault.
class tst_OptionTable : public QObject
{
    Q_OBJECT
private slots:
    void precedence_data();
    void precedence();
    void errors_data();
    void errors();
    void help();
    void flagOnlyTableIgnoresDotEnv();
};

void tst_OptionTable::precedence_data()
{
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<Env>("environment");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    const QByteArray file("PORT=4000\nNAME=file\n");
    const Env env{{"PORT", "5000"}};
    QTest::newRow("default") << QByteArray() << Env() << QStringList() << "port"
                             << "3000";
    QTest::newRow(".env over default") << file << Env() << QStringList() << "port"
                                       << "4000";
    QTest::newRow("environment over .env") << file << env << QStringList() << "port"
                                           << "5000";
    QTest::newRow("flag over all") << file << env << QStringList{"--port", "6000"} << "port"
                                   << "6000";
    QTest::newRow("last flag wins")
        << QByteArray() << Env() << QStringList{"--port=1", "--port=7"} << "port"
        << "7";
    QTest::newRow("environment only, from .env") << file << env << QStringList() << "name"
                                                 << "file";
    QTest::newRow("environment only, from environment")
        << file << Env{{"NAME", "env"}} << QStringList() << "name"
        << "env";
    QTest::newRow("flag only: not from the environment")
        << QByteArray("RATE=3\n") << Env{{"RATE", "4"}} << QStringList() << "rate"
        << "1.5";
    QTest::newRow("unrelated variables")
        << QByteArray("OTHER=x\n") << Env{{"HOME", "/"}} << QStringList() << "port"
        << "3000";
    QTest::newRow("switch") << QByteArray() << Env() << QStringList{"--verbose"} << "verbose"
                            << "true";
    QTest::newRow("switch not given") << QByteArray() << Env() << QStringList() << "verbose"
                                      << "false";
    QTest::newRow("preset") << QByteArray() << Env() << QStringList{"--mode", "fast"} << "rate"
                            << "9";
    QTest::newRow("flag over preset, after it")
        << QByteArray() << Env() << QStringList{"--mode", "fast", "--rate", "2"} << "rate"
        << "2";
    QTest::newRow("flag over preset, before it")
        << QByteArray() << Env() << QStringList{"--rate", "2", "--mode=fast"} << "rate"
        << "2";
    QTest::newRow("rest") << QByteArray() << Env() << QStringList{"--files", "a", "--verbose"}
                          << "files"
                          << "a|--verbose";
    QTest::newRow("rest leaves later flags alone")
        << QByteArray() << Env() << QStringList{"--files", "a", "--verbose"} << "verbose"
        << "false";
    QTest::newRow("no default: own value") << QByteArray() << Env() << QStringList() << "untouched"
                                           << "42";
}

void tst_OptionTable::precedence()
{
    QFETCH(QByteArray, dotEnv);
    QFETCH(Env, environment);
    QFETCH(QStringList, flags);
    QFETCH(QString, name);
    QFETCH(QString, value);
    const OptionResult<Toy> result = read(dotEnv, environment, flags);
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(field(*result.options, name), value);
    QVERIFY(!result.helpRequested);
}

void tst_OptionTable::errors_data()
{
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<Env>("environment");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("error");
    const QString port = QStringLiteral("expected a whole number from 0 to 65535");
    QTest::newRow("environment") << QByteArray() << Env{{"PORT", "x"}} << QStringList()
                                 << "invalid PORT=x (from environment): " + port;
    QTest::newRow(".env") << QByteArray("PORT=-1") << Env() << QStringList()
                          << "invalid PORT=-1 (from .env): " + port;
    QTest::newRow("flag of a variable") << QByteArray() << Env() << QStringList{"--port", "x"}
                                        << "invalid PORT=x (from --port): " + port;
    QTest::newRow("flag only") << QByteArray() << Env() << QStringList{"--rate", "11"}
                               << "invalid --rate '11': expected a number from 0 to 10";
    QTest::newRow("preset") << QByteArray() << Env() << QStringList{"--mode", "warp"}
                            << "invalid --mode 'warp': expected slow or fast";
    QTest::newRow(".env first") << QByteArray("PORT=a") << Env{{"PORT", "b"}} << QStringList()
                                << "invalid PORT=a (from .env): " + port;
    QTest::newRow(".env syntax") << QByteArray("PORT") << Env() << QStringList()
                                 << ".env line 1: expected KEY=VALUE";
    QTest::newRow("command line before values")
        << QByteArray() << Env{{"PORT", "x"}} << QStringList{"--bogus"}
        << "unknown option --bogus (see --help)";
    QTest::newRow("the program's check")
        << QByteArray() << Env() << QStringList{"--port", "1"} << "--port 1 is reserved";
    QTest::newRow("multi-line value stays one line")
        << QByteArray() << Env{{"PORT", "1\n2"}} << QStringList()
        << "invalid PORT=1\\n2 (from environment): " + port;
}

void tst_OptionTable::errors()
{
    QFETCH(QByteArray, dotEnv);
    QFETCH(Env, environment);
    QFETCH(QStringList, flags);
    QFETCH(QString, error);
    const OptionResult<Toy> result = read(dotEnv, environment, flags);
    QVERIFY(!result.options);
    QCOMPARE(result.error, error);
}

void tst_OptionTable::help()
{
    const OptionResult<Toy> result = read({}, {}, {"--rate", "3", "--help"});
    QVERIFY(result.helpRequested);
    QVERIFY2(result.options, qPrintable(result.error)); // the other flags are still read
    QCOMPARE(result.options->rate, 3.0);
    QVERIFY(read({}, {}, {"--port", "x", "-h"}).helpRequested);
    const QString text = table().helpText("toy");
    QVERIFY2(text.startsWith(QLatin1String("Usage: toy\n\n  --port N")), qPrintable(text));
    QVERIFY2(text.contains(QLatin1String("\nEnvironment only:\n  NAME=TEXT")), qPrintable(text));
}

void tst_OptionTable::flagOnlyTableIgnoresDotEnv()
{
    struct Flags
    {
        int n = 0;
    };
    const OptionTable<Flags> flagsOnly(
        {"%1", {}},
        {{{.flag = "n", .valueName = "N"}, OptionReaders<Flags>::integer(&Flags::n, 0, 9)}});
    const OptionResult<Flags> result =
        flagsOnly.read({{{"N", "5"}}, "not an .env file", {"program", "--n", "3"}});
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(result.options->n, 3);
}

QTEST_GUILESS_MAIN(tst_OptionTable)
#include "tst_optiontable.moc"
