// SPDX-License-Identifier: MIT
#include "enginepacket.h"
#include "serversession.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>

using namespace Reservo;
using CloseReason = ServerSession::CloseReason;

// Readable QCOMPARE failures for JSON values (QTest finds these by argument-dependent lookup).
static char *toString(const QJsonArray &array)
{
    return qstrdup(QJsonDocument(array).toJson(QJsonDocument::Compact).constData());
}

namespace {

// Generous bound for anything driven by the session's own timers.
constexpr int WaitMs = 5000;

ServerSession::Options quietOptions()
{
    // Long timers: nothing fires on its own while a test drives the session by hand.
    return ServerSession::Options{60000, 60000, 1000000, 60000};
}

QByteArray placeholder(int num)
{
    return R"({"_placeholder":true,"num":)" + QByteArray::number(num) + '}';
}

QJsonArray array(const QByteArray &text)
{
    return QJsonDocument::fromJson(text).array();
}

// One session with a spy on each of its signals.
struct Probe
{
    explicit Probe(const ServerSession::Options &options = quietOptions()) : session(options) {}

    QByteArray frame(qsizetype i) const { return frames.at(i).at(0).toByteArray(); }
    QByteArray lastFrame() const
    {
        return frames.isEmpty() ? QByteArray() : frame(frames.size() - 1);
    }
    int countFrames(const QByteArray &text) const
    {
        int n = 0;
        for (qsizetype i = 0; i < frames.size(); ++i)
            n += frame(i) == text ? 1 : 0;
        return n;
    }
    CloseReason closeReason(qsizetype i = 0) const
    {
        return closed.at(i).at(0).value<CloseReason>();
    }
    QString closeDetail(qsizetype i = 0) const { return closed.at(i).at(1).toString(); }

    // Opens the session, sends the client's CONNECT for nsp and accepts it.
    void connectNamespace(const QString &nsp = QStringLiteral("/"))
    {
        if (!session.isOpen())
            session.open();
        const QByteArray prefix = nsp == QLatin1String("/") ? QByteArray() : nsp.toUtf8() + ',';
        session.handleTextFrame("40" + prefix);
        session.acceptConnect(nsp);
    }

    ServerSession session;
    QSignalSpy frames{&session, &ServerSession::frameReady};
    QSignalSpy closed{&session, &ServerSession::closed};
    QSignalSpy connectRequested{&session, &ServerSession::connectRequested};
    QSignalSpy events{&session, &ServerSession::eventReceived};
    QSignalSpy acks{&session, &ServerSession::ackReceived};
    QSignalSpy disconnected{&session, &ServerSession::namespaceDisconnected};
};

} // namespace

// The transport-independent Engine.IO v4 / Socket.IO v5 server session state machine.
class tst_ServerSession : public QObject
{
    Q_OBJECT

private slots:
    void randomId_data();
    void randomId();
    void openPacket();
    void openOnlyOnce();
    void framesBeforeOpenIgnored();
    void connect_data();
    void connect();
    void acceptConnectExtra();
    void acceptConnectKeepsGivenSid();
    void refuseConnect_data();
    void refuseConnect();
    void eventWithAckId_data();
    void eventWithAckId();
    void eventOnUnconnectedNamespaceIgnored();
    void ackFromClient();
    void serverEmitsAndAcks();
    void clientDisconnectsNamespace();
    void serverDisconnectsNamespace_data();
    void serverDisconnectsNamespace();
    void clientPing_data();
    void clientPing();
    void malformedPacketCloses_data();
    void malformedPacketCloses();
    void clientClose();
    void serverClose();
    void closedSessionIsInert();
    void closeReasonText_data();
    void closeReasonText();
    void pingTimeoutCloses();
    void pingDelay_data();
    void pingDelay();
    void pingsKeepToTheirSlots_data();
    void pingsKeepToTheirSlots();
    void pongKeepsSessionOpen();
    void pongFromInsideFrameReady();
    void connectTimeoutCloses();
    void connectTimeoutAfterRefusal();
    void connectedSessionOutlivesConnectTimeout();
    void binaryEventReassembled();
    void binaryEventWithNamespaceAndAck();
    void binaryAckReassembled();
    void binaryFrameWithoutPacketCloses();
    void attachmentsBeyondMaxPayloadClose();
    void textWhileAwaitingAttachmentsCloses();
};

void tst_ServerSession::randomId_data()
{
    QTest::addColumn<int>("bytes");
    QTest::addColumn<int>("length");

    QTest::newRow("default 15 bytes") << 15 << 20;
    QTest::newRow("16 bytes") << 16 << 22;
    QTest::newRow("3 bytes") << 3 << 4;
    QTest::newRow("4 bytes") << 4 << 6;
    QTest::newRow("1 byte") << 1 << 2;
}

