// SPDX-License-Identifier: MIT
#include "config.h"

#include <QTest>

using namespace Reservo;
using Env = QMap<QString, QString>;

namespace {
// QHostAddress::Any: IPv4 and IPv6, which "0.0.0.0" (IPv4 only) is not.
const char *const AnyHost = "any";

OptionResult<Config> load(const Env &environment, const QByteArray &dotEnv,
                          const QStringList &flags)
{
    return ConfigLoader::table().read({environment, dotEnv, QStringList{"reservo-ws"} + flags});
}

// Every setting of a config as text, by variable, so that one column can check any of them.
QMap<QString, QString> settings(const Config &c)
{
    const auto n = [](qint64 value) { return QString::number(value); };
    return {
        {"PORT", n(c.port)},
        {"HOST", c.host.protocol() == QAbstractSocket::AnyIPProtocol ? AnyHost : c.host.toString()},
        {"NATS_SERVER", c.natsServers.join(u',')},
        {"PING_INTERVAL_MS", n(c.pingInterval)},
        {"PING_TIMEOUT_MS", n(c.pingTimeout)},
        {"MAX_PAYLOAD", n(c.maxPayload)},
        {"MAX_CONNECTIONS", n(c.maxConnections)},
        {"CONNECT_TIMEOUT_MS", n(c.connectTimeout)},
        {"HANDSHAKE_TIMEOUT_MS", n(c.handshakeTimeout)},
        {"MAX_ROOMS_PER_CONNECTION", n(c.maxRoomsPerConnection)},
        {"NATS_MAX_PAYLOAD", n(c.natsMaxPayload)},
        {"NATS_REQUEST_TIMEOUT_MS", n(c.natsRequestTimeout)},
        {"SNAPSHOT_RETRY_MAX_MS", n(c.snapshotRetryMax)},
        {"MAX_DISCONNECTION_DURATION_MS", n(c.maxDisconnectionDuration)},
        {"MAX_RECOVERY_SESSIONS", n(c.maxRecoverySessions)},
        {"RECOVERY_BUFFER", n(c.recoveryBuffer)},
        {"ROOM_GRACE_MS", n(c.roomGrace)},
        {"PRESENCE_INTERVAL_MS", n(c.presenceInterval)},
        {"JOIN_RATE", n(c.joinRate)},
        {"SLOW_CLIENT_BUFFER", n(c.slowClientBuffer)},
        {"MAX_CLIENT_BUFFER", n(c.maxClientBuffer)},
        {"MAX_ROOMS", n(c.maxRooms)},
        {"EVENTS_MAX_IN_FLIGHT", n(c.eventsMaxInFlight)},
        {"EVENTS_REQUEST_RATE", n(c.eventsRequestRate)},
        {"EVENTS_REQUEST_BURST", n(c.eventsRequestBurst)},
        {"EVENTS_QUEUE_MAX", n(c.eventsQueueMax)},
        {"UNKNOWN_EVENT_CACHE", n(c.unknownEventCache)},
        {"UNKNOWN_EVENT_TTL_MS", n(c.unknownEventTtl)},
        {"MAX_UNKNOWN_JOINS", n(c.maxUnknownJoins)},
        {"WORKER_THREADS", n(c.workerThreads)},
        {"ALLOWED_ORIGINS", c.allowedOrigins.join(u',')},
        {"JWT_SECRET", QString::fromUtf8(c.jwtSecret)},
        {"RESERVO_EVENT_DISPATCHER",
         c.eventLoop == EventLoopChoice::Kind::Qt ? QStringLiteral("qt") : QStringLiteral("epoll")},
        {"RESERVO_SOCKET_WRITES", c.socketWrites == SocketBatch::Method::Syscalls
                                      ? QStringLiteral("send")
                                      : QStringLiteral("io_uring")},
    };
}

const ConfigOption *optionNamed(const QString &env)
{
    for (const ConfigOption &option : ConfigLoader::options()) {
        if (option.env == env)
            return &option;
    }
    return nullptr;
}

// Every setting: its default as it reads, and one other valid value and what it reads as.
// HOST's default is QHostAddress::Any (IPv4 and IPv6), WORKER_THREADS's -1 one per core beyond
// the first (ServiceOptions resolves it), ALLOWED_ORIGINS's any, JWT_SECRET's no authentication.
struct Sample
{
    const char *env;
    const char *byDefault;
    const char *text;
    const char *setting;
};
const Sample samples[] = {
    {"PORT", "3000", " 8080 ", "8080"},
    {"HOST", AnyHost, "0.0.0.0", "0.0.0.0"},
    {"NATS_SERVER", "nats://127.0.0.1:4222", "a:1, tls://b:2", "nats://a:1,tls://b:2"},
    {"PING_INTERVAL_MS", "25000", "1000", "1000"},
    {"PING_TIMEOUT_MS", "20000", "10", "10"},
    {"MAX_PAYLOAD", "1000000", "2048", "2048"},
    {"MAX_CONNECTIONS", "100000", "10", "10"},
    {"CONNECT_TIMEOUT_MS", "45000", "3600000", "3600000"},
    {"HANDSHAKE_TIMEOUT_MS", "10000", "250", "250"},
    {"MAX_ROOMS_PER_CONNECTION", "100", "3", "3"},
    {"NATS_MAX_PAYLOAD", "65536", "256", "256"},
    {"NATS_REQUEST_TIMEOUT_MS", "5000", "600000", "600000"},
    {"SNAPSHOT_RETRY_MAX_MS", "30000", "40", "40"},
    {"MAX_DISCONNECTION_DURATION_MS", "120000", "0", "0"},
    {"MAX_RECOVERY_SESSIONS", "100000", "1", "1"},
    {"RECOVERY_BUFFER", "1000", "5", "5"},
    {"ROOM_GRACE_MS", "30000", "0", "0"},
    {"PRESENCE_INTERVAL_MS", "500", "60000", "60000"},
    {"JOIN_RATE", "20", "100000", "100000"},
    {"SLOW_CLIENT_BUFFER", "262144", "1024", "1024"},
    {"MAX_CLIENT_BUFFER", "8388608", "4096", "4096"},
    {"MAX_ROOMS", "10000", "1", "1"},
    {"EVENTS_MAX_IN_FLIGHT", "8", "10000", "10000"},
    {"EVENTS_REQUEST_RATE", "100", "1", "1"},
    {"EVENTS_REQUEST_BURST", "10", "0", "0"},
    {"EVENTS_QUEUE_MAX", "10000", "7", "7"},
    {"UNKNOWN_EVENT_CACHE", "10000", "0", "0"},
    {"UNKNOWN_EVENT_TTL_MS", "60000", "10", "10"},
    {"MAX_UNKNOWN_JOINS", "20", "0", "0"},
    {"WORKER_THREADS", "-1", "0", "0"},
    {"ALLOWED_ORIGINS", "", "https://a.example, http://b:8080", "https://a.example,http://b:8080"},
    {"JWT_SECRET", "", "s3cret=", "s3cret="},
    {"RESERVO_EVENT_DISPATCHER", "epoll", "qt", "qt"},
    {"RESERVO_SOCKET_WRITES", "io_uring", "send", "send"},
};
} // namespace

