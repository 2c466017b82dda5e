// SPDX-License-Identifier: MIT
#include "pollingclient.h"

#include "socketpacket.h"
#include "testhelpers.h"

#include <QNetworkRequest>
#include <QTest>
#include <QUrl>

namespace Reservo::Test {

namespace {
const QByteArray HandshakeTarget = "/socket.io/?EIO=4&transport=polling";
} // namespace

PollingClient::PollingClient(quint16 port, const HttpExchange::Headers &headers, QObject *parent)
    : QObject(parent), m_port(port), m_headers(headers)
{
    connect(&m_probe, &QWebSocket::connected, this,
            [this] { m_probe.sendTextMessage(QStringLiteral("2probe")); });
    connect(&m_probe, &QWebSocket::textMessageReceived, this, &PollingClient::handleProbeFrame);
    connect(&m_probe, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        m_protocolErrors.append(QStringLiteral("binary frame of %1 bytes").arg(data.size()));
    });
    connect(&m_probe, &QWebSocket::disconnected, this, [this] {
        if (upgraded())
            fail(QStringLiteral("WebSocket closed: %1").arg(m_probe.closeReason()));
    });
}

QByteArray PollingClient::sessionTarget(const QByteArray &transport) const
{
    return "/socket.io/?EIO=4&transport=" + transport + "&sid=" + m_open.sid.toUtf8();
}

HttpResponse PollingClient::handshake()
{
    const HttpResponse response = httpExchange(m_port, "GET", HandshakeTarget, m_headers);
    if (response.status != 200 || !response.error.isEmpty()) {
        fail(QStringLiteral("handshake: %1 %2 %3")
                 .arg(response.status)
                 .arg(response.error, QString::fromUtf8(response.body)));
        return response;
    }
    handlePayload(response.body);
    if (!m_opened)
        fail(QStringLiteral("handshake without an open packet: %1")
                 .arg(QString::fromUtf8(response.body)));
    issuePoll();
    return response;
}

bool PollingClient::connectTo(const QJsonObject &auth)
{
    if (handshake().status != 200)
        return false;
    const std::optional<QByteArray> reply = connectNamespace(auth);
    if (reply && reply->startsWith("0{"))
        return true;
    m_error = QStringLiteral("CONNECT not accepted: %1").arg(QString::fromUtf8(reply.value_or("")));
    return false;
}

std::optional<QByteArray> PollingClient::connectNamespace(const QJsonObject &auth)
{
    const qsizetype before = m_connectReplies.size();
    SocketIo::Packet connectPacket;
    connectPacket.type = SocketIo::PacketType::Connect;
    if (!auth.isEmpty())
        connectPacket.data = auth;
    send('4' + SocketIo::encode(connectPacket));
    if (!QTest::qWaitFor([&] { return m_connectReplies.size() > before || m_closed; }, Timeout) ||
        m_connectReplies.size() == before)
        return std::nullopt;
    return m_connectReplies.at(before);
}

std::optional<QJsonArray> PollingClient::emitWithAck(const QString &event, const QJsonArray &args)
{
    const quint64 ackId = m_nextAckId++;
    send('4' + SocketIo::encodeEvent(QStringLiteral("/"), event, args, ackId));
    if (!QTest::qWaitFor([&] { return m_acks.contains(ackId) || m_closed; }, Timeout) ||
        !m_acks.contains(ackId))
        return std::nullopt;
    return m_acks.take(ackId);
}

bool PollingClient::joinEventRoom(const QString &eventId)
{
    const std::optional<QJsonArray> ack = emitWithAck(
        QStringLiteral("join-event-room"), {QJsonObject{{QStringLiteral("eventId"), eventId}}});
    return ack == QJsonArray{QStringLiteral("Conectado a la sala correctamente: ") + eventId};
}

void PollingClient::send(const QByteArray &packet)
{
    m_outbox.append(packet);
    flushPosts();
}

// --- Long-polling ---------------------------------------------------------------------------

void PollingClient::resumePolling()
{
    m_pollingStopped = false;
    issuePoll();
}

void PollingClient::issuePoll()
{
    if (m_poll || m_closed || m_pausing || m_pollingStopped || upgraded() || !m_opened)
        return;
    m_poll = new HttpExchange(m_port, "GET", sessionTarget(), m_headers, {}, this);
    HttpExchange *poll = m_poll;
    connect(poll, &HttpExchange::finished, this, [this, poll] { handlePollFinished(poll); });
    poll->start();
}

void PollingClient::handlePollFinished(HttpExchange *poll)
{
    poll->deleteLater();
    m_poll = nullptr;
    m_pollResponses.append(poll->response());
    const HttpResponse &response = poll->response();
    if (response.status != 200 || !response.error.isEmpty())
        return fail(QStringLiteral("poll answered %1 %2 %3")
                        .arg(response.status)
                        .arg(response.error, QString::fromUtf8(response.body)));
    handlePayload(response.body);
    if (m_pausing)
        return finishUpgradeWhenPaused();
    issuePoll();
}

