// SPDX-License-Identifier: MIT
#include "natsclient.h"
#include "natsserverprocess.h"
#include "serviceprocess.h"
#include "testhelpers.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QTcpSocket>
#include <QTest>
#include <algorithm>
#include <memory>

using namespace Reservo;
using namespace Reservo::Test;

namespace {

constexpr int MaxPayload = 1000; // the service's MAX_PAYLOAD in these tests

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA
};

// The header bits of a hand-made client frame (RFC 6455 §5.2) that a test may get wrong on purpose.
struct Bits
{
    bool fin = true;
    quint8 rsv = 0; // RSV1..RSV3 as the three low bits: 4 is RSV1
    bool masked = true;
};
constexpr Bits NotFinal{false, 0, true};
constexpr Bits Unmasked{true, 0, false};
constexpr Bits Rsv1{true, 4, true};
constexpr Bits Rsv3{true, 1, true};

QByteArray clientFrame(quint8 opcode, QByteArrayView payload, Bits bits = {})
{
    static constexpr char Mask[4] = {0x37, char(0xfa), 0x21, 0x3d};
    const quint64 length = quint64(payload.size());
    const char maskBit = bits.masked ? char(0x80) : char(0);
    QByteArray frame(1, char((bits.fin ? 0x80 : 0) | (bits.rsv << 4) | opcode));
    if (length < 126) {
        frame.append(char(maskBit | char(length)));
    } else {
        const int bytes = length <= 0xffff ? 2 : 8;
        frame.append(char(maskBit | (bytes == 2 ? 126 : 127)));
        for (int i = bytes - 1; i >= 0; --i)
            frame.append(char((length >> (8 * i)) & 0xff));
    }
    if (!bits.masked)
        return frame + payload.toByteArray();
    frame.append(Mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        frame.append(char(payload[i] ^ Mask[i % 4]));
    return frame;
}

QByteArray closePayload(quint16 code, QByteArrayView reason = {})
{
    QByteArray payload;
    payload.append(char(code >> 8)).append(char(code & 0xff));
    return payload + reason.toByteArray();
}

// A `42["x","aaa…"]` event (an unknown event name: valid, ignored) of exactly `size` bytes.
QByteArray eventOfSize(qsizetype size)
{
    const QByteArray head = "42[\"x\",\"", tail = "\"]";
    return head + QByteArray(size - head.size() - tail.size(), 'a') + tail;
}

// Socket.IO's CONNECT answer, `40{"pid":…,"sid":…}` (keys in any order).
bool isConnectReply(const QByteArray &payload)
{
    return payload.startsWith("40{") && payload.contains("\"sid\":\"");
}

QByteArray joinWithAck(const QString &eventId)
{
    return "421[\"join-event-room\",{\"eventId\":\"" + eventId.toUtf8() + "\"}]";
}

QByteArray joinAck(const QString &eventId)
{
    return "431[\"Conectado a la sala correctamente: " + eventId.toUtf8() + "\"]";
}

struct ServerFrame
{
    bool fin = true;
    quint8 rsv = 0;
    quint8 opcode = 0;
    bool masked = false;
    QByteArray payload;

    int closeCode() const
    {
        return payload.size() < 2 ? -1 : (quint8(payload[0]) << 8) | quint8(payload[1]);
    }
    // Readable in a failed QCOMPARE; a close frame's reason is left out, it is free text.
    QString summary() const
    {
        QString flags;
        if (!fin || rsv || masked)
            flags = QStringLiteral("[fin=%1 rsv=%2 masked=%3] ").arg(fin).arg(rsv).arg(masked);
        switch (opcode) {
        case Text:
            return flags + QStringLiteral("text ") + QString::fromUtf8(payload);
        case Pong:
            return flags + QStringLiteral("pong ") + QString::fromUtf8(payload);
        case Close:
            return flags + QStringLiteral("close %1").arg(closeCode());
        default:
            return flags + QStringLiteral("opcode %1 of %2 bytes").arg(opcode).arg(payload.size());
        }
    }
};

// A WebSocket client written out by hand over a QTcpSocket: it sends exactly the bytes a test
// builds (any header bits, masked or not, split anyhow) and records each server frame as it was
// on the wire, so what is under test is the server's frame reader, not a client library.
class RawWebSocketClient : public QObject
{
public:
    RawWebSocketClient()
    {
        connect(&m_socket, &QTcpSocket::readyRead, this, &RawWebSocketClient::handleReadyRead);
        connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
            if (m_socket.isOpen()) // closed by the server, not by our destructor
                handleReadyRead();
            m_disconnected = true;
        });
    }

    // Connects, upgrades and waits for the Engine.IO open packet, which is not kept in frames().
    bool open(quint16 port)
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (!QTest::qWaitFor(
                [this] {
                    return m_socket.state() != QTcpSocket::ConnectingState &&
                           m_socket.state() != QTcpSocket::HostLookupState;
                },
                Timeout) ||
            m_socket.state() != QTcpSocket::ConnectedState)
            return fail("cannot connect: " + m_socket.errorString().toUtf8());
        m_socket.setSocketOption(QAbstractSocket::LowDelayOption, 1); // one segment per write
        write("GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:" +
              QByteArray::number(port) +
              "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + Key +
              "\r\nSec-WebSocket-Version: 13\r\n\r\n");
        if (!QTest::qWaitFor([this] { return !m_frames.isEmpty() || m_disconnected; }, Timeout) ||
            m_frames.isEmpty())
            return fail("no Engine.IO open packet; response head: " + m_head);
        if (!m_head.startsWith("HTTP/1.1 101 ") || !m_head.contains("\r\n" + acceptHeader()))
            return fail("not a valid 101 response: " + m_head);
        const ServerFrame open = m_frames.takeFirst();
        if (open.opcode != Text || !open.payload.startsWith("0{") ||
            !open.payload.contains("\"sid\":\""))
            return fail("first frame is not the Engine.IO open packet: " + open.summary().toUtf8());
        return true;
    }

    void write(QByteArrayView bytes)
    {
        m_socket.write(bytes.data(), bytes.size());
        m_socket.flush();
    }
    // `chunk` bytes per write; 0: all in one.
    void write(QByteArrayView bytes, qsizetype chunk)
    {
        const qsizetype step = chunk > 0 ? chunk : bytes.size();
        for (qsizetype at = 0; at < bytes.size(); at += step)
            write(bytes.sliced(at, std::min(step, bytes.size() - at)));
    }

    bool waitForFrames(qsizetype count)
    {
        return QTest::qWaitFor([&] { return m_frames.size() >= count || m_disconnected; },
                               Timeout) &&
               m_frames.size() >= count;
    }
    bool waitForDisconnected()
    {
        return QTest::qWaitFor([this] { return m_disconnected; }, Timeout);
    }

    const QList<ServerFrame> &frames() const { return m_frames; }
    QStringList summary() const
    {
        QStringList lines;
        for (const ServerFrame &frame : m_frames)
            lines.append(frame.summary());
        return lines;
    }
    bool isDisconnected() const { return m_disconnected; }
    QString errorString() const { return m_error; }