void tst_ServerSession::randomId()
{
    QFETCH(int, bytes);
    QFETCH(int, length);

    static const QRegularExpression base64Url(QStringLiteral("^[A-Za-z0-9_-]*$"));
    QSet<QString> seen;
    for (int i = 0; i < 50; ++i) {
        const QString id = Reservo::randomId(bytes);
        QCOMPARE(id.size(), length);
        QVERIFY2(base64Url.match(id).hasMatch(), qPrintable(id));
        seen.insert(id);
    }
    if (bytes >= 4)
        QCOMPARE(seen.size(), 50);
}

void tst_ServerSession::openPacket()
{
    ServerSession::Options options;
    options.pingInterval = 1234;
    options.pingTimeout = 567;
    options.maxPayload = 89000;
    options.connectTimeout = 60000;
    Probe p(options);
    QVERIFY(!p.session.isOpen());
    const QString sid = p.session.sid();
    QCOMPARE(sid.size(), 20);
    QVERIFY(sid != Probe(options).session.sid());

    p.session.open();
    QVERIFY(p.session.isOpen());
    QCOMPARE(p.frames.size(), 1);
    QCOMPARE(p.frames.at(0).at(1).toBool(), false); // a text frame
    const QByteArray frame = p.frame(0);
    QVERIFY2(frame.startsWith('0'), frame.constData());
    QString error;
    const std::optional<EngineIo::OpenInfo> info = EngineIo::decodeOpen(frame.mid(1), &error);
    QVERIFY2(info, qPrintable(error));
    QCOMPARE(info->sid, sid);
    QCOMPARE(info->pingInterval, 1234);
    QCOMPARE(info->pingTimeout, 567);
    QCOMPARE(info->maxPayload, 89000);
    QCOMPARE(info->upgrades, QStringList());
    const QJsonObject o = QJsonDocument::fromJson(frame.mid(1)).object();
    QCOMPARE(o.keys(), (QStringList{QStringLiteral("maxPayload"), QStringLiteral("pingInterval"),
                                    QStringLiteral("pingTimeout"), QStringLiteral("sid"),
                                    QStringLiteral("upgrades")}));
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::openOnlyOnce()
{
    Probe p;
    p.session.open();
    p.session.open();
    QCOMPARE(p.frames.size(), 1);
    p.session.close(CloseReason::ServerClose);
    p.session.open(); // a closed session does not reopen
    QVERIFY(!p.session.isOpen());
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.lastFrame(), QByteArray("1"));
}

void tst_ServerSession::framesBeforeOpenIgnored()
{
    Probe p;
    p.session.handleTextFrame("40");
    p.session.handleTextFrame("garbage");
    p.session.handleBinaryFrame("\x01");
    p.session.acceptConnect(QStringLiteral("/"));
    p.session.emitEvent(QStringLiteral("/"), QStringLiteral("a"), {});
    QCOMPARE(p.frames.size(), 0);
    QCOMPARE(p.connectRequested.size(), 0);
    QCOMPARE(p.closed.size(), 0);
    QVERIFY(!p.session.isConnected(QStringLiteral("/")));
}

void tst_ServerSession::connect_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QByteArray>("auth"); // empty: no auth payload
    QTest::addColumn<QString>("replyPattern");

    const QString sid = QStringLiteral("\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}");
    QTest::newRow("root") << QByteArray("40") << QStringLiteral("/") << QByteArray()
                          << QStringLiteral("40") + sid;
    QTest::newRow("root with auth")
        << QByteArray(R"(40{"token":"abc"})") << QStringLiteral("/")
        << QByteArray(R"({"token":"abc"})") << QStringLiteral("40") + sid;
    QTest::newRow("namespace") << QByteArray("40/admin,") << QStringLiteral("/admin")
                               << QByteArray() << QStringLiteral("40/admin,") + sid;
    QTest::newRow("namespace with auth")
        << QByteArray(R"(40/admin,{"token":"t"})") << QStringLiteral("/admin")
        << QByteArray(R"({"token":"t"})") << QStringLiteral("40/admin,") + sid;
}

