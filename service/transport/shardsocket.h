// SPDX-License-Identifier: MIT
#pragma once

#include "socketshards.h"
#include "websocketframe.h"
#include "writeprogress.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QSocketNotifier>
#include <vector>

class QTimer;

namespace Reservo {

// What a shard's sockets share; their worker owns it.
struct ShardContext
{
    SocketShards *shards; // where they report to the main thread
    qint64 maxPayload;
    int closeTimeoutMs;
    std::vector<char> readBuffer = std::vector<char>(64 * 1024); // one read per wake-up at most
};

// A WebSocket on a shard's thread, on its own descriptor once QWebSocketServer has completed the
// handshake: no QWebSocket and no QTcpSocket per connection (their buffers and signal connections
// were most of a connection's memory). Frames are read with WebSocketFrame::Reader; outgoing
// messages are encoded once per batch (a room's frame is the same for all its members) and queued
// here until the worker writes the batch for all its sockets at once (SocketBatch: one io_uring
// submission, or one send() per socket without io_uring); only what the kernel does not take
// stays buffered here. Deleted by its worker when the main thread releases it.
class ShardSocket : public QObject
{
public:
    ShardSocket(int fd, quint64 id, ShardContext *context, QObject *parent);
    ~ShardSocket() override;

    // Bytes QWebSocketServer read past the handshake: the first frames, if the client was quick.
    void feed(QByteArrayView bytes);

    // `data` is what the main thread sent, `frame` its encoded WebSocket frame.
    void execute(const SocketShards::Command &command, const QByteArray &data,
                 const QByteArray &frame);

    int descriptor() const { return m_fd; }

    // After a batch: the bytes its commands queued here, for the worker to write at once with
    // the other sockets' (then afterWrite()). Empty when there are none, or when they had to
    // queue behind bytes the kernel has not taken yet.
    QByteArray takeBatch();
    // The bytes takeBatch() would take.
    qsizetype queuedBytes() const { return m_outBytes; }
    // What became of bytes offered to the kernel: `result` bytes taken, or -errno. An error
    // ends the connection; what was not taken waits here for the socket to drain.
    void afterWrite(const QByteArray &bytes, ssize_t result);
    // Once per socket per batch: publishes how far this socket got (its WriteProgress).
    void publishCounts();
    // Writes this batch's bytes now, on its own (before a close frame).
    void flush();
    // The main thread let go of it: the connection ends now, the object on the next pass.
    void release();

    // What this socket shares with its link on the main thread.
    WriteProgress *progress() { return &m_progress; }

private:
    // Open, then Closing once a close frame is queued (the peer's, or ours: then the peer's
    // answer or the close timeout is awaited), then Closed when the descriptor is gone.
    enum class State : quint8 { Open, Closing, Closed };

    void handleReadable();
    void handleBytes(QByteArrayView bytes);

    // Queues our close frame; the descriptor closes once it is written and the peer's close frame
    // was seen, or when the close timeout expires.
    void startClose(quint16 code, QByteArrayView reason);

    // Our close frame is out: with the peer's seen too, we are done; otherwise tell the peer we
    // send nothing more and wait for its close frame or its FIN.
    void closeWhenWritten();

    void write(const QByteArray &bytes);
    void handleWritable();

    // The connection is over: the descriptor goes, and the main thread hears it once.
    void finish();

    void closeDescriptor();
    void reportBuffered();
    void report(SocketShards::SocketEvent event, const QByteArray &data = {});

    int m_fd;
    quint64 m_id;
    ShardContext *m_context;
    WebSocketFrame::Reader m_reader;
    QSocketNotifier m_readNotifier;
    QSocketNotifier m_writeNotifier; // enabled while m_unsent holds bytes
    QTimer *m_closeTimer = nullptr;  // only while closing
    QList<QByteArray> m_out;         // this batch's frames
    qsizetype m_outBytes = 0;        // their size
    QByteArray m_unsent;             // what the kernel did not take yet, from m_unsentOffset
    qsizetype m_unsentOffset = 0;
    qint64 m_executed = 0; // published into m_progress once per batch
    WriteProgress m_progress;
    State m_state = State::Open;
    bool m_peerClosed = false;
};

} // namespace Reservo
