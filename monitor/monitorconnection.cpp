// SPDX-License-Identifier: MIT
#include "monitorconnection.h"

#include "socketiourl.h"

#include <QJsonObject>

namespace Reservo {

Q_LOGGING_CATEGORY(lcMonitor, "reservo.monitor", QtInfoMsg)

namespace {
QJsonObject roomPayload(const QString &eventId)
{
    return {{QStringLiteral("eventId"), eventId}};
}
} // namespace

MonitorConnection::MonitorConnection(QObject *parent) : QObject(parent)
{
    m_retryTimer.setSingleShot(true);
    // A coarse timer may fire (and report its remaining time) up to 5% late: the backoff's
    // jitter is the only slack wanted.
    m_retryTimer.setTimerType(Qt::PreciseTimer);
    m_attemptTimer.setSingleShot(true);
    m_listTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &MonitorConnection::openSocket);
    connect(&m_attemptTimer, &QTimer::timeout, this, &MonitorConnection::handleAttemptTimeout);
    connect(&m_listTimer, &QTimer::timeout, this, &MonitorConnection::handleListTimeout);
    connectSocket();
    connectProtocol();
    connectReader();
}

void MonitorConnection::connectSocket()
{
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_protocol.handleTextFrame(text.toUtf8()); });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] {
        dropConnection(m_socket.closeReason().isEmpty() ? m_socket.errorString()
                                                        : m_socket.closeReason());
    });
    connect(&m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) { dropConnection(m_socket.errorString()); });
}

void MonitorConnection::connectProtocol()
{
    connect(&m_protocol, &ProtocolClient::frameReady, this, [this](const QByteArray &frame) {
        m_socket.sendTextMessage(QString::fromUtf8(frame));
    });
    connect(&m_protocol, &ProtocolClient::opened, this, [this] { m_protocol.connectNamespace(); });
    connect(&m_protocol, &ProtocolClient::namespaceConnected, this,
            &MonitorConnection::handleNamespaceConnected);
    connect(&m_protocol, &ProtocolClient::namespaceRefused, this,
            [this](const QString &, const QString &message) { handleNamespaceRefused(message); });
    connect(&m_protocol, &ProtocolClient::namespaceDisconnected, this,
            [this] { dropConnection(QStringLiteral("the server disconnected the namespace")); });
    connect(&m_protocol, &ProtocolClient::eventReceived, this,
            [this](const QString &, const QString &event, const QJsonArray &args) {
                handleEvent(event, args);
            });
    connect(&m_protocol, &ProtocolClient::ackReceived, this,
            [this](const QString &, quint64 id, const QJsonArray &args) { handleAck(id, args); });
    connect(&m_protocol, &ProtocolClient::failed, this, &MonitorConnection::dropConnection);
}

void MonitorConnection::connectReader()
{
    using R = RoomEventReader;
    connect(&m_reader, &R::seatUpdated, this, &MonitorConnection::seatUpdated);
    connect(&m_reader, &R::presenceChanged, this, &MonitorConnection::presenceChanged);
    connect(&m_reader, &R::snapshotReceived, this, [this](const RoomMessages::RoomSnapshot &s) {
        qCDebug(lcMonitor) << "snapshot of" << s.eventId << "at seq" << s.seq << ":"
                           << s.seats.size() << "seats," << (s.isCompact() ? "compact" : "JSON");
        m_serverSendsSnapshots = true;
        emit snapshotReceived(s);
    });
    connect(&m_reader, &R::snapshotUndecodable, this,
            &MonitorConnection::handleSnapshotUndecodable);
}

MonitorConnection::~MonitorConnection()
{
    // The socket reports its own destruction as a disconnect: by then the rest is gone.
    disconnect(&m_socket, nullptr, this, nullptr);
}

void MonitorConnection::start(const QUrl &serviceUrl)
{
    stop();
    // Layout versions name their seats, the same on every server; what a server failed to
    // send readably is that server's own.
    if (serviceUrl != m_serviceUrl)
        m_reader.layouts().clear();
    m_serviceUrl = serviceUrl;
    m_serverSendsSnapshots = false;
    m_backoff.reset();
    m_attempt = 0;
    if (socketIoUrl(serviceUrl).isEmpty()) {
        m_error = QStringLiteral("not a service URL: %1").arg(serviceUrl.toString());
        qCWarning(lcMonitor) << m_error;
        return setState(State::Error);
    }
    openSocket();
}