void tst_ServerSession::connect()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, nsp);
    QFETCH(QByteArray, auth);
    QFETCH(QString, replyPattern);

    Probe p;
    p.session.open();
    p.session.handleTextFrame(frame);
    QCOMPARE(p.connectRequested.size(), 1);
    QCOMPARE(p.connectRequested.at(0).at(0).toString(), nsp);
    const QJsonValue authValue = p.connectRequested.at(0).at(1).value<QJsonValue>();
    if (auth.isEmpty())
        QVERIFY(authValue.isUndefined());
    else
        QCOMPARE(authValue.toObject(), QJsonDocument::fromJson(auth).object());
    QCOMPARE(p.frames.size(), 1); // nothing is sent before the application decides
    QVERIFY(!p.session.isConnected(nsp));

    p.session.acceptConnect(nsp);
    QVERIFY(p.session.isConnected(nsp));
    QCOMPARE(p.frames.size(), 2);
    const QByteArray reply = p.lastFrame();
    const QRegularExpression re(QRegularExpression::anchoredPattern(replyPattern));
    QVERIFY2(re.match(QString::fromUtf8(reply)).hasMatch(), reply.constData());
    // The Socket.IO sid is not the Engine.IO sid.
    QVERIFY(!reply.contains(p.session.sid().toUtf8()));
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::acceptConnectExtra()
{
    Probe p;
    p.session.open();
    p.session.handleTextFrame("40/admin,");
    p.session.acceptConnect(QStringLiteral("/admin"),
                            QJsonObject{{QStringLiteral("pid"), QStringLiteral("p1")}});
    const QByteArray reply = p.lastFrame();
    QVERIFY2(reply.startsWith("40/admin,{"), reply.constData());
    const QJsonObject o = QJsonDocument::fromJson(reply.mid(9)).object();
    QCOMPARE(o.size(), 2);
    QCOMPARE(o.value(QStringLiteral("pid")).toString(), QStringLiteral("p1"));
    QCOMPARE(o.value(QStringLiteral("sid")).toString().size(), 20);
}

void tst_ServerSession::acceptConnectKeepsGivenSid()
{
    Probe p;
    p.session.open();
    p.session.handleTextFrame("40");
    p.session.acceptConnect(QStringLiteral("/"),
                            QJsonObject{{QStringLiteral("sid"), QStringLiteral("mine")}});
    QCOMPARE(p.lastFrame(), QByteArray(R"(40{"sid":"mine"})"));
    QVERIFY(p.session.isConnected(QStringLiteral("/")));
}

void tst_ServerSession::refuseConnect_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QByteArray>("reply");

    QTest::newRow("root") << QByteArray("40") << QStringLiteral("/")
                          << QStringLiteral("Not authorized")
                          << QByteArray(R"(44{"message":"Not authorized"})");
    QTest::newRow("namespace") << QByteArray("40/admin,") << QStringLiteral("/admin")
                               << QStringLiteral("Invalid namespace")
                               << QByteArray(R"(44/admin,{"message":"Invalid namespace"})");
    QTest::newRow("escaped message")
        << QByteArray("40") << QStringLiteral("/") << QStringLiteral("say \"no\"\n")
        << QByteArray("44{\"message\":\"say \\\"no\\\"\\n\"}");
}

void tst_ServerSession::refuseConnect()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, nsp);
    QFETCH(QString, message);
    QFETCH(QByteArray, reply);

    Probe p;
    p.session.open();
    p.session.handleTextFrame(frame);
    QCOMPARE(p.connectRequested.size(), 1);
    p.session.refuseConnect(nsp, message);
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.lastFrame(), reply);
    QVERIFY(!p.session.isConnected(nsp));
    QVERIFY(p.session.isOpen()); // refusing a namespace does not close the connection
    QCOMPARE(p.closed.size(), 0);

    // Events for the refused namespace are not delivered.
    const QByteArray prefix = nsp == QLatin1String("/") ? QByteArray() : nsp.toUtf8() + ',';
    p.session.handleTextFrame("42" + prefix + R"(["a"])");
    QCOMPARE(p.events.size(), 0);
}

void tst_ServerSession::eventWithAckId_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<qint64>("ackId");

    const QString root = QStringLiteral("/"), admin = QStringLiteral("/admin");
    QTest::newRow("no ack") << root << QByteArray(R"(42["hello",1,{"a":true}])")
                            << QStringLiteral("hello") << QByteArray(R"([1,{"a":true}])") << -1LL;
    QTest::newRow("ack id") << root << QByteArray(R"(421["hello",1])") << QStringLiteral("hello")
                            << QByteArray("[1]") << 1LL;
    QTest::newRow("ack id zero") << root << QByteArray(R"(420["e"])") << QStringLiteral("e")
                                 << QByteArray("[]") << 0LL;
    QTest::newRow("max ack id") << root << QByteArray(R"(429007199254740991["e","x"])")
                                << QStringLiteral("e") << QByteArray(R"(["x"])")
                                << 9007199254740991LL;
    QTest::newRow("namespace ack id")
        << admin << QByteArray(R"(42/admin,17["join",{"room":"r"}])") << QStringLiteral("join")
        << QByteArray(R"([{"room":"r"}])") << 17LL;
    QTest::newRow("numeric event name") << root << QByteArray(R"(42[7,"x"])") << QStringLiteral("7")
                                        << QByteArray(R"(["x"])") << -1LL;
}

