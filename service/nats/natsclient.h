// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QLoggingCategory>
#include <QObject>
#include <QStringList>
#include <QThreadPool>
#include <functional>
#include <memory>

Q_DECLARE_LOGGING_CATEGORY(lcNats)

namespace Reservo {

// A message delivered by NATS, copied out of nats.c.
struct NatsMessage
{
    QByteArray subject;
    QByteArray payload;
    QByteArray reply;
    qint64 receivedNs = 0; // steady clock, when nats.c handed it over
};

// The outcome of a request: a reply payload, or why there is none.
struct NatsReply
{
    enum class Status { Ok, Timeout, NoResponders, NotConnected };
    Status status = Status::Ok;
    QByteArray payload;
};

struct NatsHandOff;

// Owns the nats.c connection (the only place that sees nats.c): connects and reconnects forever,
// subscribes, publishes and makes requests without ever blocking the Qt event loop.
class NatsClient : public QObject
{
    Q_OBJECT
public:
    enum class State { Disconnected, Connecting, Connected, Reconnecting, Closed };
    Q_ENUM(State)

    explicit NatsClient(QObject *parent = nullptr);
    ~NatsClient() override;

    // Starts connecting in the background; false (with errorString()) only for unusable options.
    bool start(const QStringList &servers, const QString &name);
    QString errorString() const { return m_error; }
    State state() const { return m_state; }
    quint64 reconnects() const { return m_reconnects; }
    // True once every subscription is confirmed by the server on the current connection.
    bool isSubscribed() const { return m_subscribed; }

    bool subscribe(const QByteArray &subject);
    bool publish(const QByteArray &subject, const QByteArray &payload,
                 const QByteArray &reply = QByteArray());
    using ReplyHandler = std::function<void(const NatsReply &)>;
    // The handler runs on this object's thread exactly once (reply, timeout or no responders).
    void request(const QByteArray &subject, const QByteArray &payload, int timeoutMs,
                 ReplyHandler handler);
    // Drains subscriptions and pending publishes, then closes; emits closed() when done.
    void drain(int timeoutMs);

signals:
    void stateChanged(Reservo::NatsClient::State state);
    // Subscriptions are live on the server (after start and after each reconnect).
    void subscriptionsReady();
    void messagesReceived(const QList<Reservo::NatsMessage> &messages);
    void closed();

private:
    friend struct NatsHandOff;
    void handlePending();
    void handleStateReport(State state);
    void handleReply(const NatsMessage &message, bool noResponders);
    void handleRequestTimeout(quint64 token);
    void confirmSubscriptions();
    void setState(State state);

    struct Pending
    {
        ReplyHandler handler;
        int timerId = 0;
    };

    NatsHandOff *m_handOff = nullptr; // shared with nats.c threads; frees itself
    void *m_connection = nullptr;     // natsConnection*
    QList<void *> m_subscriptions;    // natsSubscription*
    QByteArray m_inboxPrefix;
    QHash<quint64, Pending> m_requests;
    quint64 m_nextToken = 1;
    State m_state = State::Disconnected;
    quint64 m_reconnects = 0;
    bool m_subscribed = false;
    QString m_error;
    QThreadPool
        m_blockingPool; // nats.c calls that block (flush, drain) run here, never on Qt's loop

protected:
    void timerEvent(QTimerEvent *event) override;
};

} // namespace Reservo
