// SPDX-License-Identifier: MIT
#include "enginepacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Reservo;
using EngineIo::PacketType;

// Engine.IO v4 framing: packet type characters, open handshake, long-polling payloads.
class tst_EnginePacket : public QObject
{
    Q_OBJECT

private slots:
    void decode_data();
    void decode();
    void decodeRejects_data();
    void decodeRejects();
    void encode_data();
    void encode();
    void encodeDecodeRoundTrip_data();
    void encodeDecodeRoundTrip();
    void encodeOpen();
    void encodeOpenDefaults();
    void openRoundTrip_data();
    void openRoundTrip();
    void decodeOpen_data();
    void decodeOpen();
    void decodeOpenRejects_data();
    void decodeOpenRejects();
    void splitPayload_data();
    void splitPayload();
    void joinPayload_data();
    void joinPayload();
    void payloadRoundTrip_data();
    void payloadRoundTrip();
    void handshakeErrorBody_data();
    void handshakeErrorBody();
};

void tst_EnginePacket::decode_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("open") << QByteArray(R"(0{"sid":"x"})") << int(PacketType::Open)
                          << QByteArray(R"({"sid":"x"})");
    QTest::newRow("close") << QByteArray("1") << int(PacketType::Close) << QByteArray();
    QTest::newRow("ping") << QByteArray("2") << int(PacketType::Ping) << QByteArray();
    QTest::newRow("ping probe") << QByteArray("2probe") << int(PacketType::Ping)
                                << QByteArray("probe");
    QTest::newRow("pong") << QByteArray("3") << int(PacketType::Pong) << QByteArray();
    QTest::newRow("pong probe") << QByteArray("3probe") << int(PacketType::Pong)
                                << QByteArray("probe");
    QTest::newRow("message") << QByteArray("4hello") << int(PacketType::Message)
                             << QByteArray("hello");
    QTest::newRow("message socket.io event")
        << QByteArray(R"(42["seat",{"a":1}])") << int(PacketType::Message)
        << QByteArray(R"(2["seat",{"a":1}])");
    QTest::newRow("message empty") << QByteArray("4") << int(PacketType::Message) << QByteArray();
    QTest::newRow("message utf8") << QByteArray("4h\xc3\xa9llo") << int(PacketType::Message)
                                  << QByteArray("h\xc3\xa9llo");
    QTest::newRow("message keeps nul")
        << QByteArray("4a\0b", 4) << int(PacketType::Message) << QByteArray("a\0b", 3);
    QTest::newRow("upgrade") << QByteArray("5") << int(PacketType::Upgrade) << QByteArray();
    QTest::newRow("noop") << QByteArray("6") << int(PacketType::Noop) << QByteArray();
}

void tst_EnginePacket::decode()
{
    QFETCH(QByteArray, frame);
    QFETCH(int, type);
    QFETCH(QByteArray, data);

    QString error;
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame, &error);
    QVERIFY2(packet, qPrintable(error));
    QCOMPARE(int(packet->type), type);
    QCOMPARE(packet->data, data);
    QVERIFY(error.isEmpty());
}

void tst_EnginePacket::decodeRejects_data()
{
    QTest::addColumn<QByteArray>("frame");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("below '0'") << QByteArray("/");
    QTest::newRow("above '6'") << QByteArray("7");
    QTest::newRow("eight") << QByteArray("8hello");
    QTest::newRow("nine") << QByteArray("9");
    QTest::newRow("letter") << QByteArray("a");
    QTest::newRow("base64 binary marker") << QByteArray("bAQID");
    QTest::newRow("leading space") << QByteArray(" 4hello");
    QTest::newRow("nul") << QByteArray("\0", 1);
    QTest::newRow("high byte") << QByteArray("\xff");
    QTest::newRow("record separator") << QByteArray("\x1e");
}

void tst_EnginePacket::decodeRejects()
{
    QFETCH(QByteArray, frame);

    QString error;
    QVERIFY(!EngineIo::decode(frame, &error));
    QVERIFY(!error.isEmpty());
    // The error pointer is optional.
    QVERIFY(!EngineIo::decode(frame));
}

void tst_EnginePacket::encode_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("close") << int(PacketType::Close) << QByteArray() << QByteArray("1");
    QTest::newRow("ping") << int(PacketType::Ping) << QByteArray() << QByteArray("2");
    QTest::newRow("pong probe") << int(PacketType::Pong) << QByteArray("probe")
                                << QByteArray("3probe");
    QTest::newRow("message") << int(PacketType::Message) << QByteArray(R"(2["a"])")
                             << QByteArray(R"(42["a"])");
    QTest::newRow("upgrade") << int(PacketType::Upgrade) << QByteArray() << QByteArray("5");
    QTest::newRow("noop") << int(PacketType::Noop) << QByteArray() << QByteArray("6");
    QTest::newRow("open") << int(PacketType::Open) << QByteArray("{}") << QByteArray("0{}");
}