void tst_ServerSession::eventWithAckId()
{
    QFETCH(QString, nsp);
    QFETCH(QByteArray, frame);
    QFETCH(QString, event);
    QFETCH(QByteArray, args);
    QFETCH(qint64, ackId);

    Probe p;
    p.connectNamespace(nsp);
    p.session.handleTextFrame(frame);
    QCOMPARE(p.closed.size(), 0);
    QCOMPARE(p.events.size(), 1);
    const QList<QVariant> e = p.events.at(0);
    QCOMPARE(e.at(0).toString(), nsp);
    QCOMPARE(e.at(1).toString(), event);
    QCOMPARE(e.at(2).value<QJsonArray>(), array(args));
    QCOMPARE(e.at(3).value<qint64>(), ackId);
    QVERIFY(e.at(4).value<QList<QByteArray>>().isEmpty());
}

void tst_ServerSession::eventOnUnconnectedNamespaceIgnored()
{
    Probe p;
    p.connectNamespace(QStringLiteral("/"));
    p.session.handleTextFrame(R"(42/admin,["a"])");
    p.session.handleTextFrame(R"(43/admin,1["a"])");
    QCOMPARE(p.events.size(), 0);
    QCOMPARE(p.acks.size(), 0);
    QVERIFY(p.session.isOpen());
    QCOMPARE(p.closed.size(), 0);
    p.session.handleTextFrame(R"(42["a"])");
    QCOMPARE(p.events.size(), 1);
}

