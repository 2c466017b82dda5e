// SPDX-License-Identifier: MIT
#include "socketshards.h"

#include "shardsocket.h"

#include "websocketframe.h"

#include <QAbstractEventDispatcher>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dlfcn.h>
#include <fcntl.h>

Q_LOGGING_CATEGORY(lcShards, "reservo.shards", QtInfoMsg)

namespace Reservo {

namespace {
QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('/') + QString::number(port);
}
std::atomic<quint64> nextSocketId{1};

// QWebSocketServer makes a QWebSocket per handshake, and a QWebSocket reads Qt's default SSL
// configuration, which gives the thread OpenSSL state. OpenSSL frees it when the thread ends, after
// QThread::wait() has returned: at shutdown that raced exit()'s own OpenSSL cleanup (a double free
// seen under ASan). Free it before the thread ends. libcrypto is loaded by Qt's TLS plugin if at
// all, so it is looked up, not linked.
void releaseOpenSslThreadState()
{
    for (const char *name : {"libcrypto.so.3", "libcrypto.so.1.1"}) {
        void *crypto = dlopen(name, RTLD_NOW | RTLD_NOLOAD);
        if (!crypto)
            continue;
        if (auto stop = reinterpret_cast<void (*)()>(dlsym(crypto, "OPENSSL_thread_stop")))
            stop();
        dlclose(crypto);
        return;
    }
}
} // namespace

// One shard: a QWebSocketServer for handshakes and the sockets it produced, on one thread.
class ShardWorker : public QObject
{
public:
    ShardWorker(int index, SocketShards *shards, const SocketShards::Options &options)
        : m_index(index),
          m_shards(shards), m_context{shards, options.maxPayload, options.handshakeTimeoutMs},
          m_server(QStringLiteral("reservo-ws"), QWebSocketServer::NonSecureMode, this),
          m_writer(options.socketWrites)
    {
        m_server.setHandshakeTimeout(options.handshakeTimeoutMs);
        m_server.setMaxPendingConnections(1 << 20);
        connect(&m_server, &QWebSocketServer::newConnection, this,
                &ShardWorker::handleNewConnection);
    }

    SocketBatch::Method writeMethod() const { return m_writer.method(); }
    QString writeError() const { return m_writer.errorString(); }

    // Main thread: hand over a batch; one wake-up per batch. `direct`: this shard runs on the
    // calling thread, so execute now.
    void post(SocketShards::Batch &&batch, bool direct)
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

    // Completes the handshake of socket with this shard's QWebSocketServer.
    void acceptWebSocket(QTcpSocket *socket)
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

private:
    void drain()
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