void tst_EnginePacket::encode()
{
    QFETCH(int, type);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);

    QCOMPARE(EngineIo::encode(PacketType(type), data), expected);
}

void tst_EnginePacket::encodeDecodeRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QByteArray>("data");

    for (char c = '0'; c <= '6'; ++c) {
        QTest::addRow("type %c empty", c) << int(c) << QByteArray();
        QTest::addRow("type %c data", c) << int(c) << QByteArray("payload \x1f\xc3\xa9 123");
    }
}

void tst_EnginePacket::encodeDecodeRoundTrip()
{
    QFETCH(int, type);
    QFETCH(QByteArray, data);

    const QByteArray frame = EngineIo::encode(PacketType(type), data);
    QCOMPARE(frame.size(), data.size() + 1);
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame);
    QVERIFY(packet);
    QCOMPARE(int(packet->type), type);
    QCOMPARE(packet->data, data);
}

void tst_EnginePacket::encodeOpen()
{
    EngineIo::OpenInfo info;
    info.sid = QStringLiteral("lv_VI97HAXpY6yYWAAAC");
    info.upgrades = {QStringLiteral("websocket")};
    info.pingInterval = 300;
    info.pingTimeout = 200;
    info.maxPayload = 1e6;

    const QByteArray frame = EngineIo::encodeOpen(info);
    QVERIFY(frame.startsWith('0'));
    QVERIFY2(!frame.contains(' ') && !frame.contains('\n'), "open packet must be compact JSON");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(frame.mid(1), &error);
    QCOMPARE(error.error, QJsonParseError::NoError);
    QVERIFY(doc.isObject());
    // Key order is not significant in JSON; the exact key set and values are.
    const QJsonObject expected{
        {QStringLiteral("sid"), QStringLiteral("lv_VI97HAXpY6yYWAAAC")},
        {QStringLiteral("upgrades"), QJsonArray{QStringLiteral("websocket")}},
        {QStringLiteral("pingInterval"), 300},
        {QStringLiteral("pingTimeout"), 200},
        {QStringLiteral("maxPayload"), 1000000},
    };
    QCOMPARE(doc.object(), expected);
}

void tst_EnginePacket::encodeOpenDefaults()
{
    EngineIo::OpenInfo info;
    info.sid = QStringLiteral("abc");
    const QJsonObject o = QJsonDocument::fromJson(EngineIo::encodeOpen(info).mid(1)).object();
    // Engine.IO v4 reference defaults.
    QCOMPARE(o.value(QStringLiteral("pingInterval")).toInteger(), 25000);
    QCOMPARE(o.value(QStringLiteral("pingTimeout")).toInteger(), 20000);
    QCOMPARE(o.value(QStringLiteral("maxPayload")).toInteger(), 1000000);
    // No upgrades on a WebSocket-only server: an empty array, not a missing key.
    QVERIFY(o.value(QStringLiteral("upgrades")).isArray());
    QVERIFY(o.value(QStringLiteral("upgrades")).toArray().isEmpty());
    QCOMPARE(EngineIo::ProtocolVersion, 4);
    QCOMPARE(EngineIo::RecordSeparator, '\x1e');
}

void tst_EnginePacket::openRoundTrip_data()
{
    QTest::addColumn<QString>("sid");
    QTest::addColumn<QStringList>("upgrades");
    QTest::addColumn<int>("pingInterval");
    QTest::addColumn<int>("pingTimeout");
    QTest::addColumn<qint64>("maxPayload");

    QTest::newRow("reference defaults")
        << QStringLiteral("abc") << QStringList() << 25000 << 20000 << qint64(1000000);
    QTest::newRow("upgrades") << QStringLiteral("x-y_z")
                              << QStringList{QStringLiteral("websocket"),
                                             QStringLiteral("webtransport")}
                              << 50 << 50 << qint64(1);
    QTest::newRow("large maxPayload")
        << QStringLiteral("s") << QStringList() << 1 << 1 << (qint64(1) << 40);
}

