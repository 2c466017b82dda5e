// SPDX-License-Identifier: MIT
#include "natsclient.h"
#include "natshandoff.h"

#include <QPointer>
#include <QTimerEvent>
#include <atomic>
#include <chrono>
#include <mutex>
#include <nats/nats.h>
#include <vector>

Q_LOGGING_CATEGORY(lcNats, "reservo.nats", QtInfoMsg)

namespace Reservo {

namespace {
constexpr int PendingMessagesLimit = 1000000;
constexpr int PendingBytesLimit = 512 * 1024 * 1024;
constexpr int FlushTimeoutMs = 5000;

natsConnection *conn(void *p)
{
    return static_cast<natsConnection *>(p);
}

} // namespace

NatsClient::NatsClient(QObject *parent) : QObject(parent), m_handOff(new NatsHandOff)
{
    m_handOff->owner = this;
    m_blockingPool.setMaxThreadCount(1);
}

NatsClient::~NatsClient()
{
    {
        std::lock_guard lock(m_handOff->mutex);
        m_handOff->owner = nullptr;
    }
    m_blockingPool.waitForDone();
    if (m_connection)
        natsConnection_Close(conn(m_connection));
    for (void *sub : std::as_const(m_subscriptions))
        natsSubscription_Destroy(static_cast<natsSubscription *>(sub));
    if (m_connection)
        natsConnection_Destroy(conn(m_connection));
    m_handOff->release();
}

bool NatsClient::start(const QStringList &servers, const QString &name)
{
    natsOptions *raw = nullptr;
    if (natsOptions_Create(&raw) != NATS_OK) {
        m_error = QStringLiteral("cannot create NATS options");
        return false;
    }
    const std::unique_ptr<natsOptions, decltype(&natsOptions_Destroy)> opts(raw,
                                                                            natsOptions_Destroy);
    QList<QByteArray> urls;
    std::vector<const char *> urlPtrs;
    for (const QString &s : servers)
        urls.append(s.toUtf8());
    for (const QByteArray &u : urls)
        urlPtrs.push_back(u.constData());
    m_handOff->refs += 1; // held by the connection until its closed callback
    natsStatus s = natsOptions_SetServers(opts.get(), urlPtrs.data(), int(urlPtrs.size()));
    if (s == NATS_OK)
        s = natsOptions_SetName(opts.get(), name.toUtf8().constData());
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(opts.get(), -1);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(opts.get(), 500);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectJitter(opts.get(), 100, 1000);
    if (s == NATS_OK)
        s = natsOptions_SetTimeout(opts.get(), 2000);
    if (s == NATS_OK)
        s = natsOptions_SetPingInterval(opts.get(), 10000);
    if (s == NATS_OK)
        s = natsOptions_SetRetryOnFailedConnect(opts.get(), true, NatsHandOff::onConnected,
                                                m_handOff);
    if (s == NATS_OK)
        s = natsOptions_SetDisconnectedCB(opts.get(), NatsHandOff::onDisconnected, m_handOff);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectedCB(opts.get(), NatsHandOff::onReconnected, m_handOff);
    if (s == NATS_OK)
        s = natsOptions_SetClosedCB(opts.get(), NatsHandOff::onClosed, m_handOff);
    if (s == NATS_OK)
        s = natsOptions_SetErrorHandler(opts.get(), NatsHandOff::onError, m_handOff);
    if (s != NATS_OK) {
        m_handOff->refs -= 1;
        m_error = QStringLiteral("invalid NATS options: %1").arg(natsStatus_GetText(s));
        return false;
    }
    natsConnection *nc = nullptr;
    setState(State::Connecting);
    s = natsConnection_Connect(&nc, opts.get());
    if (s != NATS_OK && s != NATS_NOT_YET_CONNECTED) {
        m_handOff->refs -= 1;
        m_error = QStringLiteral("cannot connect to NATS %1: %2")
                      .arg(servers.join(u','), QString::fromUtf8(natsStatus_GetText(s)));
        setState(State::Disconnected);
        return false;
    }
    m_connection = nc;
    if (s == NATS_NOT_YET_CONNECTED)
        qCWarning(lcNats) << "NATS not reachable at" << servers.join(u',')
                          << "- retrying in the background";
    char *inbox = nullptr;
    natsInbox_Create(&inbox);
    m_inboxPrefix = QByteArray(inbox);
    natsInbox_Destroy(inbox);
    subscribe(m_inboxPrefix + ".*");
    if (s == NATS_OK) {
        setState(State::Connected);
        confirmSubscriptions();
    }
    return true;
}

bool NatsClient::subscribe(const QByteArray &subject)
{
    if (!m_connection)
        return false;
    natsSubscription *sub = nullptr;
    natsStatus s = natsConnection_Subscribe(&sub, conn(m_connection), subject.constData(),
                                            NatsHandOff::onMessage, m_handOff);
    if (s != NATS_OK) {
        qCWarning(lcNats) << "cannot subscribe to" << subject << natsStatus_GetText(s);
        return false;
    }
    natsSubscription_SetPendingLimits(sub, PendingMessagesLimit, PendingBytesLimit);
    m_handOff->refs += 1;
    if (natsSubscription_SetOnCompleteCB(sub, NatsHandOff::onSubscriptionComplete, m_handOff) !=
        NATS_OK)
        m_handOff->refs -= 1;
    m_subscriptions.append(sub);
    qCInfo(lcNats) << "subscribed to" << subject;
    m_subscribed = false;
    if (m_state == State::Connected)
        confirmSubscriptions();
    return true;
}

void NatsClient::confirmSubscriptions()
{
    natsConnection *nc = conn(m_connection);
    QPointer<NatsClient> self(this);
    m_blockingPool.start([nc, self] {
        const bool ok = natsConnection_FlushTimeout(nc, FlushTimeoutMs) == NATS_OK;
        QMetaObject::invokeMethod(
            self.data(),
            [self, ok] {
                if (!self)
                    return;
                if (ok && self->m_state == State::Connected && !self->m_subscribed) {
                    self->m_subscribed = true;
                    emit self->subscriptionsReady();
                } else if (!ok && self->m_state == State::Connected) {
                    self->confirmSubscriptions();
                }
            },
            Qt::QueuedConnection);
    });
}

bool NatsClient::publish(const QByteArray &subject, const QByteArray &payload,
                         const QByteArray &reply)
{
    if (!m_connection)
        return false;
    // nats.c refuses a null reply subject in PublishRequest: plain publishes use Publish.
    const natsStatus s =
        reply.isEmpty() ? natsConnection_Publish(conn(m_connection), subject.constData(),
                                                 payload.constData(), int(payload.size()))
                        : natsConnection_PublishRequest(conn(m_connection), subject.constData(),
                                                        reply.constData(), payload.constData(),
                                                        int(payload.size()));
    if (s != NATS_OK) {
        qCWarning(lcNats) << "publish to" << subject << "failed:" << natsStatus_GetText(s);
        return false;
    }
    return true;
}

void NatsClient::request(const QByteArray &subject, const QByteArray &payload, int timeoutMs,
                         ReplyHandler handler)
{
    if (m_state != State::Connected) {
        QMetaObject::invokeMethod(
            this,
            [handler] {
                handler({NatsReply::Status::NotConnected, {}});
            },
            Qt::QueuedConnection);
        return;
    }
    const quint64 token = m_nextToken++;
    const QByteArray reply = m_inboxPrefix + '.' + QByteArray::number(token);
    m_requests.insert(token, Pending{std::move(handler), startTimer(timeoutMs)});
    if (!publish(subject, payload, reply))
        handleRequestTimeout(token);
}

void NatsClient::timerEvent(QTimerEvent *event)
{
    for (auto it = m_requests.cbegin(); it != m_requests.cend(); ++it) {
        if (it->timerId == event->timerId()) {
            handleRequestTimeout(it.key());
            return;
        }
    }
    killTimer(event->timerId());
}

void NatsClient::handleRequestTimeout(quint64 token)
{
    const Pending pending = m_requests.take(token);
    killTimer(pending.timerId);
    if (pending.handler)
        pending.handler({NatsReply::Status::Timeout, {}});
}

void NatsClient::handleReply(const NatsMessage &message, bool noResponders)
{
    const quint64 token = message.subject.mid(m_inboxPrefix.size() + 1).toULongLong();
    const auto it = m_requests.find(token);
    if (it == m_requests.end())
        return; // late reply after a timeout
    const Pending pending = *it;
    m_requests.erase(it);
    killTimer(pending.timerId);
    pending.handler(
        {noResponders ? NatsReply::Status::NoResponders : NatsReply::Status::Ok, message.payload});
}

void NatsClient::handlePending()
{
    std::vector<std::pair<NatsMessage, bool>> batch;
    {
        std::lock_guard lock(m_handOff->mutex);
        batch.swap(m_handOff->queue);
    }
    QList<NatsMessage> messages;
    messages.reserve(qsizetype(batch.size()));
    for (auto &[message, noResponders] : batch) {
        if (message.subject.startsWith(m_inboxPrefix))
            handleReply(message, noResponders);
        else
            messages.append(std::move(message));
    }
    if (!messages.isEmpty())
        emit messagesReceived(messages);
}

void NatsClient::handleStateReport(State state)
{
    if (state == State::Connected && m_state == State::Reconnecting)
        ++m_reconnects;
    if (state != State::Connected)
        m_subscribed = false;
    setState(state);
    if (state == State::Connected)
        confirmSubscriptions();
    if (state == State::Closed)
        emit closed();
}

void NatsClient::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    static const char *const names[] = {"disconnected", "connecting", "connected", "reconnecting",
                                        "closed"};
    qCInfo(lcNats) << "NATS" << names[int(state)];
    emit stateChanged(state);
}

void NatsClient::drain(int timeoutMs)
{
    if (!m_connection || m_state == State::Closed) {
        QMetaObject::invokeMethod(this, &NatsClient::closed, Qt::QueuedConnection);
        return;
    }
    const natsStatus s = natsConnection_DrainTimeout(conn(m_connection), timeoutMs);
    if (s != NATS_OK) {
        qCWarning(lcNats) << "drain failed:" << natsStatus_GetText(s) << "- closing";
        natsConnection_Close(conn(m_connection));
    }
}

} // namespace Reservo
