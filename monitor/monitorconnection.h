// SPDX-License-Identifier: MIT
#pragma once

#include "protocolclient.h"
#include "reconnectbackoff.h"
#include "roomeventreader.h"
#include "roommessages.h"

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QObject>
#include <QSet>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>
#include <functional>

namespace Reservo {

Q_DECLARE_LOGGING_CATEGORY(lcMonitor)

// One Socket.IO connection to a reservo-ws, as a browser makes it: keeps itself connected with
// backoff and jitter, (re)joins the watched rooms (with the compact snapshot, and with the map it
// holds so a rejoin gets only what it missed), and turns room events into typed signals.
class MonitorConnection : public QObject
{
    Q_OBJECT
public:
    // The map held of a room, to rejoin with; nullopt: none.
    using HeldPositions =
        std::function<std::optional<RoomMessages::RoomPosition>(const QString &eventId)>;

    enum class State {
        Idle,         // not started, or stopped
        Connecting,   // opening the socket, handshake, namespace CONNECT
        Live,         // connected; rooms joined or being joined
        Reconnecting, // waiting retryRemainingMs() before the next attempt
        Error,        // refused for good (bad URL, namespace refused); start() again to retry
    };
    Q_ENUM(State)

    static constexpr int AttemptTimeoutMs = 10000;
    static constexpr int ListTimeoutMs = 3000;

    explicit MonitorConnection(QObject *parent = nullptr);
    ~MonitorConnection() override;

    void start(const QUrl &serviceUrl);
    void stop();
    void reconnectNow();

    State state() const { return m_state; }
    QUrl serviceUrl() const { return m_serviceUrl; }
    QString errorString() const { return m_error; }
    int attempt() const { return m_attempt; }
    int retryRemainingMs() const
    {
        return m_retryTimer.isActive() ? m_retryTimer.remainingTime() : 0;
    }
    // Learnt from the first `room-snapshot`: the server sends one after every join.
    bool serverSendsSnapshots() const { return m_serverSendsSnapshots; }

    // The rooms to be in; joined now if live, else as soon as the connection is.
    void watch(const QString &eventId);
    void unwatch(const QString &eventId);
    // Leaves and rejoins a room so the server sends a fresh snapshot (or the missed changes).
    void resync(const QString &eventId);
    QStringList watchedRooms() const { return m_rooms; }
    // Where joins learn the map held of each room (WatchedEvents asks its models).
    void setHeldPositions(HeldPositions held) { m_held = std::move(held); }

    // Asks for the events service's upcoming events: eventsListed or eventsListFailed follows.
    void requestEventList();

signals:
    void stateChanged(Reservo::MonitorConnection::State state);
    // The connection this state of the rooms came from is gone; what is shown may be stale.
    void connectionLost(const QString &reason);
    void joinRequested(const QString &eventId);
    void roomJoined(const QString &eventId);
    // After roomJoined: the join named the map held, and the server sends the changes since
    // (up to roomSeq) instead of a snapshot.
    void roomResumed(const QString &eventId, qint64 roomSeq);
    void roomRefused(const QString &eventId, const QString &message);
    void snapshotReceived(const Reservo::RoomMessages::RoomSnapshot &snapshot);
    void seatUpdated(const Reservo::RoomMessages::SeatUpdate &update);
    void presenceChanged(const QString &eventId, int viewers);
    void eventsListed(const QList<Reservo::NatsWire::EventSummary> &events);
    void eventsListFailed(const QString &reason);

private:
    enum class AckKind { Join, Leave, List };
    struct PendingAck
    {
        AckKind kind;
        QString eventId;
    };

    void connectSocket();
    void connectProtocol();
    void connectReader();
    void openSocket();
    void handleNamespaceConnected();
    void handleNamespaceRefused(const QString &message);
    void handleEvent(const QString &event, const QJsonArray &args);
    void handleAck(quint64 ackId, const QJsonArray &args);
    void handleJoinAck(const QString &eventId, const QJsonArray &args);
    void handleSnapshotUndecodable(const QString &eventId, const QString &reason);
    void handleListTimeout();
    void handleAttemptTimeout();
    void dropConnection(const QString &reason);
    void closeTransport(const QString &why);
    void failPendingList(const QString &reason);
    void setState(State state);
    void join(const QString &eventId);
    // Emits an event with an ack id, for eventId's room (empty: none).
    void request(AckKind kind, const char *event, const QString &eventId,
                 const QJsonObject &payload);

    QWebSocket m_socket;
    ProtocolClient m_protocol;
    QUrl m_serviceUrl;
    State m_state = State::Idle;
    QString m_error;
    int m_attempt = 0;
    ReconnectBackoff m_backoff;
    bool m_serverSendsSnapshots = false;
    bool m_listPending = false;
    QStringList m_rooms;
    QHash<quint64, PendingAck> m_pendingAcks;
    RoomEventReader m_reader;
    HeldPositions m_held;
    QSet<QString> m_reportedBadEvents;
    QTimer m_retryTimer;
    QTimer m_attemptTimer;
    QTimer m_listTimer;
    QElapsedTimer m_liveSince;
};

} // namespace Reservo
