// SPDX-License-Identifier: MIT
#include "serviceoptions.h"

#include <QTest>

using namespace Reservo;

namespace {
Config configFrom(const QStringList &flags, const QMap<QString, QString> &environment = {})
{
    const OptionResult<Config> loaded =
        ConfigLoader::table().read({environment, {}, QStringList{"reservo-ws"} + flags});
    if (!loaded.options)
        qFatal("%s", qPrintable(loaded.error));
    return *loaded.options;
}

// What each part is told, by name, so that one column can check any of it.
QMap<QString, qint64> partOptions(const Config &config)
{
    const RoomManager::Options rooms = ServiceOptions::rooms(config);
    const EventsClient::Options events = ServiceOptions::events(config);
    const RecoveryStore::Limits recovery = ServiceOptions::recovery(config);
    const HttpFrontDoor::Limits http = ServiceOptions::http(config);
    const SessionRegistry::Options s = ServiceOptions::sessions(config, 4, {});
    return {
        {"rooms.emptyRoomGraceMs", rooms.emptyRoomGraceMs},
        {"rooms.presenceIntervalMs", rooms.presenceIntervalMs},
        {"rooms.historyPerRoom", rooms.historyPerRoom},
        {"rooms.maxRooms", rooms.maxRooms},
        {"events.requestTimeoutMs", events.requestTimeoutMs},
        {"events.retryInitialMs", events.retryInitialMs},
        {"events.retryMaxMs", events.retryMaxMs},
        {"events.upcomingCacheMs", events.upcomingCacheMs},
        {"events.upcomingFailureCacheMs", events.upcomingFailureCacheMs},
        {"events.upcomingMaxWaiters", events.upcomingMaxWaiters},
        {"events.queue.maxInFlight", events.queue.maxInFlight},
        {"events.queue.ratePerSecond", events.queue.ratePerSecond},
        {"events.queue.burst", events.queue.burst},
        {"events.queue.maxQueued", events.queue.maxQueued},
        {"events.unknown.capacity", events.unknown.capacity},
        {"events.unknown.ttlMs", events.unknown.ttlMs},
        {"recovery.maxDisconnectionMs", recovery.maxDisconnectionMs},
        {"recovery.maxSessions", recovery.maxSessions},
        {"http.headTimeoutMs", http.headTimeoutMs},
        {"http.maxHeadBytes", http.maxHeadBytes},
        {"session.pingInterval", s.session.pingInterval},
        {"session.pingTimeout", s.session.pingTimeout},
        {"session.maxPayload", s.session.maxPayload},
        {"session.connectTimeout", s.session.connectTimeout},
        {"session.pingSlotMs", s.session.pingSlotMs},
        {"client.maxRoomsPerConnection", s.client.maxRoomsPerConnection},
        {"client.joinRate", s.client.joinRate},
        {"client.slowClientBuffer", s.client.slowClientBuffer},
        {"client.maxClientBuffer", s.client.maxClientBuffer},
        {"client.maxUnknownJoins", s.client.maxUnknownJoins},
        {"engine.maxPayload", s.engine.maxPayload},
        {"engine.maxConnections", s.engine.maxConnections},
        {"engine.handshakeTimeoutMs", s.engine.handshakeTimeoutMs},
        {"engine.workerThreads", s.engine.workerThreads},
        {"engine.socketWrites", qint64(s.engine.socketWrites)},
        {"engine.allowedOrigins", s.engine.allowedOrigins.size()},
    };
}
} // namespace

// The options each part of reservo-ws gets from the Config, and the numbers the operator does
// not set.
class tst_ServiceOptions : public QObject
{
    Q_OBJECT
private slots:
    void parts_data();
    void parts();
    void workerThreads_data();
    void workerThreads();
    void pingSlot_data();
    void pingSlot();
    void workerDispatchers();
};

