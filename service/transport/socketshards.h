// SPDX-License-Identifier: MIT
#pragma once

#include "socketbatch.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QMap>
#include <QMutex>
#include <QObject>
#include <QUrl>
#include <deque>
#include <functional>
#include <vector>

class QAbstractEventDispatcher;
class QTcpSocket;
class QThread;

Q_DECLARE_LOGGING_CATEGORY(lcShards)

namespace Reservo {

class ShardSocket;
class ShardWorker;
class WebSocketLink;
struct WriteProgress;

// The worker threads that carry WebSocket connections (a ShardWorker each): each completes
// handshakes with its own QWebSocketServer, owns its sockets and writes what the main thread sends
// them. On the main thread, what the links send is gathered into one batch per shard per
// event-loop pass, and what the shards report goes to the link concerned. With zero workers the
// one shard runs on the main thread (same code path, no thread).
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

    // A handshake a shard completed: where the connection lives now, and what of its request is
    // kept (only the headers the product reads: a connection is long-lived and many).
    struct Handshake
    {
        int shard = 0;
        ShardSocket *socket = nullptr;
        WriteProgress *progress = nullptr; // the socket's
        quint64 socketId = 0;
        QUrl url;
        QMap<QByteArray, QByteArray> headers;
    };
    // What a shard reports about one of its sockets.
    enum class SocketEvent : quint8 { Text, Binary, Written, Disconnected, ProtocolError };

    explicit SocketShards(const Options &options, QObject *parent = nullptr);
    ~SocketShards() override;

    // Completes the WebSocket handshake of socket (its request head still unread) on a shard,
    // which then carries the connection; linkReady follows on success. Takes ownership of socket.
    void acceptWebSocket(QTcpSocket *socket);

    // For WebSocketLink, on the main thread: queues a command for a socket of `shard`, which gets
    // the commands of an event-loop pass together.
    void enqueue(int shard, Command::Kind kind, ShardSocket *socket, const QByteArray &data = {},
                 int closeCode = 0);
    // For WebSocketLink, on the main thread: the link is going, so the shard ends the socket and
    // what it still reports about it is dropped.
    void release(int shard, ShardSocket *socket, quint64 socketId);

    // For the shards, from their own threads: queued to the main thread.
    void reportHandshake(const Handshake &handshake);
    // Routed by id, not pointer, so an event for a link already gone is dropped even if its
    // socket's address was reused.
    void reportSocketEvent(quint64 socketId, SocketEvent event, const QByteArray &data);

signals:
    // A completed handshake; the link is parented to SocketShards until the receiver takes it.
    void linkReady(Reservo::WebSocketLink *link);

private:
    // What a shard reported: a handshake, or an event of one of its sockets, in the order the
    // shards reported them (a socket's events come after its handshake).
    struct Report
    {
        Handshake shake;
        quint64 socketId = 0;
        SocketEvent event = SocketEvent::Text;
        QByteArray data;
        bool handshake = false;
    };
    // Reports handled per event-loop pass: about 10 ms of joins here.
    static constexpr size_t ReportsPerPass = 256;

    void flush();
    void queueReport(Report &&report);
    void handleReports();
    void handleHandshake(const Handshake &handshake);
    void handleSocketEvent(quint64 socketId, SocketEvent event, const QByteArray &data);

    int m_workerThreads = 0;
    std::vector<QThread *> m_threads;
    std::vector<ShardWorker *> m_workers;
    std::vector<Batch> m_pending; // per shard, main thread only
    bool m_flushScheduled = false;
    int m_nextShard = 0;
    QHash<quint64, WebSocketLink *> m_links; // by socket id, main thread only
    QMutex m_reportsMutex;                   // the shards add, the main thread takes
    std::deque<Report> m_reports;
    bool m_reportsPosted = false;
};

} // namespace Reservo
