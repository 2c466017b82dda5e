// SPDX-License-Identifier: MIT
#include "simoptions.h"

#include <QRegularExpression>
#include <QTest>
#include <algorithm>

using namespace Reservo;

namespace {
using Env = QMap<QString, QString>;

OptionResult<SimOptions> parse(const Env &environment, const QByteArray &dotEnv,
                               const QStringList &flags)
{
    return SimOptionsParser::table().read(
        {environment, dotEnv, QStringList{QStringLiteral("reservo-events-sim")} + flags});
}

// The options as text, so one table can check any field.
QString field(const SimOptions &o, const QString &name)
{
    const QMap<QString, QString> fields{
        {"events", QString::number(o.catalogue.events)},
        {"seats", QString::number(o.catalogue.seatsPerEvent)},
        {"seed", QString::number(o.catalogue.seed)},
        {"initial-occupied", QString::number(o.catalogue.initialOccupiedPercent)},
        {"rate", QString::number(o.rate)},
        {"count", QString::number(o.count)},
        {"duration", QString::number(o.durationS)},
        {"reply-delay", QString::number(o.replyDelayMs)},
        {"print-events", o.printEvents ? "true" : "false"},
        {"nats-server", o.natsServers.join(u',')},
    };
    return fields.value(name, QStringLiteral("<no such field>"));
}
} // namespace

// reservo-events-sim's flags and NATS_SERVER: defaults, valid values, and one-line errors.
class tst_SimOptions : public QObject
{
    Q_OBJECT

private slots:
    void defaults_data();
    void defaults();
    void valid_data();
    void valid();
    void invalid_data();
    void invalid();
    void natsServerPrecedence_data();
    void natsServerPrecedence();
    void help();
};

void tst_SimOptions::defaults_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    const QMap<QString, QString> expected{
        {"events", "3"},
        {"seats", "15"},
        {"seed", "1"},
        {"initial-occupied", "0"},
        {"rate", "2"},
        {"count", "-1"},
        {"duration", "0"},
        {"reply-delay", "0"},
        {"print-events", "false"},
        {"nats-server", "nats://127.0.0.1:4222"},
    };
    for (const Option<SimOptions> &option : SimOptionsParser::table().options())
        QTest::newRow(qPrintable(option.flag)) << option.flag << expected.value(option.flag, "?");
}

void tst_SimOptions::defaults()
{
    QFETCH(QString, name);
    QFETCH(QString, value);

    const OptionResult<SimOptions> result = parse({}, {}, {});
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(field(*result.options, name), value);
    QVERIFY(!result.helpRequested);
    const auto &options = SimOptionsParser::table().options();
    const auto option = std::find_if(options.cbegin(), options.cend(),
                                     [&](const Option<SimOptions> &o) { return o.flag == name; });
    if (!option->defaultValue.isEmpty()) // --help shows the default the table reads
        QCOMPARE(option->defaultValue, value);
}

void tst_SimOptions::valid_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");

    QTest::newRow("events") << QStringList{"--events", "7"} << "events"
                            << "7";
    QTest::newRow("events=") << QStringList{"--events=12"} << "events"
                             << "12";
    QTest::newRow("seats") << QStringList{"--seats", "500"} << "seats"
                           << "500";
    QTest::newRow("one seat") << QStringList{"--seats", "1"} << "seats"
                              << "1";
    QTest::newRow("seed 0") << QStringList{"--seed", "0"} << "seed"
                            << "0";
    QTest::newRow("max seed") << QStringList{"--seed", "4294967295"} << "seed"
                              << "4294967295";
    QTest::newRow("occupied") << QStringList{"--initial-occupied", "100"} << "initial-occupied"
                              << "100";
    QTest::newRow("rate 0") << QStringList{"--rate", "0"} << "rate"
                            << "0";
    QTest::newRow("fractional rate") << QStringList{"--rate", "0.5"} << "rate"
                                     << "0.5";
    QTest::newRow("rate 50000") << QStringList{"--rate", "50000"} << "rate"
                                << "50000";
    QTest::newRow("count") << QStringList{"--count", "100"} << "count"
                           << "100";
    QTest::newRow("count 0") << QStringList{"--count", "0"} << "count"
                             << "0";
    QTest::newRow("duration") << QStringList{"--duration", "1.5"} << "duration"
                              << "1.5";
    QTest::newRow("reply delay") << QStringList{"--reply-delay", "250"} << "reply-delay"
                                 << "250";
    QTest::newRow("print") << QStringList{"--print-events"} << "print-events"
                           << "true";
    QTest::newRow("nats flag") << QStringList{"--nats-server", "nats://10.0.0.1:4333"}
                               << "nats-server"
                               << "nats://10.0.0.1:4333";
    QTest::newRow("bare host:port") << QStringList{"--nats-server=localhost:5222"} << "nats-server"
                                    << "nats://localhost:5222";
    QTest::newRow("last flag wins") << QStringList{"--rate", "3", "--rate", "4"} << "rate"
                                    << "4";
    QTest::newRow("others untouched") << QStringList{"--rate", "9"} << "events"
                                      << "3";
}

void tst_SimOptions::valid()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, name);
    QFETCH(QString, value);

    const OptionResult<SimOptions> result = parse({}, {}, flags);
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(field(*result.options, name), value);
}

