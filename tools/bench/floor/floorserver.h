// SPDX-License-Identifier: MIT
#pragma once

#include "httprequest.h"
#include "natsclient.h"
#include "socketbatch.h"
#include "websocketframe.h"

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QSocketNotifier>
#include <QTcpServer>
#include <memory>
#include <unordered_map>
#include <vector>

namespace Reservo::Bench {

// The fan-out and nothing else, as a reference for reservo-bench: one thread that takes
// WebSocket connections on raw descriptors, answers just what the bench says (the upgrade,
// Engine.IO open, Socket.IO CONNECT, join-event-room and its ack; `GET /readyz`), and sends each
// seat change from NATS to its room's sockets in one SocketBatch, encoded once, as the original
// service's `update-seat-status` {id, state}. No sessions, heartbeats, limits, buffering (a
// client that cannot take a message is closed and counted), recovery or metrics: what a
// delivery costs on this machine when a server does nothing but deliver.
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
    };

    void handleReadable(int fd);
    void feed(int fd, QByteArrayView bytes);
    void handleHead(Client &client, const QByteArray &bytes);
    static QByteArray upgradeAnswer(const HttpRequest &request, int fd);
    void handleText(Client &client, const QByteArray &text);
    void handleMessages(const QList<NatsMessage> &messages);
    void send(Client &client, const QByteArray &text);
    void drop(int fd);
    Client *client(int fd) const;

    NatsClient *m_nats;
    SocketBatch m_batch;
    std::unordered_map<int, std::unique_ptr<Client>> m_clients;
    QHash<QString, std::vector<int>> m_rooms; // event id -> descriptors
    std::vector<SocketBatch::Transfer> m_transfers;
    quint64 m_deliveries = 0;
    quint64 m_dropped = 0;
};

} // namespace Reservo::Bench