private:
    static constexpr char Key[] = "dGhlIHNhbXBsZSBub25jZQ=="; // RFC 6455's own example key

    static QByteArray acceptHeader()
    {
        const QByteArray digest = QCryptographicHash::hash(
            QByteArray(Key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11", QCryptographicHash::Sha1);
        return "Sec-WebSocket-Accept: " + digest.toBase64() + "\r\n";
    }

    bool fail(const QByteArray &why)
    {
        m_error = QString::fromUtf8(why);
        return false;
    }

    void handleReadyRead()
    {
        m_buffer += m_socket.readAll();
        if (!m_upgraded) {
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            if (end < 0)
                return;
            m_head = m_buffer.left(end + 4);
            m_buffer.remove(0, end + 4);
            m_upgraded = true;
        }
        while (takeFrame()) {
        }
    }

    // Moves one complete server frame from the buffer to frames(); false if none is complete.
    bool takeFrame()
    {
        if (m_buffer.size() < 2)
            return false;
        const auto byte = [this](qsizetype i) { return quint8(m_buffer.at(i)); };
        ServerFrame frame;
        frame.fin = byte(0) & 0x80;
        frame.rsv = (byte(0) >> 4) & 0x7;
        frame.opcode = byte(0) & 0xf;
        frame.masked = byte(1) & 0x80;
        quint64 length = byte(1) & 0x7f;
        qsizetype at = 2;
        const int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        if (m_buffer.size() < at + extended)
            return false;
        if (extended)
            length = 0;
        for (int i = 0; i < extended; ++i)
            length = (length << 8) | byte(at++);
        const qsizetype maskAt = at;
        at += frame.masked ? 4 : 0;
        if (quint64(m_buffer.size() - at) < length)
            return false;
        frame.payload = m_buffer.mid(at, qsizetype(length));
        for (qsizetype i = 0; frame.masked && i < frame.payload.size(); ++i)
            frame.payload[i] = char(frame.payload[i] ^ m_buffer[maskAt + i % 4]);
        m_buffer.remove(0, at + qsizetype(length));
        m_frames.append(frame);
        return true;
    }

    QTcpSocket m_socket;
    QByteArray m_buffer;
    QByteArray m_head;
    bool m_upgraded = false;
    bool m_disconnected = false;
    QList<ServerFrame> m_frames;
    QString m_error;
};

} // namespace

