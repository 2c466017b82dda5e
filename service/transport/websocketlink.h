// SPDX-License-Identifier: MIT
#pragma once

#include "socketshards.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QUrl>

namespace Reservo {

// The main thread's handle on a WebSocket that a shard carries (SocketShards): what it sends
// joins its shard's batch for the event-loop pass, which the shard writes; what the shard reports
// about the socket comes out as this link's signals. Everything here runs on the main thread.
class WebSocketLink : public QObject
{
    Q_OBJECT
public:
    // Parented to shards until the receiver of SocketShards::linkReady takes it.
    WebSocketLink(SocketShards *shards, const SocketShards::Handshake &handshake);
    ~WebSocketLink() override; // releases the socket (aborted if still open)

    QUrl requestUrl() const { return m_requestUrl; }
    // The handshake's headers that are kept (lower-case names): `cookie`.
    const QMap<QByteArray, QByteArray> &requestHeaders() const { return m_headers; }
    bool isConnected() const { return !m_disconnected; }

    void sendText(const QByteArray &utf8);
    void sendBinary(const QByteArray &data);
    void close(int closeCode, const QString &reason);
    // Bytes handed to send*() and not yet written to the kernel.
    qint64 bytesToWrite() const;
    // Ask for one bytesWritten() after the socket next writes (for readers that fell behind).
    void requestDrainNotice();

    // For SocketShards: what the shard reported about the socket, announced with the signals
    // below (nothing more once disconnected).
    void handleShardEvent(SocketShards::SocketEvent event, const QByteArray &data);

signals:
    void textReceived(const QByteArray &utf8);
    void binaryReceived(const QByteArray &data);
    void bytesWritten();
    void disconnected();
    // The client broke RFC 6455; the shard has closed with the matching code. disconnected follows.
    void protocolError(const QString &why);

private:
    void refreshCounts() const;

    SocketShards *m_shards;
    int m_shard;
    // Both valid until the release command reaches the shard, which is after this link is gone.
    ShardSocket *m_socket;
    WriteProgress *m_progress;
    quint64 m_socketId;
    QUrl m_requestUrl;
    QMap<QByteArray, QByteArray> m_headers;

    qint64 m_sent = 0; // bytes handed to the shard so far
    // m_progress as last read: each read is a cache miss (the shard's core wrote it), so
    // bytesToWrite() rereads only when the estimate says the client may be falling behind.
    mutable qint64 m_executedSeen = 0;
    mutable qint64 m_bufferedSeen = 0;
    bool m_disconnected = false;
};

} // namespace Reservo