void PollingClient::flushPosts()
{
    if (m_post || m_outbox.isEmpty() || m_closed || m_pausing)
        return;
    if (upgraded()) {
        for (const QByteArray &packet : std::exchange(m_outbox, {}))
            m_probe.sendTextMessage(QString::fromUtf8(packet));
        return;
    }
    // Packets written together travel in one POST, separated as the protocol says.
    const QByteArray body = std::exchange(m_outbox, {}).join(EngineIo::RecordSeparator);
    m_post = new HttpExchange(m_port, "POST", sessionTarget(),
                              m_headers + HttpExchange::Headers{{"Content-Type", "text/plain"}},
                              body, this);
    HttpExchange *post = m_post;
    connect(post, &HttpExchange::finished, this, [this, post] {
        post->deleteLater();
        m_post = nullptr;
        m_postResponses.append(post->response());
        if (post->response().status != 200)
            return fail(QStringLiteral("POST answered %1 %2")
                            .arg(post->response().status)
                            .arg(QString::fromUtf8(post->response().body)));
        if (m_pausing)
            return finishUpgradeWhenPaused();
        flushPosts();
    });
    post->start();
}

void PollingClient::handlePayload(const QByteArray &payload)
{
    for (const QByteArray &packet : payload.split(EngineIo::RecordSeparator))
        handlePacket(packet);
}

void PollingClient::handlePacket(const QByteArray &packet)
{
    m_packets.append(packet);
    switch (packet.isEmpty() ? '?' : packet.front()) {
    case '0':
        if (const std::optional<EngineIo::OpenInfo> info = EngineIo::decodeOpen(packet.mid(1))) {
            m_open = *info;
            m_opened = true;
        } else {
            m_protocolErrors.append(QStringLiteral("bad open packet ") + QString::fromUtf8(packet));
        }
        break;
    case '1':
        m_closed = true;
        break;
    case '2':
        ++m_pings;
        if (m_autoPong)
            send('3' + packet.mid(1));
        break;
    case '4':
        handleSocketIo(packet.mid(1));
        break;
    case '6':
        break;
    default:
        m_protocolErrors.append(QStringLiteral("unexpected packet ") + QString::fromUtf8(packet));
    }
}

void PollingClient::handleSocketIo(const QByteArray &data)
{
    QString error;
    const std::optional<SocketIo::Packet> packet = SocketIo::decode(data, &error);
    if (!packet) {
        m_protocolErrors.append(
            QStringLiteral("bad Socket.IO packet %1: %2").arg(QString::fromUtf8(data), error));
        return;
    }
    switch (packet->type) {
    case SocketIo::PacketType::Connect:
    case SocketIo::PacketType::ConnectError:
        m_connectReplies.append(data);
        break;
    case SocketIo::PacketType::Ack:
        if (packet->ackId) {
            m_acks.insert(*packet->ackId, packet->data.toArray());
            m_lastAckPacket = '4' + data;
        }
        break;
    case SocketIo::PacketType::Event:
        m_events.append({packet->eventName(), packet->eventArgs().at(0).toObject()});
        break;
    default:
        m_protocolErrors.append(QStringLiteral("unexpected packet ") + QString::fromUtf8(data));
    }
}

QList<QJsonObject> PollingClient::eventsNamed(const QString &name) const
{
    QList<QJsonObject> found;
    for (const auto &[event, argument] : m_events)
        if (event == name)
            found.append(argument);
    return found;
}

QList<QJsonObject> PollingClient::seatUpdates() const
{
    return eventsNamed(QStringLiteral("update-seat-status"));
}

void PollingClient::fail(const QString &error)
{
    if (m_error.isEmpty())
        m_error = error;
    m_closed = true;
}

// --- Upgrade --------------------------------------------------------------------------------

void PollingClient::startUpgrade()
{
    QNetworkRequest request(QUrl(QStringLiteral("ws://127.0.0.1:%1").arg(m_port) +
                                 QString::fromUtf8(sessionTarget("websocket"))));
    for (const auto &[name, value] : std::as_const(m_headers))
        request.setRawHeader(name, value);
    m_probe.open(request);
}

bool PollingClient::upgrade()
{
    startUpgrade();
    if (!QTest::qWaitFor([this] { return upgraded() || m_closed; }, Timeout) && m_error.isEmpty())
        m_error = QStringLiteral("no upgrade within %1 ms").arg(Timeout);
    return upgraded() && !m_closed;
}

void PollingClient::handleProbeFrame(const QString &text)
{
    if (upgraded()) {
        ++m_webSocketPackets;
        return handlePacket(text.toUtf8());
    }
    if (text != QLatin1String("3probe") || m_pausing) {
        m_protocolErrors.append(QStringLiteral("unexpected frame during the upgrade: ") + text);
        return;
    }
    m_pausing = true; // socket.io-client pauses polling: the waiting GET ends, no new one
    finishUpgradeWhenPaused();
}

void PollingClient::finishUpgradeWhenPaused()
{
    if (m_poll || m_post)
        return;
    m_probe.sendTextMessage(QStringLiteral("5"));
    m_transport = Transport::WebSocket;
    m_pausing = false;
    flushPosts();
}

bool seqIsContiguous(const QList<QJsonObject> &updates, int first, QString *why)
{
    for (qsizetype i = 0; i < updates.size(); ++i) {
        const int seq = updates[i].value(QStringLiteral("seq")).toInt(-1);
        if (seq != first + i) {
            *why =
                QStringLiteral("update %1 has seq %2, expected %3").arg(i).arg(seq).arg(first + i);
            return false;
        }
    }
    return true;
}

} // namespace Reservo::Test