void tst_ServerSession::ackFromClient()
{
    Probe p;
    p.connectNamespace(QStringLiteral("/admin"));
    p.session.handleTextFrame(R"(43/admin,5["ok",2])");
    QCOMPARE(p.acks.size(), 1);
    QCOMPARE(p.acks.at(0).at(0).toString(), QStringLiteral("/admin"));
    QCOMPARE(p.acks.at(0).at(1).value<quint64>(), quint64(5));
    QCOMPARE(p.acks.at(0).at(2).value<QJsonArray>(), array(R"(["ok",2])"));
    QVERIFY(p.acks.at(0).at(3).value<QList<QByteArray>>().isEmpty());
    // An ack without an id cannot be matched to anything.
    p.session.handleTextFrame(R"(43/admin,[])");
    QCOMPARE(p.acks.size(), 1);
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::serverEmitsAndAcks()
{
    Probe p;
    p.connectNamespace(QStringLiteral("/"));
    p.connectNamespace(QStringLiteral("/admin"));
    const qsizetype before = p.frames.size();
    p.session.emitEvent(QStringLiteral("/"), QStringLiteral("seat"),
                        array(R"([{"id":"s1","state":"PENDING"}])"));
    p.session.emitEvent(QStringLiteral("/admin"), QStringLiteral("n"), {});
    p.session.ack(QStringLiteral("/"), 12, array(R"(["ok"])"));
    p.session.ack(QStringLiteral("/admin"), 9007199254740991ULL, {});
    p.session.sendSocketPacket(R"(2["pre","encoded"])");
    p.session.sendFrame(R"(42["room"])");
    QCOMPARE(p.frames.size(), before + 6);
    QCOMPARE(p.frame(before + 0), QByteArray(R"(42["seat",{"id":"s1","state":"PENDING"}])"));
    QCOMPARE(p.frame(before + 1), QByteArray(R"(42/admin,["n"])"));
    QCOMPARE(p.frame(before + 2), QByteArray(R"(4312["ok"])"));
    QCOMPARE(p.frame(before + 3), QByteArray("43/admin,9007199254740991[]"));
    QCOMPARE(p.frame(before + 4), QByteArray(R"(42["pre","encoded"])"));
    QCOMPARE(p.frame(before + 5), QByteArray(R"(42["room"])"));
    for (qsizetype i = 0; i < p.frames.size(); ++i)
        QCOMPARE(p.frames.at(i).at(1).toBool(), false);
}

void tst_ServerSession::clientDisconnectsNamespace()
{
    Probe p;
    p.connectNamespace(QStringLiteral("/"));
    p.connectNamespace(QStringLiteral("/admin"));
    p.session.handleTextFrame("41/admin,");
    QCOMPARE(p.disconnected.size(), 1);
    QCOMPARE(p.disconnected.at(0).at(0).toString(), QStringLiteral("/admin"));
    QVERIFY(!p.session.isConnected(QStringLiteral("/admin")));
    QVERIFY(p.session.isConnected(QStringLiteral("/")));
    // A second DISCONNECT for the same namespace is not a second fact.
    p.session.handleTextFrame("41/admin,");
    QCOMPARE(p.disconnected.size(), 1);
    p.session.handleTextFrame("41");
    QCOMPARE(p.disconnected.size(), 2);
    QCOMPARE(p.disconnected.at(1).at(0).toString(), QStringLiteral("/"));
    QVERIFY(p.session.isOpen());
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::serverDisconnectsNamespace_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QByteArray>("frame");

    // Socket.IO v5: DISCONNECT carries no payload.
    QTest::newRow("namespace") << QStringLiteral("/admin") << QByteArray("41/admin,");
    QTest::newRow("root") << QStringLiteral("/") << QByteArray("41");
}

void tst_ServerSession::serverDisconnectsNamespace()
{
    QFETCH(QString, nsp);
    QFETCH(QByteArray, frame);

    Probe p;
    p.connectNamespace(QStringLiteral("/other"));
    p.connectNamespace(nsp);
    const qsizetype before = p.frames.size();
    p.session.disconnectNamespace(nsp);
    QCOMPARE(p.frames.size(), before + 1);
    QVERIFY(!p.session.isConnected(nsp));
    QVERIFY(p.session.isConnected(QStringLiteral("/other")));
    QCOMPARE(p.disconnected.size(), 0); // the signal reports client-initiated disconnects
    p.session.disconnectNamespace(nsp); // no longer connected: no second frame
    QCOMPARE(p.frames.size(), before + 1);

    const QByteArray sent = p.frame(before);
    // A socket.io client rejects a DISCONNECT with a payload as a parse error and drops the
    // whole connection; our own decoder does the same.
    QVERIFY2(SocketIo::decode(sent.mid(1)).has_value(), sent.constData());
    QCOMPARE(sent, frame);
}

void tst_ServerSession::clientPing_data()
{
    QTest::addColumn<QByteArray>("ping");
    QTest::addColumn<QByteArray>("pong");

    QTest::newRow("probe") << QByteArray("2probe") << QByteArray("3probe");
    QTest::newRow("bare") << QByteArray("2") << QByteArray("3");
}

void tst_ServerSession::clientPing()
{
    QFETCH(QByteArray, ping);
    QFETCH(QByteArray, pong);

    Probe p;
    p.session.open();
    p.session.handleTextFrame(ping);
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.lastFrame(), pong);
    // Upgrade and noop packets are accepted silently.
    p.session.handleTextFrame("5");
    p.session.handleTextFrame("6");
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::malformedPacketCloses_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<bool>("connectFirst");

    QTest::newRow("empty frame") << QByteArray() << false;
    QTest::newRow("unknown engine.io type") << QByteArray("7") << false;
    QTest::newRow("letter type") << QByteArray("x") << false;
    QTest::newRow("unexpected open") << QByteArray(R"(0{"sid":"x"})") << false;
    QTest::newRow("empty socket.io packet") << QByteArray("4") << false;
    QTest::newRow("unknown socket.io type") << QByteArray("47") << false;
    QTest::newRow("connect with array") << QByteArray("40[]") << false;
    QTest::newRow("connect error from client") << QByteArray(R"(44{"message":"x"})") << true;
    QTest::newRow("event empty array") << QByteArray("42[]") << true;
    QTest::newRow("event reserved name") << QByteArray(R"(42["disconnect"])") << true;
    QTest::newRow("event trailing garbage") << QByteArray(R"(42["a"]x)") << true;
    QTest::newRow("event invalid utf8") << QByteArray("42[\"\xff\"]") << true;
    QTest::newRow("event ack id overflow") << QByteArray(R"(429007199254740992["a"])") << true;
    QTest::newRow("ack not array") << QByteArray("431{}") << true;
    QTest::newRow("disconnect payload") << QByteArray("41{}") << true;
    QTest::newRow("bad attachments") << QByteArray(R"(45-["a"])") << true;
    QTest::newRow("bad placeholder") << QByteArray("451-[\"a\"," + placeholder(1) + ']') << true;
}

void tst_ServerSession::malformedPacketCloses()
{
    QFETCH(QByteArray, frame);
    QFETCH(bool, connectFirst);

    Probe p;
    if (connectFirst)
        p.connectNamespace();
    else
        p.session.open();
    const qsizetype before = p.frames.size();
    p.session.handleTextFrame(frame);
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ParseError);
    QVERIFY(!p.closeDetail().isEmpty());
    QVERIFY(!p.session.isOpen());
    QVERIFY(!p.session.isConnected(QStringLiteral("/")));
    // The server says goodbye with an Engine.IO close packet, then goes silent.
    QCOMPARE(p.frames.size(), before + 1);
    QCOMPARE(p.lastFrame(), QByteArray("1"));
    QCOMPARE(p.events.size(), 0);
    p.session.handleTextFrame(R"(42["a"])");
    p.session.handleTextFrame(frame);
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.frames.size(), before + 1);
}

