// SPDX-License-Identifier: MIT
#include "socketshards.h"

#include "websocketframe.h"

#include <QAbstractEventDispatcher>
#include <QLoggingCategory>
#include <QMutex>
#include <QNetworkRequest>
#include <QPointer>
#include <QSocketNotifier>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcShards, "reservo.shards", QtInfoMsg)

namespace Reservo {

namespace {
enum SocketEvent { TextEvent, BinaryEvent, WrittenEvent, DisconnectedEvent, ProtocolErrorEvent };

QString peerKey(const QHostAddress &address, quint16 port)
{
    return address.toString() + QLatin1Char('/') + QString::number(port);
}
std::atomic<quint64> nextSocketId{1};
} // namespace

// What a shard's sockets share.
struct ShardContext
{
    SocketShards *shards;
    qint64 maxPayload;
    int closeTimeoutMs;
    std::vector<char> readBuffer = std::vector<char>(64 * 1024); // one read per wake-up at most
};

// A WebSocket on a shard's thread, on its own descriptor once QWebSocketServer has completed the
// handshake: no QWebSocket and no QTcpSocket per connection (their buffers and signal connections
// were most of a connection's memory). Frames are read with WebSocketFrame::Reader; outgoing
// messages are encoded once per batch (a room's frame is the same for all its members) and written
// with one send() per socket per batch, buffered here only for what the kernel does not take.
// Deleted by its worker when the main thread releases it.
class ShardSocket : public QObject
{
public:
    ShardSocket(int fd, quint64 id, ShardContext *context, QObject *parent)
        : QObject(parent), m_fd(fd), m_id(id), m_context(context), m_reader(context->maxPayload),
          m_readNotifier(fd, QSocketNotifier::Read), m_writeNotifier(QSocketNotifier::Write)
    {
        m_writeNotifier.setSocket(fd);
        connect(&m_readNotifier, &QSocketNotifier::activated, this, &ShardSocket::handleReadable);
        connect(&m_writeNotifier, &QSocketNotifier::activated, this, &ShardSocket::handleWritable);
    }
    ~ShardSocket() override { closeDescriptor(); }

    // Bytes QWebSocketServer read past the handshake: the first frames, if the client was quick.
    void feed(QByteArrayView bytes)
    {
        if (!bytes.isEmpty())
            handleBytes(bytes);
    }

    // `data` is what the main thread sent, `frame` its encoded WebSocket frame.
    void execute(const SocketShards::Command &command, const QByteArray &data,
                 const QByteArray &frame)
    {
        using Kind = SocketShards::Command::Kind;
        switch (command.kind) {
        case Kind::Text:
        case Kind::Binary:
            m_executed += data.size();
            if (m_state == State::Open)
                m_out.append(frame);
            break;
        case Kind::Close:
            startClose(quint16(command.closeCode), data); // after what was sent before it
            break;
        case Kind::Release:
            break;
        }
    }

    // After a batch: everything queued on this socket in as few writes as the kernel allows.
    void flush()
    {
        if (!m_out.isEmpty()) {
            // One frame: no copy.
            const QByteArray out = m_out.size() == 1 ? m_out.constFirst() : m_out.join();
            m_out.clear();
            write(out);
        }
        executed.store(m_executed, std::memory_order_relaxed); // once per socket per batch
        reportBuffered();
    }

    void release()
    {
        closeDescriptor();
        deleteLater();
    }

    // Written by the worker once per batch, read by the main thread: bytes of messages executed
    // so far, and bytes waiting here for the kernel to take them.
    std::atomic<qint64> executed{0};
    std::atomic<qint64> buffered{0};
    std::atomic<bool> drainNotice{false};

private:
    // Open, then Closing once a close frame is queued (the peer's, or ours: then the peer's
    // answer or the close timeout is awaited), then Closed when the descriptor is gone.
    enum class State : quint8 { Open, Closing, Closed };

    void handleReadable()
    {
        std::vector<char> &buffer = m_context->readBuffer;
        const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n > 0)
            return handleBytes(QByteArrayView(buffer.data(), n));
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
            return;
        finish(); // the peer closed or reset the connection
    }