// What reservo-ws does on the WebSocket wire (RFC 6455), driven by hand-made frames: control
// frames amid fragments, frames split or pipelined across TCP writes, and the close code for each
// kind of broken frame, which ends that one connection only.
class tst_WebSocketWire : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void pingGetsPongWithItsPayload();
    void pingBetweenFragmentsIsAnswered();
    void characterSplitAcrossFragmentsIsAccepted();
    void framesAreHandledInOrderHoweverSplit_data();
    void framesAreHandledInOrderHoweverSplit();
    void messageOfMaxPayloadIsAccepted_data();
    void messageOfMaxPayloadIsAccepted();
    void clientCloseIsAnswered();
    void brokenFrameClosesOnlyThatConnection_data();
    void brokenFrameClosesOnlyThatConnection();

private:
    // A raw client of the current service, open (the Engine.IO open packet read) or failed.
    std::unique_ptr<RawWebSocketClient> openClient();
    static bool connectNamespace(RawWebSocketClient &client);

    NatsServerProcess m_nats;
    NatsClient m_publisher;
    std::unique_ptr<ServiceProcess> m_service; // fresh for every test function
};

void tst_WebSocketWire::initTestCase_data()
{
    QTest::addColumn<int>("workerThreads");
    QTest::newRow("main thread") << 0;
    QTest::newRow("2 workers") << 2;
}

void tst_WebSocketWire::initTestCase()
{
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY2(m_publisher.start({m_nats.url()}, QStringLiteral("tst_websocketwire")),
             qPrintable(m_publisher.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(m_publisher.state(), NatsClient::State::Connected, Timeout);
}

void tst_WebSocketWire::init()
{
    QFETCH_GLOBAL(int, workerThreads);
    m_service = std::make_unique<ServiceProcess>();
    // No Engine.IO ping may come between the frames a test expects.
    const ServiceProcess::Environment env{
        {QStringLiteral("WORKER_THREADS"), QString::number(workerThreads)},
        {QStringLiteral("MAX_PAYLOAD"), QString::number(MaxPayload)},
        {QStringLiteral("PING_INTERVAL_MS"), QStringLiteral("3600000")}};
    QVERIFY2(m_service->start(m_nats.url(), env), qPrintable(m_service->errorString()));
}

void tst_WebSocketWire::cleanup()
{
    m_service.reset(); // prints its output if the test failed
}

std::unique_ptr<RawWebSocketClient> tst_WebSocketWire::openClient()
{
    auto client = std::make_unique<RawWebSocketClient>();
    if (!client->open(m_service->port()))
        qWarning("raw client: %s", qPrintable(client->errorString()));
    return client;
}

// Sends CONNECT to `/` and checks that its answer is the next frame.
bool tst_WebSocketWire::connectNamespace(RawWebSocketClient &client)
{
    const qsizetype before = client.frames().size();
    client.write(clientFrame(Text, "40"));
    return client.waitForFrames(before + 1) && client.frames().at(before).opcode == Text &&
           isConnectReply(client.frames().at(before).payload);
}

void tst_WebSocketWire::pingGetsPongWithItsPayload()
{
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));

    client->write(clientFrame(Ping, "abc"));

    QVERIFY(client->waitForFrames(1));
    QCOMPARE(client->summary(), QStringList{QStringLiteral("pong abc")});
    QVERIFY2(connectNamespace(*client), qPrintable(client->summary().join(u'\n')));
}

