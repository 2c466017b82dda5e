// SPDX-License-Identifier: MIT
#include "websocketlink.h"

#include "writeprogress.h"

namespace Reservo {

WebSocketLink::WebSocketLink(SocketShards *shards, const SocketShards::Handshake &handshake)
    : QObject(shards), m_shards(shards), m_shard(handshake.shard), m_socket(handshake.socket),
      m_progress(handshake.progress), m_socketId(handshake.socketId), m_requestUrl(handshake.url),
      m_headers(handshake.headers)
{
}

WebSocketLink::~WebSocketLink()
{
    m_shards->release(m_shard, m_socket, m_socketId);
}

void WebSocketLink::sendText(const QByteArray &utf8)
{
    if (m_disconnected)
        return;
    m_sent += utf8.size();
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Text, m_socket, utf8);
}

void WebSocketLink::sendBinary(const QByteArray &data)
{
    if (m_disconnected)
        return;
    m_sent += data.size();
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Binary, m_socket, data);
}

void WebSocketLink::close(int closeCode, const QString &reason)
{
    if (m_disconnected)
        return;
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Close, m_socket,
                      reason.left(120).toUtf8(), closeCode);
}

qint64 WebSocketLink::bytesToWrite() const
{
    // An overestimate of what is queued, fresh enough for the slow-client threshold (at least
    // 1 KiB, see SLOW_CLIENT_BUFFER): reread the shard's counts only past that.
    constexpr qint64 RereadBytes = 1024;
    if (m_sent - m_executedSeen + m_bufferedSeen >= RereadBytes)
        refreshCounts();
    return m_sent - m_executedSeen + m_bufferedSeen;
}

void WebSocketLink::refreshCounts() const
{
    m_executedSeen = m_progress->executed.load(std::memory_order_relaxed);
    m_bufferedSeen = m_progress->buffered.load(std::memory_order_relaxed);
}

void WebSocketLink::requestDrainNotice()
{
    m_progress->drainNoticeWanted.store(true);
    refreshCounts();
    // Nothing left to write: the worker may never report again, so answer here.
    if (m_sent - m_executedSeen + m_bufferedSeen == 0)
        QMetaObject::invokeMethod(
            this, [this] { emit bytesWritten(); }, Qt::QueuedConnection);
}

void WebSocketLink::handleShardEvent(SocketShards::SocketEvent event, const QByteArray &data)
{
    if (m_disconnected)
        return;
    using Event = SocketShards::SocketEvent;
    switch (event) {
    case Event::Text:
        emit textReceived(data);
        break;
    case Event::Binary:
        emit binaryReceived(data);
        break;
    case Event::Written:
        emit bytesWritten();
        break;
    case Event::Disconnected:
        m_disconnected = true;
        emit disconnected();
        break;
    case Event::ProtocolError:
        emit protocolError(QString::fromUtf8(data));
        break;
    }
}

} // namespace Reservo
