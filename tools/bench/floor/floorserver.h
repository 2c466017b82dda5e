// SPDX-License-Identifier: MIT
#pragma once

#include "floorrooms.h"
#include "httprequest.h"
#include "natsclient.h"
#include "socketbatch.h"
#include "websocketframe.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QJsonObject>
#include <QSocketNotifier>
#include <QTcpServer>
#include <deque>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace Reservo::Bench {

// The fan-out and nothing else, as a reference for reservo-bench: one thread that takes
// WebSocket connections on raw descriptors, answers just what the bench says (the upgrade,
// Engine.IO open, Socket.IO CONNECT, join-event-room and its ack; `GET /readyz`), and sends each
// seat change from NATS to its room's sockets in one SocketBatch, encoded once, as the original
// service's `update-seat-status` {id, state} (changes that arrive together in one write). A join
// also gets the room's snapshot (FloorRooms: JSON, or compact with the layout unless held),
// pre-encoded. No sessions, heartbeats, limits, recovery or metrics, and no buffering but a
// snapshot's (a client that cannot take a change is closed and counted): what a delivery and a join
// cost on this machine when a server does nothing but send bytes it has ready.
class FloorServer : public QTcpServer
{
    Q_OBJECT
public:
    FloorServer(NatsClient *nats, SocketBatch::Method writes, QObject *parent = nullptr);
    ~FloorServer() override;

    quint64 deliveries() const { return m_deliveries; }
    quint64 dropped() const { return m_dropped; }

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    struct Client
    {
        explicit Client(int descriptor) : fd(descriptor), notifier(fd, QSocketNotifier::Read) {}
        int fd;
        QSocketNotifier notifier;
        QByteArray head; // until the request head is complete
        bool upgraded = false;
        WebSocketFrame::Reader reader{1000000};
        QStringList rooms;
        // Frames (shared, not copied) and how much of the first went out, behind a snapshot.
        std::deque<std::pair<QByteArray, qsizetype>> queue;
        std::unique_ptr<QSocketNotifier> writer;
    };
    struct Joiner // waiting for its room's map
    {
        int fd = -1;
        bool compact = false;
        QString layout;
    };

    void handleReadable(int fd);
    void feed(int fd, QByteArrayView bytes);
    void handleHead(Client &client, const QByteArray &bytes);
    static QByteArray upgradeAnswer(const HttpRequest &request, int fd);
    void handleText(Client &client, const QByteArray &text);
    void handleJoin(Client &client, const QJsonObject &payload, qint64 ackId);
    void answerJoin(const QString &eventId, const Joiner &joiner);
    void handleMapSettled(const QString &eventId);
    void handleMessages(const QList<NatsMessage> &messages);
    void fanOut(const std::vector<int> &fds, const QByteArray &frames, int count);
    void send(Client &client, const QByteArray &text);
    // Sends what the socket takes now and queues the rest (false: the client was dropped).
    bool sendFrame(Client &client, const QByteArray &frame);
    void handleWritable(int fd);
    void drop(int fd);
    Client *client(int fd) const;

    NatsClient *m_nats;
    FloorRooms m_maps;
    QHash<QString, std::vector<Joiner>> m_waiting;
    std::unordered_set<int> m_queued; // clients with frames queued behind a snapshot
    SocketBatch m_batch;
    std::unordered_map<int, std::unique_ptr<Client>> m_clients;
    QHash<QString, std::vector<int>> m_rooms; // event id -> descriptors
    std::vector<SocketBatch::Transfer> m_transfers;
    quint64 m_deliveries = 0;
    quint64 m_dropped = 0;
};

} // namespace Reservo::Bench