void tst_EnginePacket::openRoundTrip()
{
    QFETCH(QString, sid);
    QFETCH(QStringList, upgrades);
    QFETCH(int, pingInterval);
    QFETCH(int, pingTimeout);
    QFETCH(qint64, maxPayload);

    const EngineIo::OpenInfo info{sid, upgrades, pingInterval, pingTimeout, maxPayload};
    const std::optional<EngineIo::Packet> packet = EngineIo::decode(EngineIo::encodeOpen(info));
    QVERIFY(packet);
    QCOMPARE(packet->type, PacketType::Open);
    QString error;
    const std::optional<EngineIo::OpenInfo> decoded = EngineIo::decodeOpen(packet->data, &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(decoded->sid, sid);
    QCOMPARE(decoded->upgrades, upgrades);
    QCOMPARE(decoded->pingInterval, pingInterval);
    QCOMPARE(decoded->pingTimeout, pingTimeout);
    QCOMPARE(decoded->maxPayload, maxPayload);
}

void tst_EnginePacket::decodeOpen_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("sid");
    QTest::addColumn<QStringList>("upgrades");
    QTest::addColumn<int>("pingInterval");
    QTest::addColumn<int>("pingTimeout");
    QTest::addColumn<qint64>("maxPayload");

    QTest::newRow("reference server order")
        << QByteArray(R"({"sid":"lv_VI97HAXpY6yYWAAAC","upgrades":["websocket"],)"
                      R"("pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})")
        << QStringLiteral("lv_VI97HAXpY6yYWAAAC") << QStringList{QStringLiteral("websocket")}
        << 25000 << 20000 << qint64(1000000);
    QTest::newRow("no maxPayload: default")
        << QByteArray(R"({"sid":"a","upgrades":[],"pingInterval":1,"pingTimeout":2})")
        << QStringLiteral("a") << QStringList() << 1 << 2 << qint64(1000000);
    QTest::newRow("no upgrades key")
        << QByteArray(R"({"sid":"a","pingInterval":10,"pingTimeout":20,"maxPayload":5})")
        << QStringLiteral("a") << QStringList() << 10 << 20 << qint64(5);
    QTest::newRow("whitespace and extra keys")
        << QByteArray(
               " { \"sid\" : \"b\", \"pingInterval\": 3, \"pingTimeout\": 4, \"x\": null }\n")
        << QStringLiteral("b") << QStringList() << 3 << 4 << qint64(1000000);
}

void tst_EnginePacket::decodeOpen()
{
    QFETCH(QByteArray, data);
    QFETCH(QString, sid);
    QFETCH(QStringList, upgrades);
    QFETCH(int, pingInterval);
    QFETCH(int, pingTimeout);
    QFETCH(qint64, maxPayload);

    QString error;
    const std::optional<EngineIo::OpenInfo> info = EngineIo::decodeOpen(data, &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->sid, sid);
    QCOMPARE(info->upgrades, upgrades);
    QCOMPARE(info->pingInterval, pingInterval);
    QCOMPARE(info->pingTimeout, pingTimeout);
    QCOMPARE(info->maxPayload, maxPayload);
}

void tst_EnginePacket::decodeOpenRejects_data()
{
    QTest::addColumn<QByteArray>("data");

    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not json") << QByteArray("sid=abc");
    QTest::newRow("truncated") << QByteArray(R"({"sid":"a","pingInterval":1,"pingTimeout":2)");
    QTest::newRow("trailing garbage")
        << QByteArray(R"({"sid":"a","pingInterval":1,"pingTimeout":2}x)");
    QTest::newRow("array") << QByteArray(R"([{"sid":"a","pingInterval":1,"pingTimeout":2}])");
    QTest::newRow("string") << QByteArray(R"("a")");
    QTest::newRow("empty object") << QByteArray("{}");
    QTest::newRow("no sid") << QByteArray(R"({"pingInterval":1,"pingTimeout":2})");
    QTest::newRow("numeric sid") << QByteArray(R"({"sid":1,"pingInterval":1,"pingTimeout":2})");
    QTest::newRow("null sid") << QByteArray(R"({"sid":null,"pingInterval":1,"pingTimeout":2})");
    QTest::newRow("no pingInterval") << QByteArray(R"({"sid":"a","pingTimeout":2})");
    QTest::newRow("string pingInterval")
        << QByteArray(R"({"sid":"a","pingInterval":"1","pingTimeout":2})");
    QTest::newRow("no pingTimeout") << QByteArray(R"({"sid":"a","pingInterval":1})");
    QTest::newRow("null pingTimeout")
        << QByteArray(R"({"sid":"a","pingInterval":1,"pingTimeout":null})");
    QTest::newRow("invalid utf8") << QByteArray(
        "{\"sid\":\"\xff\",\"pingInterval\":1,\"pingTimeout\":2}");
}

void tst_EnginePacket::decodeOpenRejects()
{
    QFETCH(QByteArray, data);

    QString error;
    QVERIFY(!EngineIo::decodeOpen(data, &error));
    QVERIFY(!error.isEmpty());
}

