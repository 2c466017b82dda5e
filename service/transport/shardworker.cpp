// SPDX-License-Identifier: MIT
#include "shardworker.h"

#include "websocketframe.h"

#include <QMutexLocker>
#include <QNetworkRequest>
#include <QTcpSocket>
#include <QWebSocket>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>

namespace Reservo {

namespace {
// A socket's batch this large is bulk (a snapshot, or many); a pass writes at most
// BulkBytesPerPass of bulk (and always one batch), about a millisecond of copying here.
constexpr qsizetype BulkBatchBytes = 64 * 1024;
constexpr qsizetype BulkBytesPerPass = 4 * 1024 * 1024;
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('/') + QString::number(port);
}
std::atomic<quint64> nextSocketId{1};
} // namespace

ShardWorker::ShardWorker(int index, SocketShards *shards, const SocketShards::Options &options)
    : m_index(index), m_context{shards, options.maxPayload, options.handshakeTimeoutMs},
      m_server(QStringLiteral("reservo-ws"), QWebSocketServer::NonSecureMode, this),
      m_writer(options.socketWrites)
{
    m_server.setHandshakeTimeout(options.handshakeTimeoutMs);
    m_server.setMaxPendingConnections(1 << 20);
    connect(&m_server, &QWebSocketServer::newConnection, this, &ShardWorker::handleNewConnection);
}

void ShardWorker::post(SocketShards::Batch &&batch, bool direct)
{
    if (direct) {
        apply(batch);
        return writeTouched();
    }
    bool wake = false;
    {
        QMutexLocker lock(&m_mutex);
        m_inbox.push_back(std::move(batch));
        wake = !std::exchange(m_wakePending, true);
    }
    if (wake)
        QMetaObject::invokeMethod(this, &ShardWorker::drain, Qt::QueuedConnection);
}

void ShardWorker::acceptWebSocket(QTcpSocket *socket)
{
    // QWebSocket does not expose its TCP socket: remember it by peer to write to it later.
    m_handshaking.insert(peerKey(socket->peerAddress(), socket->peerPort()), socket);
    connect(socket, &QObject::destroyed, this, [this, socket] {
        for (auto it = m_handshaking.begin(); it != m_handshaking.end(); ++it)
            if (it.value() == socket)
                return void(m_handshaking.erase(it));
    });
    m_server.handleConnection(socket);
}

void ShardWorker::drain()
{
    std::vector<SocketShards::Batch> batches;
    {
        QMutexLocker lock(&m_mutex);
        batches.swap(m_inbox);
        m_wakePending = false;
    }
    for (const SocketShards::Batch &batch : batches)
        apply(batch);
    writeTouched(); // the batches that queued up meanwhile leave together
}

void ShardWorker::apply(const SocketShards::Batch &batch)
{
    using Kind = SocketShards::Command::Kind;
    // Each distinct message of the batch becomes a WebSocket frame once; a large one (a snapshot)
    // once for all the batches its joiners arrive in.
    QList<QByteArray> encoded(batch.frames.size());
    const QByteArray none;
    for (const SocketShards::Command &command : batch.commands) {
        if (command.kind == Kind::Release) {
            std::erase(m_touched, command.socket);
            command.socket->release();
            continue;
        }
        const QByteArray &data = command.frame >= 0 ? batch.frames.at(command.frame) : none;
        const bool message = command.kind == Kind::Text || command.kind == Kind::Binary;
        if (message && encoded.at(command.frame).isNull())
            encoded[command.frame] =
                m_frames.framed(command.kind == Kind::Text ? WebSocketFrame::Opcode::Text
                                                           : WebSocketFrame::Opcode::Binary,
                                data);
        command.socket->execute(command, data, message ? encoded.at(command.frame) : none);
        if (m_touched.empty() || m_touched.back() != command.socket)
            m_touched.push_back(command.socket);
    }
}

void ShardWorker::writeTouched()
{
    m_writeScheduled = false;
    std::sort(m_touched.begin(), m_touched.end());
    m_touched.erase(std::unique(m_touched.begin(), m_touched.end()), m_touched.end());
    // Large batches (snapshots to a storm of joiners) beyond the pass's budget wait for the next
    // pass, so the small ones (broadcasts) never queue behind megabytes of copying.
    qsizetype bulk = 0;
    for (ShardSocket *socket : m_touched) {
        const qsizetype queued = socket->queuedBytes();
        if (queued >= BulkBatchBytes && bulk >= BulkBytesPerPass) {
            m_deferred.push_back(socket);
            continue;
        }
        if (queued >= BulkBatchBytes)
            bulk += queued;
        if (QByteArray bytes = socket->takeBatch(); !bytes.isEmpty()) {
            // Sends only read the bytes (no detach: a broadcast's frame is shared).
            m_writes.push_back({socket->descriptor(), const_cast<char *>(bytes.constData()),
                                size_t(bytes.size())});
            m_writing.push_back({socket, std::move(bytes)});
        }
    }
    m_writer.send(m_writes);
    for (size_t i = 0; i < m_writing.size(); ++i)
        m_writing[i].first->afterWrite(m_writing[i].second, m_writes[i].result);
    for (ShardSocket *socket : m_touched)
        socket->publishCounts();
    m_frames.trim();
    m_writes.clear();
    m_writing.clear();
    m_touched.swap(m_deferred); // the deferred ones are the next pass's first
    m_deferred.clear();
    if (!m_touched.empty() && !std::exchange(m_writeScheduled, true))
        QMetaObject::invokeMethod(this, &ShardWorker::writeTouched, Qt::QueuedConnection);
}

void ShardWorker::handleNewConnection()
{
    while (QWebSocket *socket = m_server.nextPendingConnection()) {
        QTcpSocket *tcp = m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort()));
        // Only the headers the product reads are kept: a connection is long-lived and many.
        QMap<QByteArray, QByteArray> headers;
        if (const QByteArray cookie = socket->request().rawHeader("Cookie"); !cookie.isEmpty())
            headers.insert("cookie", cookie);
        const QUrl url = socket->requestUrl();
        QByteArray early;
        const int fd = takeDescriptor(tcp, &early);
        socket->deleteLater(); // disconnected by now: it sends nothing as it goes
        if (fd < 0) {
            // Usually the client went away during the handshake: any client can do that.
            qCDebug(lcShards) << "dropping a WebSocket connection after its handshake";
            continue;
        }
        const quint64 id = nextSocketId.fetch_add(1);
        auto *shardSocket = new ShardSocket(fd, id, &m_context, this);
        m_context.shards->reportHandshake(
            {m_index, shardSocket, shardSocket->progress(), id, url, headers});
        shardSocket->feed(early); // its events queue behind the handshake's
    }
}

int ShardWorker::takeDescriptor(QTcpSocket *tcp, QByteArray *early)
{
    if (!tcp)
        return -1;
    int fd = -1;
    tcp->flush();
    if (tcp->state() == QAbstractSocket::ConnectedState && tcp->bytesToWrite() == 0) {
        *early = tcp->readAll();
        fd = ::fcntl(int(tcp->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        if (fd < 0) // out of descriptors: the operator must know
            qCWarning(lcShards, "cannot take a WebSocket connection over: %s", strerror(errno));
    }
    QObject::disconnect(tcp, nullptr, &m_server, nullptr); // its cleanup is ours now
    // Qt closes its descriptor only (no shutdown()), so the connection lives on in ours; the
    // QWebSocket sees its socket disconnect, so it sends no close frame as it goes.
    tcp->abort();
    tcp->deleteLater(); // we are inside its readyRead
    return fd;
}

} // namespace Reservo