void tst_ServiceOptions::parts_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<QString>("field");
    QTest::addColumn<qint64>("value");
    const auto row = [](const char *name, QStringList flags, const char *field, qint64 value) {
        QTest::newRow(name) << flags << QString(field) << value;
    };
    row("room grace", {"--room-grace", "123"}, "rooms.emptyRoomGraceMs", 123);
    row("presence", {"--presence-interval", "77"}, "rooms.presenceIntervalMs", 77);
    row("history", {"--recovery-buffer", "9"}, "rooms.historyPerRoom", 9);
    row("request timeout", {"--nats-request-timeout", "600"}, "events.requestTimeoutMs", 600);
    row("first retry", {}, "events.retryInitialMs", 500);
    row("retry max", {"--snapshot-retry-max", "999"}, "events.retryMaxMs", 999);
    row("upcoming cache", {}, "events.upcomingCacheMs", 2000);
    row("upcoming failures", {}, "events.upcomingFailureCacheMs", 1000);
    row("upcoming waiters", {}, "events.upcomingMaxWaiters", 10000);
    row("max rooms", {"--max-rooms", "12"}, "rooms.maxRooms", 12);
    row("in flight", {"--events-max-in-flight", "3"}, "events.queue.maxInFlight", 3);
    row("request rate", {"--events-request-rate", "40"}, "events.queue.ratePerSecond", 40);
    row("request burst", {"--events-request-burst", "0"}, "events.queue.burst", 0);
    row("queue", {"--events-queue-max", "50"}, "events.queue.maxQueued", 50);
    row("unknown cache", {"--unknown-event-cache", "5"}, "events.unknown.capacity", 5);
    row("unknown ttl", {"--unknown-event-ttl", "700"}, "events.unknown.ttlMs", 700);
    row("unknown joins", {"--max-unknown-joins", "4"}, "client.maxUnknownJoins", 4);
    row("recovery window", {"--max-disconnection-duration", "0"}, "recovery.maxDisconnectionMs", 0);
    row("recovery sessions", {"--max-recovery-sessions", "4"}, "recovery.maxSessions", 4);
    row("head timeout", {"--handshake-timeout", "321"}, "http.headTimeoutMs", 321);
    row("head size", {}, "http.maxHeadBytes", 16384);
    row("ping interval", {"--ping-interval", "1000"}, "session.pingInterval", 1000);
    row("ping timeout", {"--ping-timeout", "900"}, "session.pingTimeout", 900);
    row("session payload", {"--max-payload", "2048"}, "session.maxPayload", 2048);
    row("connect timeout", {"--connect-timeout", "50"}, "session.connectTimeout", 50);
    row("ping slot", {}, "session.pingSlotMs", 50);
    row("rooms per connection", {"--max-rooms-per-connection", "2"}, "client.maxRoomsPerConnection",
        2);
    row("join rate", {"--join-rate", "3"}, "client.joinRate", 3);
    row("slow buffer", {"--slow-client-buffer", "2048"}, "client.slowClientBuffer", 2048);
    row("max buffer", {"--max-client-buffer", "8192"}, "client.maxClientBuffer", 8192);
    row("engine payload", {"--max-payload", "2048"}, "engine.maxPayload", 2048);
    row("connections", {"--max-connections", "5"}, "engine.maxConnections", 5);
    row("handshake", {"--handshake-timeout", "321"}, "engine.handshakeTimeoutMs", 321);
    row("threads", {"--worker-threads", "7"}, "engine.workerThreads", 7);
    row("origins", {"--allowed-origins", "https://a,https://b"}, "engine.allowedOrigins", 2);
}

void tst_ServiceOptions::parts()
{
    QFETCH(QStringList, flags);
    QFETCH(QString, field);
    QFETCH(qint64, value);
    const QMap<QString, qint64> options = partOptions(configFrom(flags));
    QVERIFY2(options.contains(field), qPrintable(field));
    QCOMPARE(options.value(field), value);
    const qint64 socketWrites = partOptions(configFrom({}, {{"RESERVO_SOCKET_WRITES", "send"}}))
                                    .value("engine.socketWrites");
    QCOMPARE(socketWrites, qint64(SocketBatch::Method::Syscalls));
}

void tst_ServiceOptions::workerThreads_data()
{
    QTest::addColumn<QStringList>("flags");
    QTest::addColumn<int>("cores");
    QTest::addColumn<int>("threads");
    QTest::newRow("one core") << QStringList{} << 1 << 1;
    QTest::newRow("two cores") << QStringList{} << 2 << 1;
    QTest::newRow("four cores") << QStringList{} << 4 << 3;
    QTest::newRow("many cores") << QStringList{} << 64 << 16;
    QTest::newRow("none asked") << QStringList{"--worker-threads", "0"} << 8 << 0;
    QTest::newRow("more than cores") << QStringList{"--worker-threads", "5"} << 2 << 5;
}

void tst_ServiceOptions::workerThreads()
{
    QFETCH(QStringList, flags);
    QFETCH(int, cores);
    QFETCH(int, threads);
    const Config config = configFrom(flags);
    QCOMPARE(ServiceOptions::workerThreads(config, cores), threads);
    QCOMPARE(ServiceOptions::sessions(config, cores, {}).engine.workerThreads, threads);
}

void tst_ServiceOptions::pingSlot_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("slot");
    QTest::newRow("default interval") << 25000 << 50;
    QTest::newRow("above the cap") << 60000 << 50;
    QTest::newRow("short interval: 0.2% of it") << 10000 << 20;
    QTest::newRow("very short: exact pings") << 100 << 0;
}

void tst_ServiceOptions::pingSlot()
{
    QFETCH(int, interval);
    QFETCH(int, slot);
    QCOMPARE(ServiceOptions::pingSlotMs(interval), slot);
}

void tst_ServiceOptions::workerDispatchers()
{
    int made = 0;
    const auto factory = [&made]() -> QAbstractEventDispatcher * { return ++made, nullptr; };
    const SessionRegistry::Options options = ServiceOptions::sessions(configFrom({}), 4, factory);
    QVERIFY(options.engine.dispatcherFactory);
    options.engine.dispatcherFactory();
    QCOMPARE(made, 1);
    QVERIFY(!ServiceOptions::sessions(configFrom({}), 4, {}).engine.dispatcherFactory);
}

QTEST_GUILESS_MAIN(tst_ServiceOptions)
#include "tst_serviceoptions.moc"
