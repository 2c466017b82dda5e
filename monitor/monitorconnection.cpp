// SPDX-License-Identifier: MIT
#include "monitorconnection.h"

#include "socketiourl.h"

#include <QJsonObject>

namespace Reservo {

Q_LOGGING_CATEGORY(lcMonitor, "reservo.monitor", QtInfoMsg)

namespace {
const QString JoinedPrefix = QStringLiteral("Conectado a la sala correctamente");
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

MonitorConnection::~MonitorConnection()
{
    // The socket reports its own destruction as a disconnect: by then the rest is gone.
    disconnect(&m_socket, nullptr, this, nullptr);
}

void MonitorConnection::start(const QUrl &serviceUrl)
{
    stop();
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
        request(AckKind::Leave, RoomMessages::LeaveEvent, eventId);
}

void MonitorConnection::resync(const QString &eventId)
{
    if (!m_rooms.contains(eventId) || m_state != State::Live)
        return; // the next connection rejoins anyway
    qCInfo(lcMonitor) << "resyncing room" << eventId;
    request(AckKind::Leave, RoomMessages::LeaveEvent, eventId);
    join(eventId);
}

void MonitorConnection::join(const QString &eventId)
{
    request(AckKind::Join, RoomMessages::JoinEvent, eventId);
    emit joinRequested(eventId);
}

void MonitorConnection::request(AckKind kind, const char *event, const QString &eventId)
{
    const QJsonArray args{eventId.isEmpty() ? QJsonObject{}
                                            : QJsonObject{{QStringLiteral("eventId"), eventId}}};
    const qint64 id = m_protocol.emitEvent(QString::fromLatin1(event), args, true);
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
    request(AckKind::List, RoomMessages::ListEventsEvent, {});
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
        return handleJoinAck(pending.eventId, args.first());
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

void MonitorConnection::handleJoinAck(const QString &eventId, const QJsonValue &reply)
{
    if (!m_rooms.contains(eventId))
        return; // unwatched while the join was in flight
    if (reply.isString() && reply.toString().startsWith(JoinedPrefix))
        return emit roomJoined(eventId);
    const QString error = reply.toObject().value(QStringLiteral("error")).toString();
    emit roomRefused(eventId, error.isEmpty() ? QStringLiteral("unexpected join reply") : error);
}

void MonitorConnection::handleEvent(const QString &event, const QJsonArray &args)
{
    QString error;
    if (event == QLatin1String(RoomMessages::SeatUpdateEvent)) {
        if (const auto update = RoomMessages::parseSeatUpdate(args.first(), &error))
            return emit seatUpdated(*update);
    } else if (event == QLatin1String(RoomMessages::SnapshotEvent)) {
        if (const auto snapshot = RoomMessages::parseSnapshot(args.first(), &error)) {
            m_serverSendsSnapshots = true;
            return emit snapshotReceived(*snapshot);
        }
    } else if (event == QLatin1String(RoomMessages::PresenceEvent)) {
        if (const auto presence = RoomMessages::parsePresence(args.first(), &error))
            return emit presenceChanged(presence->eventId, presence->viewers);
    } else {
        return; // an event a newer server sends that this monitor does not know
    }
    if (!m_reportedBadEvents.contains(event)) // once per kind: a bad server must not flood the log
        qCWarning(lcMonitor) << "ignoring malformed" << event << "-" << error;
    m_reportedBadEvents.insert(event);
}

} // namespace Reservo