    // Queues each command's bytes on its socket (or closes, or releases it); writeTouched()
    // then writes them.
    void apply(const SocketShards::Batch &batch)
    {
        using Kind = SocketShards::Command::Kind;
        // Each distinct message of the batch becomes a WebSocket frame once.
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
                encoded[command.frame] = WebSocketFrame::encodeServerFrame(
                    command.kind == Kind::Text ? WebSocketFrame::Opcode::Text
                                               : WebSocketFrame::Opcode::Binary,
                    data);
            command.socket->execute(command, data, message ? encoded.at(command.frame) : none);
            if (m_touched.empty() || m_touched.back() != command.socket)
                m_touched.push_back(command.socket);
        }
    }

    // Everything the touched sockets got, sent as one SocketBatch: one system call for the lot
    // with io_uring.
    void writeTouched()
    {
        std::sort(m_touched.begin(), m_touched.end());
        m_touched.erase(std::unique(m_touched.begin(), m_touched.end()), m_touched.end());
        for (ShardSocket *socket : m_touched)
            if (QByteArray bytes = socket->takeBatch(); !bytes.isEmpty()) {
                // Sends only read the bytes (no detach: a broadcast's frame is shared).
                m_writes.push_back({socket->descriptor(), const_cast<char *>(bytes.constData()),
                                    size_t(bytes.size())});
                m_writing.push_back({socket, std::move(bytes)});
            }
        m_writer.send(m_writes);
        for (size_t i = 0; i < m_writing.size(); ++i)
            m_writing[i].first->afterWrite(m_writing[i].second, m_writes[i].result);
        for (ShardSocket *socket : m_touched)
            socket->publishCounts();
        m_touched.clear();
        m_writes.clear();
        m_writing.clear();
    }

    void handleNewConnection()
    {
        while (QWebSocket *socket = m_server.nextPendingConnection()) {
            QTcpSocket *tcp =
                m_handshaking.take(peerKey(socket->peerAddress(), socket->peerPort()));
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
            auto *remote = new ShardSocket(fd, id, &m_context, this);
            SocketShards *shards = m_shards;
            const int index = m_index;
            QMetaObject::invokeMethod(
                shards,
                [shards, index, remote, id, url, headers] {
                    shards->handleHandshake(index, remote, id, url, headers);
                },
                Qt::QueuedConnection);
            remote->feed(early); // its events queue behind the handshake's
        }
    }

    // The handshake is done: the connection continues on a descriptor of our own, and Qt's socket
    // objects go. The answer must be out (it is: a few hundred bytes to an empty socket) and what
    // Qt read past the request is handed over. Returns -1 if the connection cannot continue.
    int takeDescriptor(QTcpSocket *tcp, QByteArray *early)
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

    int m_index;
    SocketShards *m_shards;
    ShardContext m_context;
    QWebSocketServer m_server;
    QHash<QString, QTcpSocket *> m_handshaking; // by peer address and port
    QMutex m_mutex;
    std::vector<SocketShards::Batch> m_inbox;
    bool m_wakePending = false;
    SocketBatch m_writer;
    // Per pass, kept for their capacity: the sockets commands went to, and what is written.
    std::vector<ShardSocket *> m_touched;
    std::vector<SocketBatch::Transfer> m_writes;
    std::vector<std::pair<ShardSocket *, QByteArray>> m_writing;
};

// --- WebSocketLink ---------------------------------------------------------------------------

WebSocketLink::WebSocketLink(SocketShards *shards, int shard, ShardSocket *remote, quint64 id,
                             const QUrl &requestUrl, const QMap<QByteArray, QByteArray> &headers)
    : QObject(shards), m_shards(shards), m_shard(shard), m_remote(remote), m_id(id),
      m_requestUrl(requestUrl), m_headers(headers)
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
    m_executedSeen = m_remote->executed.load(std::memory_order_relaxed);
    m_bufferedSeen = m_remote->buffered.load(std::memory_order_relaxed);
}

void WebSocketLink::requestDrainNotice()
{
    m_remote->drainNotice.store(true);
    refreshCounts();
    // Nothing left to write: the worker may never report again, so answer here.
    if (m_sent - m_executedSeen + m_bufferedSeen == 0)
        QMetaObject::invokeMethod(
            this, [this] { emit bytesWritten(); }, Qt::QueuedConnection);
}

// --- SocketShards ----------------------------------------------------------------------------