void tst_EnginePacket::splitPayload_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QList<QByteArray>>("packets");

    QTest::newRow("single") << QByteArray("4hello") << QList<QByteArray>{"4hello"};
    QTest::newRow("two") << QByteArray("4hello\x1e"
                                       "2")
                         << QList<QByteArray>{"4hello", "2"};
    QTest::newRow("three socket.io") << QByteArray("40\x1e"
                                                   "42[\"a\"]\x1e"
                                                   "3")
                                     << QList<QByteArray>{"40", R"(42["a"])", "3"};
    // Same as JavaScript's String.prototype.split: separators delimit, empty pieces are kept.
    QTest::newRow("empty") << QByteArray() << QList<QByteArray>{""};
    QTest::newRow("only separator") << QByteArray("\x1e") << QList<QByteArray>{"", ""};
    QTest::newRow("leading separator") << QByteArray("\x1e"
                                                     "1")
                                       << QList<QByteArray>{"", "1"};
    QTest::newRow("trailing separator") << QByteArray("1\x1e") << QList<QByteArray>{"1", ""};
    QTest::newRow("double separator") << QByteArray("1\x1e\x1e"
                                                    "2")
                                      << QList<QByteArray>{"1", "", "2"};
    QTest::newRow("other control chars kept") << QByteArray("4a\x1f\x1d"
                                                            "b")
                                              << QList<QByteArray>{"4a\x1f\x1d"
                                                                   "b"};
}

void tst_EnginePacket::splitPayload()
{
    QFETCH(QByteArray, payload);
    QFETCH(QList<QByteArray>, packets);

    QCOMPARE(EngineIo::splitPayload(payload), packets);
}

void tst_EnginePacket::joinPayload_data()
{
    QTest::addColumn<QList<QByteArray>>("packets");
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("none") << QList<QByteArray>{} << QByteArray();
    QTest::newRow("single") << QList<QByteArray>{"4hello"} << QByteArray("4hello");
    QTest::newRow("two") << QList<QByteArray>{"4hello", "2"}
                         << QByteArray("4hello\x1e"
                                       "2");
    QTest::newRow("three") << QList<QByteArray>{"40", R"(42["a"])", "6"}
                           << QByteArray("40\x1e"
                                         "42[\"a\"]\x1e"
                                         "6");
}

void tst_EnginePacket::joinPayload()
{
    QFETCH(QList<QByteArray>, packets);
    QFETCH(QByteArray, payload);

    QCOMPARE(EngineIo::joinPayload(packets), payload);
}

void tst_EnginePacket::payloadRoundTrip_data()
{
    QTest::addColumn<QList<QByteArray>>("packets");

    QTest::newRow("one") << QList<QByteArray>{"2"};
    QTest::newRow("many") << QList<QByteArray>{"0{}", "40", R"(42["a",1])", "3", "1"};
    QTest::newRow("with empty") << QList<QByteArray>{"4", "", "4"};
    QTest::newRow("utf8") << QList<QByteArray>{"4\xc3\xa9", "4\xe2\x82\xac"};
}

void tst_EnginePacket::payloadRoundTrip()
{
    QFETCH(QList<QByteArray>, packets);

    const QByteArray payload = EngineIo::joinPayload(packets);
    QCOMPARE(payload.count(EngineIo::RecordSeparator), packets.size() - 1);
    QCOMPARE(EngineIo::splitPayload(payload), packets);
    QCOMPARE(EngineIo::joinPayload(EngineIo::splitPayload(payload)), payload);
}

void tst_EnginePacket::handshakeErrorBody_data()
{
    using EngineIo::HandshakeError;
    QTest::addColumn<int>("error");
    QTest::addColumn<QByteArray>("body");

    // The exact bodies of the reference engine.io server (lib/server.ts, Server.errorMessages).
    QTest::newRow("unknown transport") << int(HandshakeError::UnknownTransport)
                                       << QByteArray(R"({"code":0,"message":"Transport unknown"})");
    QTest::newRow("unknown sid") << int(HandshakeError::UnknownSid)
                                 << QByteArray(R"({"code":1,"message":"Session ID unknown"})");
    QTest::newRow("bad handshake method")
        << int(HandshakeError::BadHandshakeMethod)
        << QByteArray(R"({"code":2,"message":"Bad handshake method"})");
    QTest::newRow("bad request") << int(HandshakeError::BadRequest)
                                 << QByteArray(R"({"code":3,"message":"Bad request"})");
    QTest::newRow("forbidden") << int(HandshakeError::Forbidden)
                               << QByteArray(R"({"code":4,"message":"Forbidden"})");
    QTest::newRow("unsupported protocol version")
        << int(HandshakeError::UnsupportedProtocolVersion)
        << QByteArray(R"({"code":5,"message":"Unsupported protocol version"})");
}

void tst_EnginePacket::handshakeErrorBody()
{
    QFETCH(int, error);
    QFETCH(QByteArray, body);

    QCOMPARE(EngineIo::handshakeErrorBody(EngineIo::HandshakeError(error)), body);
}

QTEST_GUILESS_MAIN(tst_EnginePacket)
#include "tst_enginepacket.moc"
