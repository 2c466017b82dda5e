// SPDX-License-Identifier: MIT
#include "socketshards.h"

#include "shardworker.h"
#include "websocketlink.h"

#include <QAbstractEventDispatcher>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpSocket>
#include <QThread>
#include <algorithm>
#include <dlfcn.h>

Q_LOGGING_CATEGORY(lcShards, "reservo.shards", QtInfoMsg)

namespace Reservo {

namespace {
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

SocketShards::SocketShards(const Options &options, QObject *parent)
    : QObject(parent), m_workerThreads(std::max(0, options.workers))
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
    // Links nobody took are children: their release commands are queued as they go.
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

void SocketShards::release(int shard, ShardSocket *socket, quint64 socketId)
{
    m_links.remove(socketId);
    enqueue(shard, Command::Kind::Release, socket);
}

void SocketShards::reportHandshake(const Handshake &handshake)
{
    queueReport({handshake, handshake.socketId, SocketEvent::Text, {}, true});
}

void SocketShards::reportSocketEvent(quint64 socketId, SocketEvent event, const QByteArray &data)
{
    queueReport({{}, socketId, event, data, false});
}

void SocketShards::queueReport(Report &&report)
{
    QMutexLocker lock(&m_reportsMutex);
    m_reports.push_back(std::move(report));
    if (!std::exchange(m_reportsPosted, true)) // one wake-up for however many reports follow
        QMetaObject::invokeMethod(this, &SocketShards::handleReports, Qt::QueuedConnection);
}

void SocketShards::handleReports()
{
    std::vector<Report> reports;
    {
        QMutexLocker lock(&m_reportsMutex);
        const size_t n = std::min(m_reports.size(), ReportsPerPass);
        reports.assign(std::make_move_iterator(m_reports.begin()),
                       std::make_move_iterator(m_reports.begin() + qsizetype(n)));
        m_reports.erase(m_reports.begin(), m_reports.begin() + qsizetype(n));
        // The rest waits behind what was posted meanwhile (a NATS batch: its broadcasts), so a
        // storm of joins never holds back the room's updates for more than one slice.
        if (m_reports.empty())
            m_reportsPosted = false;
        else
            QMetaObject::invokeMethod(this, &SocketShards::handleReports, Qt::QueuedConnection);
    }
    for (const Report &report : reports) {
        if (report.handshake)
            handleHandshake(report.shake);
        else
            handleSocketEvent(report.socketId, report.event, report.data);
    }
}

void SocketShards::handleHandshake(const Handshake &handshake)
{
    auto *link = new WebSocketLink(this, handshake);
    m_links.insert(handshake.socketId, link);
    emit linkReady(link);
}

void SocketShards::handleSocketEvent(quint64 socketId, SocketEvent event, const QByteArray &data)
{
    if (WebSocketLink *link = m_links.value(socketId))
        link->handleShardEvent(event, data);
}

} // namespace Reservo