SocketShards::SocketShards(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_workerThreads(std::max(0, options.workers))
{
    const int shards = std::max(1, m_workerThreads);
    m_pending.resize(size_t(shards));
    for (int i = 0; i < shards; ++i) {
        auto *worker = new ShardWorker(i, this, options);
        m_workers.push_back(worker);
        if (m_workerThreads == 0)
            continue;
        auto *thread = new QThread;
        thread->setObjectName(QStringLiteral("reservo-shard-%1").arg(i));
        if (options.dispatcherFactory)
            if (QAbstractEventDispatcher *dispatcher = options.dispatcherFactory())
                thread->setEventDispatcher(dispatcher);
        worker->moveToThread(thread);
        thread->start();
        m_threads.push_back(thread);
    }
    const SocketBatch::Method method = m_workers.front()->writeMethod();
    qCInfo(lcShards) << "WebSocket connections on" << m_workerThreads
                     << (m_workerThreads == 0 ? "worker threads (main thread only)"
                                              : "worker threads")
                     << "- writes with"
                     << (method == SocketBatch::Method::IoUring ? "io_uring" : "send()");
    if (method != options.socketWrites)
        qCInfo(lcShards).noquote()
            << "io_uring unavailable (" + m_workers.front()->writeError() + ")";
}

SocketShards::~SocketShards()
{
    // Links are children: their release commands are queued as they go.
    const QList<WebSocketLink *> links = findChildren<WebSocketLink *>();
    qDeleteAll(links);
    flush();
    for (size_t i = 0; i < m_workers.size(); ++i) {
        ShardWorker *worker = m_workers[i];
        if (m_threads.empty()) {
            delete worker;
            continue;
        }
        QThread *thread = m_threads[i];
        QMetaObject::invokeMethod(
            worker,
            [worker] {
                delete worker;
                releaseOpenSslThreadState();
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
        thread->wait();
        delete thread;
    }
}

void SocketShards::acceptWebSocket(QTcpSocket *socket)
{
    const int shard = m_nextShard;
    m_nextShard = (m_nextShard + 1) % int(m_workers.size());
    ShardWorker *worker = m_workers[size_t(shard)];
    socket->setParent(nullptr);
    if (m_workerThreads == 0) {
        worker->acceptWebSocket(socket);
        return;
    }
    // We are inside the socket's own readyRead (the front door read the request head): moving
    // it now would leave Qt's read handling to finish on this thread while the shard already
    // owns the socket, and a read notifier re-enabled from the wrong thread stays off, so the
    // client's first frame is never read. Move it once that emission is over.
    QThread *thread = m_threads[size_t(shard)];
    QMetaObject::invokeMethod(
        this,
        [worker, thread, socket = QPointer<QTcpSocket>(socket)] {
            if (!socket)
                return;
            socket->moveToThread(thread);
            QMetaObject::invokeMethod(
                worker,
                [worker, socket] {
                    if (socket)
                        worker->acceptWebSocket(socket);
                },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

void SocketShards::enqueue(int shard, Command::Kind kind, ShardSocket *socket,
                           const QByteArray &data, int closeCode)
{
    Batch &batch = m_pending[size_t(shard)];
    int frame = -1;
    if (!data.isNull()) {
        // Consecutive sends of one broadcast share the frame (same bytes, same QByteArray).
        if (batch.frames.isEmpty() || batch.frames.constLast().constData() != data.constData() ||
            batch.frames.constLast().size() != data.size())
            batch.frames.append(data);
        frame = int(batch.frames.size() - 1);
    }
    batch.commands.push_back({kind, frame, closeCode, socket});
    if (m_flushScheduled)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(this, &SocketShards::flush, Qt::QueuedConnection);
}

void SocketShards::flush()
{
    m_flushScheduled = false;
    for (size_t i = 0; i < m_pending.size(); ++i) {
        if (!m_pending[i].commands.empty())
            m_workers[i]->post(std::exchange(m_pending[i], {}), m_workerThreads == 0);
    }
}

void SocketShards::handleHandshake(int shard, ShardSocket *remote, quint64 id, const QUrl &url,
                                   const QMap<QByteArray, QByteArray> &headers)
{
    auto *link = new WebSocketLink(this, shard, remote, id, url, headers);
    m_links.insert(id, link);
    emit linkReady(link);
}

void SocketShards::handleSocketEvent(quint64 id, int kind, const QByteArray &data)
{
    WebSocketLink *link = m_links.value(id);
    if (!link || link->m_disconnected)
        return;
    switch (kind) {
    case TextEvent:
        emit link->textReceived(data);
        break;
    case BinaryEvent:
        emit link->binaryReceived(data);
        break;
    case WrittenEvent:
        emit link->bytesWritten();
        break;
    case DisconnectedEvent:
        link->m_disconnected = true;
        emit link->disconnected();
        break;
    case ProtocolErrorEvent:
        emit link->protocolError(QString::fromUtf8(data));
        break;
    }
}

} // namespace Reservo