void tst_WebSocketWire::pingBetweenFragmentsIsAnswered()
{
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));

    client->write(clientFrame(Text, "4", NotFinal) + clientFrame(Ping, "mid"));
    QVERIFY(client->waitForFrames(1));
    QCOMPARE(client->summary(), QStringList{QStringLiteral("pong mid")});
    client->write(clientFrame(Continuation, "0"));

    QVERIFY2(client->waitForFrames(2), qPrintable(client->summary().join(u'\n')));
    QVERIFY2(isConnectReply(client->frames().at(1).payload),
             qPrintable(client->frames().at(1).summary()));
}

void tst_WebSocketWire::characterSplitAcrossFragmentsIsAccepted()
{
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));
    const QByteArray connect = "40{\"token\":\"\xC3\xA9\"}"; // é: C3 A9, cut between the two

    const qsizetype cut = connect.indexOf('\xA9');
    client->write(clientFrame(Text, connect.first(cut), NotFinal));
    client->write(clientFrame(Continuation, connect.sliced(cut)));

    QVERIFY2(client->waitForFrames(1), qPrintable(client->summary().join(u'\n')));
    QVERIFY2(isConnectReply(client->frames().at(0).payload),
             qPrintable(client->frames().at(0).summary()));
}

void tst_WebSocketWire::framesAreHandledInOrderHoweverSplit_data()
{
    QTest::addColumn<qsizetype>("chunk");
    QTest::newRow("all in one write") << qsizetype(0);
    QTest::newRow("one byte per write") << qsizetype(1);
    QTest::newRow("three bytes per write") << qsizetype(3);
    QTest::newRow("seven bytes per write") << qsizetype(7);
}

void tst_WebSocketWire::framesAreHandledInOrderHoweverSplit()
{
    QFETCH(qsizetype, chunk);
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));
    const QString eventId = newId();

    client->write(clientFrame(Text, "40") + clientFrame(Text, joinWithAck(eventId)), chunk);

    QVERIFY2(client->waitForFrames(2), qPrintable(client->summary().join(u'\n')));
    QVERIFY2(isConnectReply(client->frames().at(0).payload),
             qPrintable(client->frames().at(0).summary()));
    QCOMPARE(client->frames().at(1).summary(), QString::fromUtf8("text " + joinAck(eventId)));
}

void tst_WebSocketWire::messageOfMaxPayloadIsAccepted_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray event = eventOfSize(MaxPayload);
    QTest::newRow("one frame") << clientFrame(Text, event);
    QTest::newRow("two fragments") << clientFrame(Text, event.first(500), NotFinal) +
                                          clientFrame(Continuation, event.sliced(500));
}

void tst_WebSocketWire::messageOfMaxPayloadIsAccepted()
{
    QFETCH(QByteArray, bytes);
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));
    QVERIFY2(connectNamespace(*client), qPrintable(client->summary().join(u'\n')));
    const double unknownBefore = m_service->metric("reservo_unknown_events_total");
    QVERIFY(unknownBefore >= 0);
    const QString eventId = newId();

    client->write(bytes);
    client->write(clientFrame(Text, joinWithAck(eventId)));

    QVERIFY2(client->waitForFrames(2), qPrintable(client->summary().join(u'\n')));
    QCOMPARE(client->frames().at(1).summary(), QString::fromUtf8("text " + joinAck(eventId)));
    QCOMPARE(m_service->metric("reservo_unknown_events_total"), unknownBefore + 1);
    QVERIFY(!client->isDisconnected());
}

void tst_WebSocketWire::clientCloseIsAnswered()
{
    const auto client = openClient();
    QVERIFY2(client->errorString().isEmpty(), qPrintable(client->errorString()));
    QVERIFY2(connectNamespace(*client), qPrintable(client->summary().join(u'\n')));

    client->write(clientFrame(Close, closePayload(1000, "bye")));

    QVERIFY2(client->waitForDisconnected(), "the server did not close the TCP connection");
    QCOMPARE(client->summary().sliced(1), QStringList{QStringLiteral("close 1000")});
}