void tst_ServerSession::clientClose()
{
    Probe p;
    p.connectNamespace();
    const qsizetype before = p.frames.size();
    p.session.handleTextFrame("1");
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ClientClose);
    QCOMPARE(p.closeDetail(), QStringLiteral("client close"));
    QVERIFY(!p.session.isOpen());
    QVERIFY(!p.session.isConnected(QStringLiteral("/")));
    QCOMPARE(p.frames.size(), before); // no close packet back to a client that left
}

void tst_ServerSession::serverClose()
{
    Probe p;
    p.connectNamespace();
    p.session.close(CloseReason::ServerClose, QStringLiteral("shutting down"));
    QCOMPARE(p.lastFrame(), QByteArray("1"));
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ServerClose);
    QCOMPARE(p.closeDetail(), QStringLiteral("shutting down"));
    QVERIFY(!p.session.isOpen());
}

void tst_ServerSession::closedSessionIsInert()
{
    Probe p;
    p.connectNamespace();
    p.session.handleTextFrame("1");
    const qsizetype frames = p.frames.size();
    p.session.handleTextFrame(R"(42["a"])");
    p.session.handleTextFrame("40");
    p.session.handleTextFrame("2");
    p.session.handleBinaryFrame("\x01");
    p.session.acceptConnect(QStringLiteral("/"));
    p.session.refuseConnect(QStringLiteral("/"), QStringLiteral("x"));
    p.session.emitEvent(QStringLiteral("/"), QStringLiteral("a"), {});
    p.session.ack(QStringLiteral("/"), 1, {});
    p.session.sendFrame("42[\"x\"]");
    p.session.close(CloseReason::ServerClose);
    QCOMPARE(p.frames.size(), frames);
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.events.size(), 0);
    QCOMPARE(p.connectRequested.size(), 1);
    QVERIFY(!p.session.isConnected(QStringLiteral("/")));
}

void tst_ServerSession::closeReasonText_data()
{
    QTest::addColumn<CloseReason>("reason");
    QTest::addColumn<QString>("text");

    QTest::newRow("client") << CloseReason::ClientClose << QStringLiteral("client close");
    QTest::newRow("ping") << CloseReason::PingTimeout << QStringLiteral("ping timeout");
    QTest::newRow("parse") << CloseReason::ParseError << QStringLiteral("parse error");
    QTest::newRow("connect") << CloseReason::ConnectTimeout << QStringLiteral("connect timeout");
    QTest::newRow("server") << CloseReason::ServerClose << QStringLiteral("server close");
}

void tst_ServerSession::closeReasonText()
{
    QFETCH(CloseReason, reason);
    QFETCH(QString, text);

    QCOMPARE(ServerSession::closeReasonText(reason), text);
    // Without a detail, the closed signal carries the reason's text.
    Probe p;
    p.session.open();
    p.session.close(reason);
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), reason);
    QCOMPARE(p.closeDetail(), text);
}

void tst_ServerSession::pingTimeoutCloses()
{
    Probe p({50, 50, 1000000, 60000});
    p.session.open();
    QVERIFY(p.closed.wait(WaitMs));
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::PingTimeout);
    QCOMPARE(p.closeDetail(), QStringLiteral("ping timeout"));
    QVERIFY(!p.session.isOpen());
    // Exactly: open, one ping, and no close packet for a peer that stopped answering.
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.frame(1), QByteArray("2"));
}

void tst_ServerSession::pingDelay_data()
{
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("interval");
    QTest::addColumn<int>("slot");
    QTest::addColumn<int>("delay");
    QTest::newRow("no slots") << qint64(1234) << 25000 << 0 << 25000;
    QTest::newRow("negative slot") << qint64(1234) << 25000 << -50 << 25000;
    QTest::newRow("due on a slot") << qint64(1000) << 25000 << 50 << 25000;
    QTest::newRow("just past a slot") << qint64(1001) << 25000 << 50 << 25049;
    QTest::newRow("just before a slot") << qint64(1049) << 25000 << 50 << 25001;
    QTest::newRow("odd slot") << qint64(3) << 10 << 7 << 11;
    QTest::newRow("slot longer than the interval") << qint64(5) << 10 << 100 << 95;
    QTest::newRow("large clock") << qint64(9'000'000'000'017) << 300 << 25 << 308;
}

void tst_ServerSession::pingDelay()
{
    QFETCH(qint64, now);
    QFETCH(int, interval);
    QFETCH(int, slot);
    QFETCH(int, delay);
    const int got = ServerSession::pingDelay(now, interval, slot);
    QCOMPARE(got, delay);
    if (slot > 0) {
        QCOMPARE((now + got) % slot, qint64(0));
        QVERIFY(got >= interval && got < interval + slot);
    }
}

void tst_ServerSession::pingsKeepToTheirSlots_data()
{
    QTest::addColumn<int>("slot");
    QTest::newRow("50 ms") << 50;
    QTest::newRow("64 ms") << 64;
}

