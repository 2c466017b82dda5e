// SPDX-License-Identifier: MIT
#include "floorserver.h"

#include "enginepacket.h"
#include "httprequest.h"
#include "natswire.h"
#include "seat.h"
#include "socketpacket.h"
#include "wshandshake.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcFloor, "reservo.floor", QtInfoMsg)

namespace Reservo::Bench {

namespace {
constexpr qsizetype MaxHead = 16384;

QByteArray updateFrame(const NatsWire::SeatChange &change)
{
    const QJsonObject seat{{QStringLiteral("id"), change.seatId},
                           {QStringLiteral("state"), QString(seatStateName(change.state))}};
    const QByteArray packet =
        SocketIo::encodeEvent(QStringLiteral("/"), QStringLiteral("update-seat-status"), {seat});
    return WebSocketFrame::encodeServerFrame(
        WebSocketFrame::Opcode::Text, EngineIo::encode(EngineIo::PacketType::Message, packet));
}
} // namespace

FloorServer::FloorServer(NatsClient *nats, SocketBatch::Method writes, QObject *parent)
    : QTcpServer(parent), m_nats(nats), m_batch(writes)
{
    connect(nats, &NatsClient::messagesReceived, this, &FloorServer::handleMessages);
    if (m_batch.method() != writes)
        qCInfo(lcFloor) << "io_uring unavailable:" << m_batch.errorString();
}

FloorServer::~FloorServer()
{
    while (!m_clients.empty())
        drop(m_clients.begin()->first);
}

void FloorServer::incomingConnection(qintptr descriptor)
{
    const int fd = int(descriptor);
    auto client = std::make_unique<Client>(fd);
    connect(&client->notifier, &QSocketNotifier::activated, this,
            [this, fd] { handleReadable(fd); });
    m_clients[fd] = std::move(client);
}

void FloorServer::handleReadable(int fd)
{
    Client *client = this->client(fd);
    if (!client)
        return;
    char buffer[16384];
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0)
        return drop(fd);
    if (client->upgraded)
        feed(fd, QByteArrayView(buffer, n));
    else
        handleHead(*client, QByteArray(buffer, n));
}

void FloorServer::feed(int fd, QByteArrayView bytes)
{
    std::vector<WebSocketFrame::Reader::Event> events;
    client(fd)->reader.feed(bytes, events);
    for (const auto &event : events) {
        Client *client = this->client(fd); // an answer that failed dropped it
        if (!client)
            return;
        if (event.kind == WebSocketFrame::Reader::Event::Kind::Text)
            handleText(*client, event.payload);
        else if (event.kind != WebSocketFrame::Reader::Event::Kind::Pong)
            return drop(fd); // a close or a broken frame; the bench never pings
    }
}

// The upgrade (anything but it and `GET /readyz` is refused); frames that came with it follow.
void FloorServer::handleHead(Client &client, const QByteArray &bytes)
{
    client.head += bytes;
    const qsizetype size = HttpRequest::headLength(client.head);
    if (size == 0 && client.head.size() < MaxHead)
        return;
    const std::optional<HttpRequest> request =
        size > 0 ? HttpRequest::parse(client.head.first(size)) : std::nullopt;
    const bool upgrade = request && request->isWebSocketUpgrade();
    const bool ready = request && request->path == QLatin1String("/readyz");
    const QByteArray answer =
        upgrade ? upgradeAnswer(*request, client.fd)
                : httpResponse(ready ? 200 : 404, "text/plain", ready ? "ready\n" : "");
    ::send(client.fd, answer.constData(), size_t(answer.size()), MSG_NOSIGNAL);
    if (!upgrade)
        return drop(client.fd);
    client.upgraded = true;
    const QByteArray rest = std::exchange(client.head, {}).sliced(size);
    if (!rest.isEmpty())
        feed(client.fd, rest);
}

QByteArray FloorServer::upgradeAnswer(const HttpRequest &request, int fd)
{
    const std::string key = request.header("sec-websocket-key").toStdString();
    EngineIo::OpenInfo open;
    open.sid = QString::number(fd);
    open.pingInterval = open.pingTimeout = 1 << 30; // no heartbeats in what is measured
    return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Accept: " +
           QByteArray::fromStdString(WsHandshake::acceptFor(key)) + "\r\n\r\n" +
           WebSocketFrame::encodeServerFrame(WebSocketFrame::Opcode::Text,
                                             EngineIo::encodeOpen(open));
}

void FloorServer::handleText(Client &client, const QByteArray &text)
{
    const std::optional<EngineIo::Packet> engine = EngineIo::decode(text);
    if (!engine || engine->type != EngineIo::PacketType::Message)
        return;
    const std::optional<SocketIo::Packet> packet = SocketIo::decode(engine->data);
    if (!packet)
        return;
    if (packet->type == SocketIo::PacketType::Connect) {
        const QJsonObject sid{{QStringLiteral("sid"), QString::number(client.fd)}};
        return send(client, "0" + QJsonDocument(sid).toJson(QJsonDocument::Compact));
    }
    if (packet->eventName() != QLatin1String("join-event-room") || !packet->ackId)
        return;
    const QString eventId =
        packet->eventArgs().at(0).toObject().value(QStringLiteral("eventId")).toString();
    if (eventId.isEmpty() || client.rooms.contains(eventId))
        return;
    client.rooms.append(eventId);
    m_rooms[eventId].push_back(client.fd);
    send(client,
         SocketIo::encodeAck(QStringLiteral("/"), *packet->ackId,
                             {QStringLiteral("Conectado a la sala correctamente: ") + eventId}));
}

void FloorServer::handleMessages(const QList<NatsMessage> &messages)
{
    for (const NatsMessage &message : messages) {
        const auto parsed = NatsWire::parseSeatChange(message.payload);
        const auto room = parsed ? m_rooms.constFind(parsed.value->change.eventId) : m_rooms.cend();
        if (room == m_rooms.cend())
            continue;
        QByteArray frame = updateFrame(parsed.value->change);
        m_transfers.clear();
        for (const int fd : *room)
            m_transfers.push_back({fd, frame.data(), size_t(frame.size())});
        m_batch.send(m_transfers);
        for (const SocketBatch::Transfer &t : m_transfers) {
            if (t.result == ssize_t(t.size)) {
                ++m_deliveries;
                continue;
            }
            ++m_dropped; // fell behind, or gone: a floor does not buffer
            drop(t.fd);
        }
    }
}

void FloorServer::send(Client &client, const QByteArray &text)
{
    const QByteArray frame = WebSocketFrame::encodeServerFrame(
        WebSocketFrame::Opcode::Text, EngineIo::encode(EngineIo::PacketType::Message, text));
    if (::send(client.fd, frame.constData(), size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT) !=
        frame.size())
        drop(client.fd);
}

FloorServer::Client *FloorServer::client(int fd) const
{
    const auto it = m_clients.find(fd);
    return it == m_clients.end() ? nullptr : it->second.get();
}

void FloorServer::drop(int fd)
{
    const auto it = m_clients.find(fd);
    if (it == m_clients.end())
        return;
    for (const QString &eventId : std::as_const(it->second->rooms))
        std::erase(m_rooms[eventId], fd);
    m_clients.erase(it); // its notifier goes before the descriptor
    ::close(fd);
}

} // namespace Reservo::Bench
