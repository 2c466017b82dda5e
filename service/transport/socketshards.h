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
class SocketShards;

// The main thread's handle on a WebSocket that lives on a shard (a worker thread with its own
// event loop). Sends are batched per shard and handed over once per event-loop pass; the
// worker writes and flushes them. Everything here runs on the main thread.
class WebSocketLink : public QObject
{
    Q_OBJECT
public:
    ~WebSocketLink() override; // releases the socket (aborted if still open)

    QUrl requestUrl() const { return m_requestUrl; }
    // The handshake's headers that are kept (lower-case names): `cookie`.
    QByteArray requestHeader(const QByteArray &lowerName) const;
    const QMap<QByteArray, QByteArray> &requestHeaders() const { return m_headers; }
    bool isConnected() const { return !m_disconnected; }

    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    void close(int closeCode, const QString &reason);
    // Bytes handed to send*() and not yet written to the kernel.
    qint64 bytesToWrite() const;
    // Ask for one bytesWritten() after the socket next writes (for readers that fell behind).
    void requestDrainNotice();

signals:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    void bytesWritten();
    void disconnected();
    // The client broke RFC 6455; the shard has closed with the matching code. disconnected follows.
    void protocolError(const QString &why);

private:
    friend class SocketShards;
    WebSocketLink(SocketShards *shards, int shard, ShardSocket *remote, quint64 id,
                  const QUrl &requestUrl, const QMap<QByteArray, QByteArray> &headers);

    SocketShards *m_shards;
    int m_shard;
    ShardSocket *m_remote; // valid until the release command reaches the worker
    quint64 m_id;
    QUrl m_requestUrl;
    QMap<QByteArray, QByteArray> m_headers;
    void refreshCounts() const;

    qint64 m_sent = 0; // bytes handed to the shard so far
    // The shard's counts as last read: reading them costs a cache miss, so bytesToWrite()
    // rereads only when the estimate says the client may be falling behind.
    mutable qint64 m_executedSeen = 0;
    mutable qint64 m_bufferedSeen = 0;
    bool m_disconnected = false;
};

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