    void handleBytes(QByteArrayView bytes)
    {
        if (m_reader.isFinished()) // after the peer's close or an error: only its FIN matters
            return;
        std::vector<WebSocketFrame::Reader::Event> events;
        m_reader.feed(bytes, events);
        using Kind = WebSocketFrame::Reader::Event::Kind;
        for (WebSocketFrame::Reader::Event &event : events) {
            switch (event.kind) {
            case Kind::Text:
            case Kind::Binary:
                if (m_state == State::Open)
                    post(event.kind == Kind::Text ? TextEvent : BinaryEvent, event.payload);
                break;
            case Kind::Ping:
                if (m_state == State::Open)
                    write(WebSocketFrame::encodeServerFrame(WebSocketFrame::Opcode::Pong,
                                                            event.payload));
                break;
            case Kind::Pong:
                break;
            case Kind::Close:
                m_peerClosed = true;
                if (m_state == State::Open) // answer with its code, as RFC 6455 §5.5.1 suggests
                    startClose(event.closeCode == WebSocketFrame::CloseNoStatus
                                   ? quint16(WebSocketFrame::CloseNormal)
                                   : event.closeCode,
                               {});
                else if (m_state == State::Closing && m_unsent.isEmpty())
                    finish(); // the answer to ours
                break;
            case Kind::Error:
                if (m_state != State::Open)
                    return finish();
                qCDebug(lcShards) << "closing WebSocket" << m_id << "with" << event.closeCode
                                  << event.payload;
                post(ProtocolErrorEvent, event.payload);
                startClose(event.closeCode, event.payload);
                break;
            }
        }
        reportBuffered();
    }

    // Queues our close frame; the descriptor closes once it is written and the peer's close frame
    // was seen, or when the close timeout expires.
    void startClose(quint16 code, QByteArrayView reason)
    {
        if (m_state != State::Open)
            return;
        flush(); // what was sent before the close goes first
        m_state = State::Closing;
        write(WebSocketFrame::encodeCloseFrame(code, reason));
        if (m_state != State::Closing)
            return; // the write failed and closed the descriptor
        if (m_unsent.isEmpty())
            closeWhenWritten();
        if (m_state == State::Closing && !m_closeTimer) {
            m_closeTimer = new QTimer(this);
            m_closeTimer->setSingleShot(true);
            connect(m_closeTimer, &QTimer::timeout, this, &ShardSocket::finish);
            m_closeTimer->start(m_context->closeTimeoutMs);
        }
    }

    // Our close frame is out: with the peer's seen too, we are done; otherwise tell the peer we
    // send nothing more and wait for its close frame or its FIN.
    void closeWhenWritten()
    {
        if (m_peerClosed)
            return finish();
        ::shutdown(m_fd, SHUT_WR);
    }

    void write(const QByteArray &bytes)
    {
        if (m_state == State::Closed)
            return;
        qsizetype written = 0;
        if (m_unsent.isEmpty()) { // nothing of ours in front: the kernel directly
            const ssize_t n =
                ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
            if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                return finish();
            written = std::max<qsizetype>(n, 0);
        }
        if (written < bytes.size()) {
            m_unsent.append(QByteArrayView(bytes).sliced(written));
            m_writeNotifier.setEnabled(true);
        }
    }