void MonitorConnection::stop()
{
    m_retryTimer.stop();
    m_attemptTimer.stop();
    if (m_state == State::Idle)
        return;
    const bool wasOpen = m_state == State::Live || m_state == State::Connecting;
    setState(State::Idle); // before abort(): the socket's disconnected signal must be ignored
    closeTransport(QStringLiteral("disconnected"));
    if (wasOpen)
        emit connectionLost(QStringLiteral("disconnected"));
}

void MonitorConnection::reconnectNow()
{
    if (m_state == State::Reconnecting) {
        m_retryTimer.stop();
        openSocket();
    } else if (m_state != State::Live && m_state != State::Connecting) {
        start(m_serviceUrl);
    }
}

void MonitorConnection::openSocket()
{
    ++m_attempt;
    m_protocol.reset();
    setState(State::Connecting);
    m_attemptTimer.start(AttemptTimeoutMs);
    qCInfo(lcMonitor) << "connecting to" << socketIoUrl(m_serviceUrl).toString() << "attempt"
                      << m_attempt;
    m_socket.open(socketIoUrl(m_serviceUrl));
}

void MonitorConnection::handleAttemptTimeout()
{
    dropConnection(
        QStringLiteral("no Socket.IO connection within %1 s").arg(AttemptTimeoutMs / 1000));
}

void MonitorConnection::handleNamespaceConnected()
{
    m_attemptTimer.stop();
    m_error.clear();
    m_liveSince.start();
    setState(State::Live);
    qCInfo(lcMonitor) << "live; joining" << m_rooms.size() << "room(s)";
    for (const QString &room : std::as_const(m_rooms))
        join(room);
}

void MonitorConnection::handleNamespaceRefused(const QString &message)
{
    m_error = QStringLiteral("the server refused the connection: %1").arg(message);
    qCWarning(lcMonitor) << m_error;
    m_attemptTimer.stop();
    setState(State::Error);
    closeTransport(m_error);
}

void MonitorConnection::dropConnection(const QString &reason)
{
    if (m_state != State::Connecting && m_state != State::Live)
        return; // already handled, or a deliberate stop()
    const bool wasLive = m_state == State::Live;
    if (wasLive)
        m_backoff.connectionEnded(m_liveSince.elapsed());
    m_error = reason.isEmpty() ? QStringLiteral("connection closed") : reason;
    m_attemptTimer.stop();
    const int delay = m_backoff.nextDelayMs();
    m_retryTimer.start(delay);
    setState(State::Reconnecting);
    closeTransport(m_error);
    qCInfo(lcMonitor) << "connection lost:" << m_error << "- retrying in" << delay << "ms";
    if (wasLive)
        emit connectionLost(m_error);
}

void MonitorConnection::closeTransport(const QString &why)
{
    m_socket.abort();
    m_protocol.reset();
    m_pendingAcks.clear(); // acks of this connection will never come
    failPendingList(why);
}

void MonitorConnection::setState(State state)
{
    if (state == m_state)
        return;
    m_state = state;
    emit stateChanged(state);
}

void MonitorConnection::watch(const QString &eventId)
{
    if (m_rooms.contains(eventId))
        return;
    m_rooms.append(eventId);
    if (m_state == State::Live)
        join(eventId);
}

void MonitorConnection::unwatch(const QString &eventId)
{
    if (m_rooms.removeOne(eventId) && m_state == State::Live)
        request(AckKind::Leave, RoomMessages::LeaveEvent, eventId, roomPayload(eventId));
}

void MonitorConnection::resync(const QString &eventId)
{
    if (!m_rooms.contains(eventId) || m_state != State::Live)
        return; // the next connection rejoins anyway
    qCInfo(lcMonitor) << "resyncing room" << eventId;
    request(AckKind::Leave, RoomMessages::LeaveEvent, eventId, roomPayload(eventId));
    join(eventId);
}