void tst_SimOptions::invalid_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<Env>("environment");
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<QString>("named"); // the error must name this

    const Env none;
    QTest::newRow("negative rate")
        << QStringList{"--rate", "-1"} << none << QByteArray() << "--rate";
    QTest::newRow("rate not a number")
        << QStringList{"--rate", "fast"} << none << QByteArray() << "--rate";
    QTest::newRow("rate inf") << QStringList{"--rate", "inf"} << none << QByteArray() << "--rate";
    QTest::newRow("zero events") << QStringList{"--events", "0"} << none << QByteArray()
                                 << "--events";
    QTest::newRow("fractional events")
        << QStringList{"--events", "2.5"} << none << QByteArray() << "--events";
    QTest::newRow("zero seats") << QStringList{"--seats", "0"} << none << QByteArray() << "--seats";
    QTest::newRow("too many seats") << QStringList{"--events", "1000", "--seats", "100000"} << none
                                    << QByteArray() << "--seats";
    QTest::newRow("negative seed")
        << QStringList{"--seed", "-1"} << none << QByteArray() << "--seed";
    QTest::newRow("seed overflow")
        << QStringList{"--seed", "4294967296"} << none << QByteArray() << "--seed";
    QTest::newRow("occupied > 100")
        << QStringList{"--initial-occupied", "101"} << none << QByteArray() << "--initial-occupied";
    QTest::newRow("negative count")
        << QStringList{"--count", "-5"} << none << QByteArray() << "--count";
    QTest::newRow("zero duration")
        << QStringList{"--duration", "0"} << none << QByteArray() << "--duration";
    QTest::newRow("negative delay")
        << QStringList{"--reply-delay", "-1"} << none << QByteArray() << "--reply-delay";
    QTest::newRow("missing value") << QStringList{"--events"} << none << QByteArray() << "--events";
    QTest::newRow("switch with value")
        << QStringList{"--print-events=yes"} << none << QByteArray() << "--print-events";
    QTest::newRow("unknown flag") << QStringList{"--speed", "3"} << none << QByteArray()
                                  << "--speed";
    QTest::newRow("positional") << QStringList{"fast"} << none << QByteArray() << "fast";
    QTest::newRow("bad nats flag")
        << QStringList{"--nats-server", "http://x"} << none << QByteArray() << "NATS_SERVER";
    QTest::newRow("bad nats env") << QStringList{} << Env{{"NATS_SERVER", "ftp://x"}}
                                  << QByteArray() << "NATS_SERVER";
    QTest::newRow("empty nats env")
        << QStringList{} << Env{{"NATS_SERVER", ""}} << QByteArray() << "NATS_SERVER";
    QTest::newRow("bad nats .env")
        << QStringList{} << none << QByteArray("NATS_SERVER=a:b:c\n") << "NATS_SERVER";
    QTest::newRow("broken .env") << QStringList{} << none << QByteArray("just words\n") << ".env";
}

void tst_SimOptions::invalid()
{
    QFETCH(QStringList, flags);
    QFETCH(Env, environment);
    QFETCH(QByteArray, dotEnv);
    QFETCH(QString, named);

    const OptionResult<SimOptions> result = parse(environment, dotEnv, flags);
    QVERIFY(!result.options);
    const QString error = result.error;
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY2(!error.contains(u'\n'), qPrintable(error));
}

void tst_SimOptions::natsServerPrecedence_data()
{
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<Env>("environment");
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("expected");

    const QByteArray file("NATS_SERVER=nats://file:1\n");
    const Env env{{"NATS_SERVER", "nats://env:2"}};
    const QStringList flag{"--nats-server", "nats://flag:3"};
    QTest::newRow(".env only") << file << Env() << QStringList() << "nats://file:1";
    QTest::newRow("environment only") << QByteArray() << env << QStringList() << "nats://env:2";
    QTest::newRow("environment over .env") << file << env << QStringList() << "nats://env:2";
    QTest::newRow("flag over both") << file << env << flag << "nats://flag:3";
    QTest::newRow("cluster") << QByteArray() << Env{{"NATS_SERVER", "nats://a:1, nats://b:2"}}
                             << QStringList() << "nats://a:1,nats://b:2";
    QTest::newRow("unrelated .env keys") << QByteArray("PORT=3000\n# comment\n") << Env()
                                         << QStringList() << "nats://127.0.0.1:4222";
}

void tst_SimOptions::natsServerPrecedence()
{
    QFETCH(QByteArray, dotEnv);
    QFETCH(Env, environment);
    QFETCH(QStringList, flags);
    QFETCH(QString, expected);

    const OptionResult<SimOptions> result = parse(environment, dotEnv, flags);
    QVERIFY2(result.options, qPrintable(result.error));
    QCOMPARE(result.options->natsServers.join(u','), expected);
}

// --help names every option of the table, and NATS_SERVER beside its flag.
void tst_SimOptions::help()
{
    const OptionResult<SimOptions> result = parse({}, {}, {"--rate", "3", "--help"});
    QVERIFY2(result.options, qPrintable(result.error));
    QVERIFY(result.helpRequested);
    const QString text = SimOptionsParser::table().helpText(QStringLiteral("reservo-events-sim"));
    QVERIFY(text.startsWith(QLatin1String("Usage: reservo-events-sim [options]\n")));
    QVERIFY(text.contains(QLatin1String("uuid5(de42261d-"))); // the namespace, for scripts
    for (const Option<SimOptions> &option : SimOptionsParser::table().options()) {
        const QRegularExpression line("\\n  --" + QRegularExpression::escape(option.flag) +
                                      "[ \\n]");
        QVERIFY2(text.contains(line), qPrintable(option.flag));
    }
    QVERIFY(text.contains(QLatin1String(" [NATS_SERVER]\n")));
    QVERIFY(text.contains(QLatin1String("\n  --help ")));
}

QTEST_GUILESS_MAIN(tst_SimOptions)
#include "tst_simoptions.moc"