    void handleWritable()
    {
        const QByteArrayView pending = QByteArrayView(m_unsent).sliced(m_unsentOffset);
        const ssize_t n =
            ::send(m_fd, pending.data(), size_t(pending.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
            return finish();
        m_unsentOffset += std::max<qsizetype>(n, 0);
        if (m_unsentOffset == m_unsent.size()) {
            m_unsent = QByteArray(); // give the memory back: a drained socket holds nothing
            m_unsentOffset = 0;
            m_writeNotifier.setEnabled(false);
            if (m_state == State::Closing)
                closeWhenWritten();
        } else if (m_unsentOffset > m_unsent.size() / 2) {
            m_unsent.remove(0, m_unsentOffset);
            m_unsentOffset = 0;
        }
        reportBuffered();
    }

    // The connection is over: the descriptor goes, and the main thread hears it once.
    void finish()
    {
        if (m_state == State::Closed)
            return;
        closeDescriptor();
        post(DisconnectedEvent, {});
    }

    void closeDescriptor()
    {
        if (m_state == State::Closed)
            return;
        m_state = State::Closed;
        // Notifiers first: the number may be reused as soon as it is closed.
        m_readNotifier.setEnabled(false);
        m_writeNotifier.setEnabled(false);
        ::close(m_fd);
        m_out.clear();
        m_unsent = QByteArray();
        m_unsentOffset = 0;
        delete std::exchange(m_closeTimer, nullptr);
        buffered.store(0, std::memory_order_relaxed);
    }

    void reportBuffered()
    {
        buffered.store(m_unsent.size() - m_unsentOffset, std::memory_order_relaxed);
        if (drainNotice.load(std::memory_order_relaxed) && drainNotice.exchange(false))
            post(WrittenEvent, {});
    }

    void post(SocketEvent kind, const QByteArray &data)
    {
        SocketShards *shards = m_context->shards;
        const quint64 id = m_id;
        QMetaObject::invokeMethod(
            shards, [shards, id, kind, data] { shards->handleSocketEvent(id, kind, data); },
            Qt::QueuedConnection);
    }

    int m_fd;
    quint64 m_id;
    ShardContext *m_context;
    WebSocketFrame::Reader m_reader;
    QSocketNotifier m_readNotifier;
    QSocketNotifier m_writeNotifier; // enabled while m_unsent holds bytes
    QTimer *m_closeTimer = nullptr;  // only while closing
    QList<QByteArray> m_out;         // this batch's frames
    QByteArray m_unsent;             // what the kernel did not take yet, from m_unsentOffset
    qsizetype m_unsentOffset = 0;
    qint64 m_executed = 0;
    State m_state = State::Open;
    bool m_peerClosed = false;
};

// One shard: a QWebSocketServer for handshakes and the sockets it produced, on one thread.
class ShardWorker : public QObject
{
public:
    ShardWorker(int index, SocketShards *shards, const SocketShards::Options &options)
        : m_index(index),
          m_shards(shards), m_context{shards, options.maxPayload, options.handshakeTimeoutMs},
          m_server(QStringLiteral("reservo-ws"), QWebSocketServer::NonSecureMode, this)
    {
        m_server.setHandshakeTimeout(options.handshakeTimeoutMs);
        m_server.setMaxPendingConnections(1 << 20);
        connect(&m_server, &QWebSocketServer::newConnection, this,
                &ShardWorker::handleNewConnection);
    }

    // Main thread: hand over a batch; one wake-up per batch. `direct`: this shard runs on the
    // calling thread, so execute now.
    void post(SocketShards::Batch &&batch, bool direct)
    {
        if (direct)
            return execute(batch);
        bool wake = false;
        {
            QMutexLocker lock(&m_mutex);
            m_inbox.push_back(std::move(batch));
            wake = !std::exchange(m_wakePending, true);
        }
        if (wake)
            QMetaObject::invokeMethod(this, &ShardWorker::drain, Qt::QueuedConnection);
    }

    void adopt(QTcpSocket *socket)
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
            execute(batch);
    }

    void execute(const SocketShards::Batch &batch)
    {
        using Kind = SocketShards::Command::Kind;
        std::vector<ShardSocket *> touched;
        // Each distinct message of the batch becomes a WebSocket frame once.
        QList<QByteArray> encoded(batch.frames.size());
        const QByteArray none;
        for (const SocketShards::Command &command : batch.commands) {
            if (command.kind == Kind::Release) {
                std::erase(touched, command.socket);
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
            if (touched.empty() || touched.back() != command.socket)
                touched.push_back(command.socket);
        }
        std::sort(touched.begin(), touched.end());
        touched.erase(std::unique(touched.begin(), touched.end()), touched.end());
        for (ShardSocket *socket : touched)
            socket->flush();
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
                qCWarning(lcShards) << "dropping a WebSocket connection: cannot take it over from"
                                    << "QWebSocketServer";
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
    qCInfo(lcShards) << "WebSocket connections on" << m_workerThreads
                     << (m_workerThreads == 0 ? "worker threads (main thread only)"
                                              : "worker threads");
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
                QThread::currentThread()->quit();
            },
            Qt::QueuedConnection);
        thread->wait();
        delete thread;
    }
}

void SocketShards::upgrade(QTcpSocket *socket)
{
    const int shard = m_nextShard;
    m_nextShard = (m_nextShard + 1) % int(m_workers.size());
    ShardWorker *worker = m_workers[size_t(shard)];
    socket->setParent(nullptr);
    if (m_workerThreads == 0) {
        worker->adopt(socket);
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
                        worker->adopt(socket);
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