// reservo-ws's option table: every setting's default, sources and validation, checked over the
// table itself so that a new setting cannot go untested (tst_configdocs: its --help and README).
class tst_Config : public QObject
{
    Q_OBJECT
private slots:
    void everySettingIsCovered();
    void defaults_data();
    void defaults();
    void everySource_data();
    void everySource();
    void layering();
    void invalidValues_data();
    void invalidValues();
    void commandLine_data();
    void commandLine();
};

void tst_Config::everySettingIsCovered()
{
    const OptionResult<Config> loaded = load({}, {}, {});
    QVERIFY2(loaded.options, qPrintable(loaded.error));
    QStringList tableNames;
    for (const ConfigOption &option : ConfigLoader::options())
        tableNames << option.env;
    QStringList sampleNames;
    for (const Sample &sample : samples)
        sampleNames << QLatin1String(sample.env);
    QCOMPARE(sampleNames, tableNames);
    tableNames.sort(); // settings() is a map
    QCOMPARE(settings(*loaded.options).keys(), tableNames);
}

void tst_Config::defaults_data()
{
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("setting");
    for (const Sample &s : samples)
        QTest::newRow(s.env) << QString(s.env) << QString(s.byDefault);
}

void tst_Config::defaults()
{
    QFETCH(QString, env);
    QFETCH(QString, setting);
    const OptionResult<Config> loaded = load({}, {}, {});
    QVERIFY2(loaded.options, qPrintable(loaded.error));
    QCOMPARE(settings(*loaded.options).value(env), setting);
    QVERIFY(!loaded.helpRequested);
    const ConfigOption *option = optionNamed(env);
    if (!option->defaultValue.isEmpty()) // --help and README show the default the table reads
        QCOMPARE(option->defaultValue, setting);
}

void tst_Config::everySource_data()
{
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("setting");
    for (const Sample &s : samples)
        QTest::newRow(s.env) << QString(s.env) << QString(s.text) << QString(s.setting);
}

// The same value from ./.env, the environment and its flag (an environment-only setting has
// none) reads the same, and leaves every other setting at its default.
void tst_Config::everySource()
{
    QFETCH(QString, env);
    QFETCH(QString, text);
    QFETCH(QString, setting);
    const ConfigOption *option = optionNamed(env);
    QList<OptionResult<Config>> results{load({}, env.toUtf8() + "=\"" + text.toUtf8() + "\"\n", {}),
                                        load({{env, text}}, {}, {})};
    if (!option->flag.isEmpty())
        results << load({}, {}, {"--" + option->flag, text})
                << load({}, {}, {QStringLiteral("--%1=%2").arg(option->flag, text)});
    const QMap<QString, QString> defaults = settings(*load({}, {}, {}).options);
    for (const OptionResult<Config> &result : std::as_const(results)) {
        QVERIFY2(result.options, qPrintable(result.error));
        QMap<QString, QString> expected = defaults;
        expected.insert(env, setting);
        QCOMPARE(settings(*result.options), expected);
    }
    QVERIFY(option->flag.isEmpty() || !load({}, {}, {"--" + option->flag}).options); // no value
}