// With the compact snapshot, the layout and the map held: a server that knows none of it
// answers as to any join (a JSON snapshot, or none), so every server can be joined this way.
void MonitorConnection::join(const QString &eventId)
{
    const RoomMessages::JoinRequest join =
        m_reader.layouts().joinRequest(eventId, m_held ? m_held(eventId) : std::nullopt);
    request(AckKind::Join, RoomMessages::JoinEvent, eventId, RoomMessages::joinPayload(join));
    emit joinRequested(eventId);
}

void MonitorConnection::request(AckKind kind, const char *event, const QString &eventId,
                                const QJsonObject &payload)
{
    const qint64 id = m_protocol.emitEvent(QString::fromLatin1(event), {payload}, true);
    m_pendingAcks.insert(quint64(id), {kind, eventId});
}

void MonitorConnection::requestEventList()
{
    if (m_state != State::Live) {
        const QString why = QStringLiteral("not connected to the server");
        QTimer::singleShot(0, this, [this, why] { emit eventsListFailed(why); });
        return;
    }
    if (m_listPending)
        return; // the answer to the pending request will do
    request(AckKind::List, RoomMessages::ListEventsEvent, {}, {});
    m_listPending = true;
    m_listTimer.start(ListTimeoutMs);
}

void MonitorConnection::handleListTimeout()
{
    failPendingList(QStringLiteral("the server did not answer list-events within %1 s")
                        .arg(ListTimeoutMs / 1000));
}

void MonitorConnection::failPendingList(const QString &reason)
{
    if (!m_listPending)
        return;
    m_listPending = false;
    m_listTimer.stop();
    for (auto it = m_pendingAcks.begin(); it != m_pendingAcks.end();)
        it = it->kind == AckKind::List ? m_pendingAcks.erase(it) : std::next(it);
    emit eventsListFailed(reason);
}

void MonitorConnection::handleAck(quint64 ackId, const QJsonArray &args)
{
    const auto it = m_pendingAcks.constFind(ackId);
    if (it == m_pendingAcks.cend())
        return; // timed out, or from a connection before this one
    const PendingAck pending = *it;
    m_pendingAcks.erase(it);
    if (pending.kind == AckKind::Join)
        return handleJoinAck(pending.eventId, args);
    if (pending.kind != AckKind::List)
        return;
    m_listPending = false;
    m_listTimer.stop();
    QString error;
    const auto events = RoomMessages::parseEventList(args.first(), &error);
    if (events)
        emit eventsListed(*events);
    else
        emit eventsListFailed(error);
}

void MonitorConnection::handleJoinAck(const QString &eventId, const QJsonArray &args)
{
    if (!m_rooms.contains(eventId))
        return; // unwatched while the join was in flight
    QString error;
    const std::optional<RoomMessages::JoinAck> ack = RoomMessages::parseJoinAck(args, &error);
    if (!ack)
        return emit roomRefused(eventId, error);
    if (ack->room) // only a server that sends snapshots answers an opt-in join so
        m_serverSendsSnapshots = true;
    emit roomJoined(eventId);
    if (!ack->resumed)
        return;
    qCDebug(lcMonitor) << "rejoined" << eventId << "where its map stood; the room is at seq"
                       << ack->room->seq;
    emit roomResumed(eventId, ack->room->seq);
}

void MonitorConnection::handleEvent(const QString &event, const QJsonArray &args)
{
    QString error;
    if (m_reader.read(event, args, &error))
        return;
    if (!m_reportedBadEvents.contains(event)) // once per kind: a bad server must not flood the log
        qCWarning(lcMonitor) << "ignoring malformed" << event << "-" << error;
    m_reportedBadEvents.insert(event);
}

// The map cannot be trusted: join again, and the server sends what this join now asks for (the
// layout, or after a second failure the JSON snapshot).
void MonitorConnection::handleSnapshotUndecodable(const QString &eventId, const QString &reason)
{
    m_serverSendsSnapshots = true;
    qCWarning(lcMonitor) << reason << "- joining again";
    if (m_rooms.contains(eventId) && m_state == State::Live)
        join(eventId);
}

} // namespace Reservo