// The first ping (after its random early start) and the ping after a pong are both due on a
// slot boundary of the monotonic clock, so sessions share the passes that send them.
void tst_ServerSession::pingsKeepToTheirSlots()
{
    QFETCH(int, slot);
    ServerSession::Options options{200, 60000, 1000000, 60000};
    options.pingSlotMs = slot;
    Probe p(options);
    const auto dueOffset = [&p, slot] {
        const qint64 due =
            QDeadlineTimer::current(Qt::PreciseTimer).deadline() + p.session.heartbeatRemainingMs();
        const qint64 offset = due % slot;
        return std::min(offset, slot - offset); // QTimer reports whole ms: allow 1 either way
    };
    p.session.open();
    QVERIFY2(dueOffset() <= 1, qPrintable(QString::number(dueOffset())));
    QTRY_COMPARE_WITH_TIMEOUT(p.countFrames("2"), 1, WaitMs);
    p.session.handleTextFrame("3");
    QVERIFY(p.session.heartbeatRemainingMs() >= 200 - 1);
    QVERIFY2(dueOffset() <= 1, qPrintable(QString::number(dueOffset())));
}

void tst_ServerSession::pongKeepsSessionOpen()
{
    Probe p({50, 50, 1000000, 60000});
    bool answer = true;
    // Answer each ping from the event loop, as a real transport would.
    QObject::connect(
        &p.session, &ServerSession::frameReady, &p.session, [&p, &answer](const QByteArray &frame) {
            if (frame == "2" && answer)
                QMetaObject::invokeMethod(
                    &p.session, [&p] { p.session.handleTextFrame("3"); }, Qt::QueuedConnection);
        });
    p.connectNamespace();
    // Each ping comes one interval after the previous pong: six pings span 300 ms or more,
    // six times the ping timeout.
    QTRY_VERIFY_WITH_TIMEOUT(p.countFrames("2") >= 6 || !p.closed.isEmpty(), WaitMs);
    QCOMPARE(p.closed.size(), 0);
    QVERIFY(p.session.isOpen());
    QVERIFY(p.session.isConnected(QStringLiteral("/")));

    answer = false;
    QVERIFY(p.closed.wait(WaitMs));
    QCOMPARE(p.closeReason(), CloseReason::PingTimeout);
    QCOMPARE(p.lastFrame(), QByteArray("2"));
}

void tst_ServerSession::pongFromInsideFrameReady()
{
    // A transport that answers synchronously (an in-process loopback) delivers the pong while
    // frameReady for the ping is still being emitted.
    Probe p({50, 50, 1000000, 60000});
    QObject::connect(&p.session, &ServerSession::frameReady, &p.session,
                     [&p](const QByteArray &frame) {
                         if (frame == "2")
                             p.session.handleTextFrame("3");
                     });
    p.connectNamespace();
    QTRY_VERIFY_WITH_TIMEOUT(p.countFrames("2") >= 4 || !p.closed.isEmpty(), WaitMs);
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::connectTimeoutCloses()
{
    Probe p({60000, 60000, 1000000, 50});
    p.session.open();
    QVERIFY(p.closed.wait(WaitMs));
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ConnectTimeout);
    QCOMPARE(p.closeDetail(), QStringLiteral("connect timeout"));
    QCOMPARE(p.frames.size(), 2);
    QCOMPARE(p.lastFrame(), QByteArray("1"));
    QVERIFY(!p.session.isOpen());
}

void tst_ServerSession::connectTimeoutAfterRefusal()
{
    Probe p({60000, 60000, 1000000, 50});
    p.session.open();
    p.session.handleTextFrame("40");
    p.session.refuseConnect(QStringLiteral("/"), QStringLiteral("no"));
    QVERIFY(p.closed.wait(WaitMs));
    QCOMPARE(p.closeReason(), CloseReason::ConnectTimeout);
}

void tst_ServerSession::connectedSessionOutlivesConnectTimeout()
{
    Probe p({20, 1000, 1000000, 50});
    QObject::connect(
        &p.session, &ServerSession::frameReady, &p.session, [&p](const QByteArray &frame) {
            if (frame == "2")
                QMetaObject::invokeMethod(
                    &p.session, [&p] { p.session.handleTextFrame("3"); }, Qt::QueuedConnection);
        });
    p.connectNamespace();
    // The heartbeat is the clock: ten pings take at least 200 ms, four connect timeouts.
    QTRY_VERIFY_WITH_TIMEOUT(p.countFrames("2") >= 10 || !p.closed.isEmpty(), WaitMs);
    QCOMPARE(p.closed.size(), 0);
    QVERIFY(p.session.isOpen());
}

