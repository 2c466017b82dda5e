// SPDX-License-Identifier: MIT
#pragma once

#include "framecache.h"
#include "shardsocket.h"
#include "socketbatch.h"
#include "socketshards.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QWebSocketServer>
#include <utility>
#include <vector>

class QTcpSocket;

namespace Reservo {

// One shard, on one thread (the main thread with zero workers): a QWebSocketServer for handshakes,
// the sockets it produced (ShardSocket), and the batches the main thread sends them, written with
// one SocketBatch per pass.
class ShardWorker : public QObject
{
public:
    ShardWorker(int index, SocketShards *shards, const SocketShards::Options &options);

    SocketBatch::Method writeMethod() const { return m_writer.method(); }
    QString writeError() const { return m_writer.errorString(); }

    // Main thread: hand over a batch; one wake-up for however many batches wait. `direct`: this
    // shard runs on the calling thread, so execute now.
    void post(SocketShards::Batch &&batch, bool direct);

    // Completes the handshake of socket with this shard's QWebSocketServer.
    void acceptWebSocket(QTcpSocket *socket);

private:
    void drain();
    // Queues each command's bytes on its socket (or closes, or releases it); writeTouched()
    // then writes them.
    void apply(const SocketShards::Batch &batch);
    // Everything the touched sockets got, sent as one SocketBatch: one system call for the lot
    // with io_uring.
    void writeTouched();
    void handleNewConnection();
    // The handshake is done: the connection continues on a descriptor of our own, and Qt's socket
    // objects go. The answer must be out (it is: a few hundred bytes to an empty socket) and what
    // Qt read past the request is handed over. Returns -1 if the connection cannot continue.
    int takeDescriptor(QTcpSocket *tcp, QByteArray *early);

    int m_index;
    ShardContext m_context;
    QWebSocketServer m_server;
    QHash<QString, QTcpSocket *> m_handshaking; // by peer address and port
    QMutex m_mutex;
    std::vector<SocketShards::Batch> m_inbox;
    bool m_wakePending = false;
    SocketBatch m_writer;
    FrameCache m_frames;
    // Per pass, kept for their capacity: the sockets commands went to, and what is written.
    std::vector<ShardSocket *> m_touched;
    std::vector<ShardSocket *> m_deferred; // bulk left for the next pass
    bool m_writeScheduled = false;
    std::vector<SocketBatch::Transfer> m_writes;
    std::vector<std::pair<ShardSocket *, QByteArray>> m_writing;
};

} // namespace Reservo
