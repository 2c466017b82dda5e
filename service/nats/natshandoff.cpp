// SPDX-License-Identifier: MIT
#include "natshandoff.h"

#include <chrono>

namespace Reservo {

namespace {
qint64 steadyNowNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}
} // namespace

void NatsHandOff::release()
{
    if (refs.fetch_sub(1) == 1)
        delete this;
}

void NatsHandOff::push(NatsMessage &&message, bool noResponders)
{
    std::lock_guard lock(mutex);
    if (!owner)
        return;
    const bool wasEmpty = queue.empty();
    queue.emplace_back(std::move(message), noResponders);
    if (wasEmpty) // one wake-up per batch, however many messages arrive meanwhile
        QMetaObject::invokeMethod(owner, &NatsClient::handlePending, Qt::QueuedConnection);
}

void NatsHandOff::report(NatsClient::State state)
{
    std::lock_guard lock(mutex);
    if (!owner)
        return;
    NatsClient *client = owner;
    QMetaObject::invokeMethod(
        owner, [client, state] { client->handleStateReport(state); }, Qt::QueuedConnection);
}

void NatsHandOff::onMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure)
{
    NatsMessage m;
    m.receivedNs = steadyNowNs();
    m.subject = QByteArray(natsMsg_GetSubject(msg));
    m.payload = QByteArray(natsMsg_GetData(msg), natsMsg_GetDataLength(msg));
    if (const char *reply = natsMsg_GetReply(msg))
        m.reply = QByteArray(reply);
    const bool noResponders = natsMsg_IsNoResponders(msg);
    natsMsg_Destroy(msg);
    static_cast<NatsHandOff *>(closure)->push(std::move(m), noResponders);
}
void NatsHandOff::onSubscriptionComplete(void *closure)
{
    static_cast<NatsHandOff *>(closure)->release();
}
void NatsHandOff::onConnected(natsConnection *, void *closure)
{
    static_cast<NatsHandOff *>(closure)->report(NatsClient::State::Connected);
}
void NatsHandOff::onDisconnected(natsConnection *, void *closure)
{
    static_cast<NatsHandOff *>(closure)->report(NatsClient::State::Reconnecting);
}
void NatsHandOff::onReconnected(natsConnection *, void *closure)
{
    static_cast<NatsHandOff *>(closure)->report(NatsClient::State::Connected);
}
void NatsHandOff::onClosed(natsConnection *, void *closure)
{
    auto *handOff = static_cast<NatsHandOff *>(closure);
    handOff->report(NatsClient::State::Closed);
    handOff->release();
}
void NatsHandOff::onError(natsConnection *, natsSubscription *, natsStatus status, void *)
{
    qCWarning(lcNats) << "asynchronous NATS error:" << natsStatus_GetText(status);
}

} // namespace Reservo
