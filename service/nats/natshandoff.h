// SPDX-License-Identifier: MIT
#pragma once
#include "natsclient.h"

#include <atomic>
#include <mutex>
#include <nats/nats.h>
#include <vector>

namespace Reservo {

// State shared with nats.c's threads: the messages they copied, waiting for the Qt thread, and
// the callbacks nats.c calls. It outlives the NatsClient until nats.c has finished every callback
// that may still point at it (counted by refs).
struct NatsHandOff
{
    std::mutex mutex;
    NatsClient *owner = nullptr;
    std::vector<std::pair<NatsMessage, bool>> queue; // message, no-responders status
    std::atomic<int> refs{1};

    void release();
    // One wake-up of the owner per batch, however many messages arrive meanwhile.
    void push(NatsMessage &&message, bool noResponders);
    void report(NatsClient::State state);

    static void onMessage(natsConnection *, natsSubscription *, natsMsg *msg, void *closure);
    static void onSubscriptionComplete(void *closure);
    static void onConnected(natsConnection *, void *closure);
    static void onDisconnected(natsConnection *, void *closure);
    static void onReconnected(natsConnection *, void *closure);
    static void onClosed(natsConnection *, void *closure);
    static void onError(natsConnection *, natsSubscription *, natsStatus status, void *);
};

} // namespace Reservo