void tst_ServerSession::attachmentsBeyondMaxPayloadClose()
{
    ServerSession::Options options = quietOptions();
    options.maxPayload = 1000;
    Probe p(options);
    p.connectNamespace();
    p.session.handleTextFrame("453-[\"upload\"," + placeholder(0) + "," + placeholder(1) + "," +
                              placeholder(2) + "]");
    p.session.handleBinaryFrame(QByteArray(600, 'a')); // each frame alone is within the limit
    QCOMPARE(p.closed.size(), 0);
    p.session.handleBinaryFrame(QByteArray(600, 'b')); // together they are not
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ParseError);
    QCOMPARE(p.events.size(), 0);
}

void tst_ServerSession::binaryEventReassembled()
{
    Probe p;
    p.connectNamespace();
    p.session.handleTextFrame("451-[\"upload\",{\"name\":\"a.bin\",\"data\":" + placeholder(0) +
                              "}]");
    QCOMPARE(p.events.size(), 0); // waits for its attachment
    const QByteArray blob("\x00\x01\xff\x1e", 4);
    p.session.handleBinaryFrame(blob);
    QCOMPARE(p.events.size(), 1);
    const QList<QVariant> e = p.events.at(0);
    QCOMPARE(e.at(0).toString(), QStringLiteral("/"));
    QCOMPARE(e.at(1).toString(), QStringLiteral("upload"));
    QCOMPARE(e.at(2).value<QJsonArray>(),
             array("[{\"name\":\"a.bin\",\"data\":" + placeholder(0) + "}]"));
    QCOMPARE(e.at(3).value<qint64>(), -1);
    QCOMPARE(e.at(4).value<QList<QByteArray>>(), QList<QByteArray>{blob});

    // The session is back to text packets afterwards.
    p.session.handleTextFrame(R"(42["next"])");
    QCOMPARE(p.events.size(), 2);
    QVERIFY(p.events.at(1).at(4).value<QList<QByteArray>>().isEmpty());
    QCOMPARE(p.closed.size(), 0);
}

void tst_ServerSession::binaryEventWithNamespaceAndAck()
{
    Probe p;
    p.connectNamespace(QStringLiteral("/admin"));
    p.session.handleTextFrame("453-/admin,7[\"files\"," + placeholder(2) + ',' + placeholder(0) +
                              ",{\"x\":" + placeholder(1) + "}]");
    p.session.handleBinaryFrame("first");
    p.session.handleBinaryFrame("second");
    QCOMPARE(p.events.size(), 0);
    p.session.handleBinaryFrame(QByteArray());
    QCOMPARE(p.events.size(), 1);
    const QList<QVariant> e = p.events.at(0);
    QCOMPARE(e.at(0).toString(), QStringLiteral("/admin"));
    QCOMPARE(e.at(1).toString(), QStringLiteral("files"));
    QCOMPARE(e.at(2).value<QJsonArray>().size(), 3);
    QCOMPARE(e.at(3).value<qint64>(), 7);
    // Attachments in arrival order: attachment i is the buffer for placeholder num i.
    QCOMPARE(e.at(4).value<QList<QByteArray>>(),
             (QList<QByteArray>{"first", "second", QByteArray()}));
}

void tst_ServerSession::binaryAckReassembled()
{
    Probe p;
    p.connectNamespace();
    p.session.handleTextFrame("461-3[" + placeholder(0) + ']');
    QCOMPARE(p.acks.size(), 0);
    p.session.handleBinaryFrame("\x7f");
    QCOMPARE(p.acks.size(), 1);
    QCOMPARE(p.acks.at(0).at(1).value<quint64>(), quint64(3));
    QCOMPARE(p.acks.at(0).at(2).value<QJsonArray>(), array('[' + placeholder(0) + ']'));
    QCOMPARE(p.acks.at(0).at(3).value<QList<QByteArray>>(), QList<QByteArray>{"\x7f"});
}

void tst_ServerSession::binaryFrameWithoutPacketCloses()
{
    Probe p;
    p.connectNamespace();
    const qsizetype before = p.frames.size();
    p.session.handleBinaryFrame("\x01\x02");
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ParseError);
    QCOMPARE(p.frames.size(), before + 1);
    QCOMPARE(p.lastFrame(), QByteArray("1"));
}

void tst_ServerSession::textWhileAwaitingAttachmentsCloses()
{
    Probe p;
    p.connectNamespace();
    p.session.handleTextFrame("452-[\"a\"," + placeholder(0) + ',' + placeholder(1) + ']');
    p.session.handleBinaryFrame("one");
    p.session.handleTextFrame(R"(42["interleaved"])");
    QCOMPARE(p.closed.size(), 1);
    QCOMPARE(p.closeReason(), CloseReason::ParseError);
    QCOMPARE(p.events.size(), 0);
    QCOMPARE(p.lastFrame(), QByteArray("1"));
}

QTEST_GUILESS_MAIN(tst_ServerSession)
#include "tst_serversession.moc"
