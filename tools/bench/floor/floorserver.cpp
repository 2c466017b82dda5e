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
    : QTcpServer(parent), m_nats(nats), m_maps(nats), m_batch(writes)
{
    connect(nats, &NatsClient::messagesReceived, this, &FloorServer::handleMessages);
    connect(&m_maps, &FloorRooms::mapSettled, this, &FloorServer::handleMapSettled);
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
    if (packet->eventName() == QLatin1String("join-event-room") && packet->ackId)
        handleJoin(client, packet->eventArgs().at(0).toObject(), *packet->ackId);
}

void FloorServer::handleJoin(Client &client, const QJsonObject &payload, qint64 ackId)
{
    const QString eventId = payload.value(QStringLiteral("eventId")).toString();
    if (eventId.isEmpty() || client.rooms.contains(eventId))
        return;
    client.rooms.append(eventId);
    m_rooms[eventId].push_back(client.fd);
    send(client,
         SocketIo::encodeAck(QStringLiteral("/"), ackId,
                             {QStringLiteral("Conectado a la sala correctamente: ") + eventId}));
    const bool compact = payload.value(QStringLiteral("snapshot")) == QLatin1String("compact");
    answerJoin(eventId, {client.fd, compact, payload.value(QStringLiteral("layout")).toString()});
}

void FloorServer::answerJoin(const QString &eventId, const Joiner &joiner)
{
    const FloorRooms::Map map = m_maps.request(eventId);
    if (map == FloorRooms::Map::Fetching)
        return m_waiting[eventId].push_back(joiner);
    Client *client = this->client(joiner.fd);
    const int viewers = int(m_rooms.value(eventId).size());
    for (const QByteArray &frame : m_maps.frames(eventId, joiner.compact, joiner.layout, viewers))
        if (!client || !sendFrame(*client, frame))
            return;
}

void FloorServer::handleMapSettled(const QString &eventId)
{
    for (const Joiner &joiner : m_waiting.take(eventId)) {
        const Client *client = this->client(joiner.fd);
        if (client && client->rooms.contains(eventId))
            answerJoin(eventId, joiner);
    }
}

// Changes that NATS hands over together go to each client of their room in one write, encoded
// once: a server that has fallen behind sends what it has in one segment, as reservo-ws does
// (one change per write would cost a segment each, and a join storm's room of 5,100 at 50
// changes a second is 255,000 of them a second). Keeping up, that is one change per write.
void FloorServer::handleMessages(const QList<NatsMessage> &messages)
{
    QStringList order;
    QHash<QString, std::pair<QByteArray, int>> pending; // room -> its frames, how many
    for (const NatsMessage &message : messages) {
        const auto parsed = NatsWire::parseSeatChange(message.payload);
        if (!parsed || !m_rooms.contains(parsed.value->change.eventId))
            continue;
        m_maps.apply(parsed.value->change);
        auto &[frames, count] = pending[parsed.value->change.eventId];
        if (count++ == 0)
            order.append(parsed.value->change.eventId);
        frames.append(updateFrame(parsed.value->change));
    }
    for (const QString &eventId : std::as_const(order)) {
        const auto &[frames, count] = pending[eventId];
        fanOut(m_rooms.value(eventId), frames, count); // a copy: drops change the room
    }
}

void FloorServer::fanOut(const std::vector<int> &fds, const QByteArray &frames, int count)
{
    m_transfers.clear();
    for (const int fd : fds) {
        if (!m_queued.empty() && m_queued.count(fd)) { // behind its snapshot, in order
            client(fd)->queue.emplace_back(frames, 0);
            m_deliveries += quint64(count);
            continue;
        }
        m_transfers.push_back({fd, const_cast<char *>(frames.constData()), size_t(frames.size())});
    }
    m_batch.send(m_transfers);
    for (const SocketBatch::Transfer &t : m_transfers) {
        if (t.result == ssize_t(t.size)) {
            m_deliveries += quint64(count);
            continue;
        }
        ++m_dropped; // fell behind, or gone: a floor does not buffer
        drop(t.fd);
    }
}

void FloorServer::send(Client &client, const QByteArray &text)
{
    sendFrame(client, WebSocketFrame::encodeServerFrame(
                          WebSocketFrame::Opcode::Text,
                          EngineIo::encode(EngineIo::PacketType::Message, text)));
}

bool FloorServer::sendFrame(Client &client, const QByteArray &frame)
{
    if (!client.queue.empty()) {
        client.queue.emplace_back(frame, 0);
        return true;
    }
    const ssize_t n =
        ::send(client.fd, frame.constData(), size_t(frame.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n == frame.size())
        return true;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
        drop(client.fd);
        return false;
    }
    client.queue.emplace_back(frame, std::max<qsizetype>(n, 0));
    m_queued.insert(client.fd);
    if (!client.writer) {
        client.writer = std::make_unique<QSocketNotifier>(client.fd, QSocketNotifier::Write);
        const int fd = client.fd;
        connect(client.writer.get(), &QSocketNotifier::activated, this,
                [this, fd] { handleWritable(fd); });
    }
    client.writer->setEnabled(true);
    return true;
}

void FloorServer::handleWritable(int fd)
{
    Client *client = this->client(fd);
    while (client && !client->queue.empty()) {
        auto &[frame, sent] = client->queue.front();
        const ssize_t n = ::send(fd, frame.constData() + sent, size_t(frame.size() - sent),
                                 MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n < 0)
            return drop(fd);
        sent += n;
        if (sent < frame.size())
            return;
        client->queue.pop_front();
    }
    if (client) {
        client->writer->setEnabled(false);
        m_queued.erase(fd);
    }
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
    m_queued.erase(fd);
    m_clients.erase(it); // its notifiers go before the descriptor
    ::close(fd);
}

} // namespace Reservo::Bench