void tst_Config::layering()
{
    const QByteArray dotEnv = "PORT=4000\nPING_INTERVAL_MS=1000\nPING_TIMEOUT_MS=900\n";
    const Env env{{"PORT", "5000"}, {"PING_TIMEOUT_MS", "800"}};
    const OptionResult<Config> r = load(env, dotEnv, {"--ping-timeout", "700"});
    QVERIFY2(r.options, qPrintable(r.error));
    QCOMPARE(r.options->port, quint16(5000)); // environment beats .env
    QCOMPARE(r.options->pingInterval, 1000);  // .env beats the default
    QCOMPARE(r.options->pingTimeout, 700);    // the flag beats both
}

void tst_Config::invalidValues_data()
{
    QTest::addColumn<QString>("env");
    QTest::addColumn<QString>("text");
    // VARIABLE=value: the value may hold '=' but not the name.
    const char *const rows[] = {"PORT=http",
                                "PORT=65536",
                                "PORT=-1",
                                "PORT=",
                                "HOST=not-an-address",
                                "NATS_SERVER=http://127.0.0.1:4222",
                                "NATS_SERVER=",
                                "NATS_SERVER=nats://a:1,,nats://b:2",
                                "NATS_SERVER=nats://a:1/x",
                                "PING_INTERVAL_MS=0",
                                "PING_INTERVAL_MS=1.5",
                                "PING_TIMEOUT_MS=99999999999",
                                "MAX_PAYLOAD=1",
                                "MAX_CONNECTIONS=0",
                                "MAX_ROOMS_PER_CONNECTION=0",
                                "NATS_MAX_PAYLOAD=abc",
                                "MAX_DISCONNECTION_DURATION_MS=-1",
                                "WORKER_THREADS=-1",
                                "WORKER_THREADS=257",
                                "ALLOWED_ORIGINS=https://a.example/path",
                                "ALLOWED_ORIGINS=not an origin",
                                "RESERVO_EVENT_DISPATCHER=glib",
                                "RESERVO_EVENT_DISPATCHER=",
                                "RESERVO_SOCKET_WRITES=IO_URING",
                                "RESERVO_SOCKET_WRITES=sendfile"};
    for (const char *row : rows) {
        const QString text = QString::fromUtf8(row);
        QTest::newRow(row) << text.section(u'=', 0, 0) << text.section(u'=', 1);
    }
}

// From each source, an invalid value fails with one line naming the setting and the source.
void tst_Config::invalidValues()
{
    QFETCH(QString, env);
    QFETCH(QString, text);
    const ConfigOption *option = optionNamed(env);
    QList<std::pair<OptionResult<Config>, QString>> results{
        {load({{env, text}}, {}, {}), "(from environment)"},
        {load({}, env.toUtf8() + "='" + text.toUtf8() + "'", {}), "(from .env)"},
    };
    if (!option->flag.isEmpty())
        results.append(
            {load({}, {}, {"--" + option->flag, text}), "(from --" + option->flag + ")"});
    for (const auto &[result, origin] : std::as_const(results)) {
        QVERIFY(!result.options);
        const QString prefix = QStringLiteral("invalid %1=%2 %3: ").arg(env, text, origin);
        QVERIFY2(result.error.startsWith(prefix), qPrintable(result.error));
        QVERIFY2(result.error.size() > prefix.size() + 10, qPrintable(result.error)); // says why
        QVERIFY(!result.error.contains(u'\n'));
    }
}

void tst_Config::commandLine_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("error");
    QTest::newRow("unknown") << QStringList{"--bogus", "1"}
                             << "unknown option --bogus (see --help)";
    QTest::newRow("missing value") << QStringList{"--port"} << "--port needs a value (see --help)";
    QTest::newRow("positional") << QStringList{"3000"} << "unexpected argument '3000' (see --help)";
    QTest::newRow("environment only") << QStringList{"--reservo-event-dispatcher", "qt"}
                                      << "unknown option --reservo-event-dispatcher (see --help)";
}

void tst_Config::commandLine()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, error);
    const OptionResult<Config> result = load({}, {}, flags);
    QVERIFY(!result.options);
    QCOMPARE(result.error, error);
    QVERIFY(load({}, {}, {"--port", "1", "--help"}).helpRequested);
}

QTEST_GUILESS_MAIN(tst_Config)
#include "tst_config.moc"
