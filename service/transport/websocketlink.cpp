// SPDX-License-Identifier: MIT
#include "websocketlink.h"

#include "shardsocket.h"
#include "socketshards.h"

namespace Reservo {

WebSocketLink::WebSocketLink(SocketShards *shards, int shard, ShardSocket *remote, quint64 id,
                             const QUrl &requestUrl, const QMap<QByteArray, QByteArray> &headers)
    : QObject(shards), m_shards(shards), m_shard(shard), m_remote(remote),
      m_progress(remote->progress()), m_id(id), m_requestUrl(requestUrl), m_headers(headers)
{
}

WebSocketLink::~WebSocketLink()
{
    m_shards->m_links.remove(m_id);
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Release, m_remote);
}

QByteArray WebSocketLink::requestHeader(const QByteArray &lowerName) const
{
    return m_headers.value(lowerName);
}

void WebSocketLink::sendText(const QByteArray &utf8)
{
    if (m_disconnected)
        return;
    m_sent += utf8.size();
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Text, m_remote, utf8);
}

void WebSocketLink::sendBinary(const QByteArray &data)
{
    if (m_disconnected)
        return;
    m_sent += data.size();
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Binary, m_remote, data);
}

void WebSocketLink::close(int closeCode, const QString &reason)
{
    if (m_disconnected)
        return;
    m_shards->enqueue(m_shard, SocketShards::Command::Kind::Close, m_remote,
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

} // namespace Reservo