void tst_WebSocketWire::brokenFrameClosesOnlyThatConnection_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<int>("closeCode");
    const QByteArray tooBig = eventOfSize(MaxPayload + 1);
    QTest::newRow("unmasked") << clientFrame(Text, "40", Unmasked) << 1002;
    QTest::newRow("RSV1 set") << clientFrame(Text, "40", Rsv1) << 1002;
    QTest::newRow("RSV3 set") << clientFrame(Text, "40", Rsv3) << 1002;
    QTest::newRow("opcode 0x3") << clientFrame(0x3, "40") << 1002;
    QTest::newRow("opcode 0xB") << clientFrame(0xB, "40") << 1002;
    QTest::newRow("continuation without a start") << clientFrame(Continuation, "40") << 1002;
    QTest::newRow("text amid a fragmented message")
        << clientFrame(Text, "4", NotFinal) + clientFrame(Text, "0") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(Ping, "a", NotFinal) << 1002;
    QTest::newRow("ping of 126 bytes") << clientFrame(Ping, QByteArray(126, 'p')) << 1002;
    QTest::newRow("close with a 1-byte payload") << clientFrame(Close, "\x03") << 1002;
    QTest::newRow("close code 1005 on the wire") << clientFrame(Close, closePayload(1005)) << 1002;
    QTest::newRow("message over MAX_PAYLOAD") << clientFrame(Text, tooBig) << 1009;
    QTest::newRow("fragments over MAX_PAYLOAD together")
        << clientFrame(Text, tooBig.first(600), NotFinal) +
               clientFrame(Continuation, tooBig.sliced(600))
        << 1009;
    // 2 + 8 length bytes + 4 mask bytes: the header alone, its payload never sent.
    QTest::newRow("header announcing 70000 bytes")
        << clientFrame(Text, QByteArray(70000, 'a')).first(14) << 1009;
    QTest::newRow("byte 0xFF") << clientFrame(Text, "42[\"x\",\"\xFF\"]") << 1007;
    QTest::newRow("overlong encoding") << clientFrame(Text, "42[\"x\",\"\xC0\xAF\"]") << 1007;
    QTest::newRow("UTF-16 surrogate") << clientFrame(Text, "42[\"x\",\"\xED\xA0\x80\"]") << 1007;
    QTest::newRow("character cut at the end") << clientFrame(Text, "42[\"x\",\"\xC3") << 1007;
    QTest::newRow("invalid byte in a later fragment")
        << clientFrame(Text, "42[\"x\",", NotFinal) + clientFrame(Continuation, "\"\xFF\"]")
        << 1007;
    QTest::newRow("close reason not UTF-8")
        << clientFrame(Close, closePayload(1000, "\xFF")) << 1007;
}

void tst_WebSocketWire::brokenFrameClosesOnlyThatConnection()
{
    QFETCH(QByteArray, bytes);
    QFETCH(int, closeCode);
    // Connections go to the shards in turn: with two workers, one bystander shares the
    // offender's thread and the other does not.
    const auto offender = openClient();
    const std::unique_ptr<RawWebSocketClient> bystanders[] = {openClient(), openClient()};
    QVERIFY2(offender->errorString().isEmpty(), qPrintable(offender->errorString()));
    for (const auto &bystander : bystanders)
        QVERIFY2(bystander->errorString().isEmpty(), qPrintable(bystander->errorString()));

    const double malformedBefore = m_service->metric("reservo_malformed_packets_total");
    QVERIFY(malformedBefore >= 0);
    offender->write(bytes);

    // Not answering the close: the server must end the TCP connection by itself.
    QVERIFY2(offender->waitForDisconnected(), qPrintable(offender->summary().join(u'\n')));
    QCOMPARE(offender->summary(), QStringList{QStringLiteral("close %1").arg(closeCode)});
    for (const auto &bystander : bystanders) {
        QVERIFY2(connectNamespace(*bystander), qPrintable(bystander->summary().join(u'\n')));
        QVERIFY(!bystander->isDisconnected());
    }
    // Counted as the connection's malformed input.
    QTRY_COMPARE_WITH_TIMEOUT(m_service->metric("reservo_malformed_packets_total"),
                              malformedBefore + 1, Timeout);
}

QTEST_GUILESS_MAIN(tst_WebSocketWire)
#include "tst_websocketwire.moc"
