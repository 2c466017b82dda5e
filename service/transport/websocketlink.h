// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QUrl>

namespace Reservo {

class ShardSocket;
class SocketShards;
struct WriteProgress;

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
    ShardSocket *m_remote;     // valid until the release command reaches the worker
    WriteProgress *m_progress; // the remote's, as long
    quint64 m_id;
    QUrl m_requestUrl;
    QMap<QByteArray, QByteArray> m_headers;
    void refreshCounts() const;

    qint64 m_sent = 0; // bytes handed to the shard so far
    // m_progress as last read: each read is a cache miss (the shard's core wrote it), so
    // bytesToWrite() rereads only when the estimate says the client may be falling behind.
    mutable qint64 m_executedSeen = 0;
    mutable qint64 m_bufferedSeen = 0;
    bool m_disconnected = false;
};

} // namespace Reservo
