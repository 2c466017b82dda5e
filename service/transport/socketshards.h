// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QUrl>

#include "socketbatch.h"
#include <functional>
#include <memory>
#include <vector>

class QAbstractEventDispatcher;
class QTcpSocket;
class QThread;

namespace Reservo {

class ShardSocket;
class ShardWorker;
class WebSocketLink;

// The worker threads that carry WebSocket connections: each completes handshakes with its own
// QWebSocketServer, owns its sockets and writes what the main thread sends them. With zero
// workers the one shard runs on the main thread (same code path, no thread).
class SocketShards : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int workers = 1;
        int handshakeTimeoutMs = 10000;
        qint64 maxPayload = 1000000;
        // Makes each worker thread's event dispatcher (nullptr: Qt's default).
        std::function<QAbstractEventDispatcher *()> dispatcherFactory;
        SocketBatch::Method socketWrites = SocketBatch::Method::IoUring;
    };

    // One command for a shard's socket, queued on the main thread.
    struct Command
    {
        enum class Kind : quint8 { Text, Binary, Close, Release };
        Kind kind = Kind::Text;
        int frame = -1; // index in Batch::frames: the message, or the close reason
        int closeCode = 0;
        ShardSocket *socket = nullptr;
    };
    // What one shard gets per event-loop pass. A room's broadcast is queued for each member but
    // stored once: no reference counting per delivery across threads.
    struct Batch
    {
        std::vector<Command> commands;
        QList<QByteArray> frames;
    };

    explicit SocketShards(const Options &options, QObject *parent = nullptr);
    ~SocketShards() override;

    // Completes the WebSocket handshake of socket (its request head still unread) on a shard,
    // which then carries the connection; linkReady follows on success. Takes ownership of socket.
    void acceptWebSocket(QTcpSocket *socket);

signals:
    // A completed handshake; the link is parented to SocketShards until the receiver takes it.
    void linkReady(Reservo::WebSocketLink *link);

private:
    friend class WebSocketLink;
    friend class ShardWorker;
    friend class ShardSocket;

    void enqueue(int shard, Command::Kind kind, ShardSocket *socket, const QByteArray &data = {},
                 int closeCode = 0);
    void flush();
    // Called (queued) by workers on the main thread.
    void handleHandshake(int shard, ShardSocket *remote, quint64 id, const QUrl &url,
                         const QMap<QByteArray, QByteArray> &headers);
    void handleSocketEvent(quint64 id, int kind, const QByteArray &data);

    Options m_options;
    int m_workerThreads = 0;
    std::vector<QThread *> m_threads;
    std::vector<ShardWorker *> m_workers;
    std::vector<Batch> m_pending; // per shard, main thread only
    bool m_flushScheduled = false;
    int m_nextShard = 0;
    QHash<quint64, WebSocketLink *> m_links;
};

} // namespace Reservo
