// SPDX-License-Identifier: MIT
#include "commandline.h"

#include <QTest>

using namespace Reservo;

namespace {
const QList<OptionSpec> &specs()
{
    static const QList<OptionSpec> list{
        {.env = "PORT", .flag = "port", .valueName = "N"},                       // 0
        {.flag = "json", .kind = OptionKind::Switch},                            // 1
        {.flag = "scenario", .valueName = "NAME", .kind = OptionKind::Preset},   // 2
        {.flag = "summarize", .valueName = "FILE...", .kind = OptionKind::Rest}, // 3
        {.env = "SECRET", .valueName = "TEXT"}, // 4: environment only
    };
    return list;
}

// The flags as "index=text" words, so that one column holds them all.
QStringList given(const CommandLine &commandLine)
{
    QStringList out;
    for (const CommandLine::Flag &flag : commandLine.flags())
        out << QStringLiteral("%1=%2").arg(flag.option).arg(flag.text);
    return out;
}
} // namespace

// Splitting a command line into an option table's flags: value forms, switches, the rest of the
// line, --help, and a one-line refusal naming the argument at fault.
class tst_CommandLine : public QObject
{
    Q_OBJECT
private slots:
    void parse_data();
    void parse();
};

void tst_CommandLine::parse_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("flags"); // "option=text" in order
    QTest::addColumn<bool>("help");
    QTest::addColumn<QString>("error");
    QTest::newRow("nothing") << QStringList{} << QStringList{} << false << "";
    QTest::newRow("value next") << QStringList{"--port", "80"} << QStringList{"0=80"} << false
                                << "";
    QTest::newRow("value after =")
        << QStringList{"--port=80"} << QStringList{"0=80"} << false << "";
    QTest::newRow("empty after =") << QStringList{"--port="} << QStringList{"0="} << false << "";
    QTest::newRow("value like a flag")
        << QStringList{"--port", "--json"} << QStringList{"0=--json"} << false << "";
    QTest::newRow("in order") << QStringList{"--port", "1", "--json", "--port=2"}
                              << QStringList{"0=1", "1=", "0=2"} << false << "";
    QTest::newRow("preset where it stands") << QStringList{"--port", "1", "--scenario", "x"}
                                            << QStringList{"0=1", "2=x"} << false << "";
    QTest::newRow("rest") << QStringList{"--summarize", "a", "--json", "b"}
                          << QStringList{"3=a\n--json\nb"} << false << "";
    QTest::newRow("rest after =") << QStringList{"--summarize=a", "b"} << QStringList{"3=a\nb"}
                                  << false << "";
    QTest::newRow("rest of nothing")
        << QStringList{"--summarize"} << QStringList{"3="} << false << "";
    QTest::newRow("help") << QStringList{"--help"} << QStringList{} << true << "";
    QTest::newRow("-h among flags")
        << QStringList{"--port", "1", "-h"} << QStringList{"0=1"} << true << "";
    QTest::newRow("unknown") << QStringList{"--bogus", "1"} << QStringList{} << false
                             << "unknown option --bogus (see --help)";
    QTest::newRow("unknown with =") << QStringList{"--bogus=1"} << QStringList{} << false
                                    << "unknown option --bogus (see --help)";
    QTest::newRow("environment only") << QStringList{"--secret", "x"} << QStringList{} << false
                                      << "unknown option --secret (see --help)";
    QTest::newRow("positional") << QStringList{"fast"} << QStringList{} << false
                                << "unexpected argument 'fast' (see --help)";
    QTest::newRow("single dash") << QStringList{"-port", "1"} << QStringList{} << false
                                 << "unexpected argument '-port' (see --help)";
    QTest::newRow("missing value") << QStringList{"--json", "--port"} << QStringList{"1="} << false
                                   << "--port needs a value (see --help)";
    QTest::newRow("switch with value")
        << QStringList{"--json=yes"} << QStringList{} << false << "--json takes no value";
    QTest::newRow("help, then an error") << QStringList{"--help", "--bogus"} << QStringList{}
                                         << true << "unknown option --bogus (see --help)";
}

void tst_CommandLine::parse()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, flags);
    QFETCH(bool, help);
    QFETCH(QString, error);
    CommandLine commandLine(specs());
    QCOMPARE(commandLine.parse(QStringList{"program"} + arguments), error.isEmpty());
    QCOMPARE(commandLine.errorString(), error);
    QCOMPARE(commandLine.helpRequested(), help);
    QCOMPARE(given(commandLine), flags);
}

QTEST_GUILESS_MAIN(tst_CommandLine)
#include "tst_commandline.moc"
