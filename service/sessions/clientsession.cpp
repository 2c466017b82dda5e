// SPDX-License-Identifier: MIT
#include "clientsession.h"

#include "engineconnection.h"
#include "joinmessage.h"
#include "jwtverifier.h"
#include "natswire.h"
#include "recoverystore.h"
#include "roommanager.h"
#include "sessionregistry.h"

#include <QDateTime>
#include <QJsonObject>
#include <QPointer>
#include <QWebSocketProtocol>

namespace Reservo {

namespace {
const QString RootNamespace = QStringLiteral("/");

} // namespace

namespace {
ServerSession::Options sessionOptions(ServerSession::Options options,
                                      const EngineConnection *connection)
{
    options.sid = connection->sid();
    options.upgrades = connection->upgrades();
    return options;
}
} // namespace

ClientSession::ClientSession(EngineConnection *connection, const ServerSession::Options &options,
                             const Limits &limits, const Services &services,
                             SessionCounters *counters, QObject *parent)
    : QObject(parent), m_connection(connection), m_session(sessionOptions(options, connection)),
      m_limits(limits), m_services(services), m_counters(counters)
{
    m_connection->setParent(this);
    connect(m_connection, &EngineConnection::frameReceived, this,
            [this](const QByteArray &frame, bool binary) {
                if (binary)
                    m_session.handleBinaryFrame(frame);
                else
                    m_session.handleTextFrame(frame);
            });
    connect(m_connection, &EngineConnection::malformed, this, [this](const QString &why) {
        m_session.close(ServerSession::CloseReason::ParseError, why);
    });
    connect(m_connection, &EngineConnection::disconnected, this,
            &ClientSession::handleDisconnected);
    connect(m_connection, &EngineConnection::bytesWritten, this,
            &ClientSession::handleBytesWritten);
    m_joinTokens = limits.joinRate;
    m_joinClock.start();
    connect(&m_session, &ServerSession::frameReady, this, &ClientSession::sendFrame);
    connect(&m_session, &ServerSession::connectRequested, this,
            &ClientSession::handleConnectRequest);
    connect(&m_session, &ServerSession::namespaceDisconnected, this, [this] {
        m_explicitDisconnect = true;
        m_services.rooms->leaveAll(this);
    });
    connect(&m_session, &ServerSession::eventReceived, this, &ClientSession::handleEvent);
    connect(&m_session, &ServerSession::closed, this, &ClientSession::handleSessionClosed);
    m_session.open();
}

ClientSession::~ClientSession()
{
    m_services.rooms->leaveAll(this);
}

void ClientSession::deliver(const QByteArray &frame, const QString &supersedeKey)
{
    ++m_counters->messagesOut;
    if (!m_session.isOpen())
        return;
    if (!m_outbox.isEmpty())
        handleBytesWritten(); // the transport may have caught up since the last drain notice
    if (m_outbox.isEmpty() && m_connection->bytesToWrite() < m_limits.slowClientBuffer)
        return sendFrame(frame, false);
    // A slow reader: queue, keeping only the latest state of each seat, up to a hard cap.
    if (m_outbox.isEmpty())
        ++m_counters->slowClientEpisodes;
    const quint64 before = m_outbox.superseded();
    m_outbox.push(frame, supersedeKey);
    m_counters->supersededFrames += m_outbox.superseded() - before;
    if (m_connection->bytesToWrite() + m_outbox.bytes() > m_limits.maxClientBuffer) {
        ++m_counters->slowConsumersDropped;
        qCInfo(lcWs) << "disconnecting slow consumer" << m_session.sid() << "with"
                     << m_connection->bytesToWrite() + m_outbox.bytes() << "bytes pending";
        m_session.close(ServerSession::CloseReason::ServerClose, QStringLiteral("slow consumer"));
        return;
    }
    m_connection->requestDrainNotice();
}

void ClientSession::handleBytesWritten()
{
    while (!m_outbox.isEmpty() && m_connection->bytesToWrite() < m_limits.slowClientBuffer)
        sendFrame(m_outbox.pop(), false);
    if (!m_outbox.isEmpty())
        m_connection->requestDrainNotice();
}

void ClientSession::sendFrame(const QByteArray &frame, bool binary)
{
    m_connection->send(frame, binary);
}

void ClientSession::handleConnectRequest(const QString &nsp, const QJsonValue &auth)
{
    if (nsp != RootNamespace) {
        ++m_counters->refusedNamespaces;
        m_session.refuseConnect(nsp, QStringLiteral("Invalid namespace"));
        return;
    }
    if (m_session.isConnected(nsp))
        return;
    QString reason;
    if (!authenticate(auth.toObject(), reason)) {
        ++m_counters->refusedAuth;
        qCDebug(lcWs) << "CONNECT refused:" << reason;
        m_session.refuseConnect(nsp, QStringLiteral("Unauthorized: %1").arg(reason));
        return;
    }
    m_explicitDisconnect = false;
    if (tryRecover(auth.toObject()))
        return;
    m_socketId = randomId();
    QJsonObject reply{{QStringLiteral("sid"), m_socketId}};
    if (m_services.recovery->isEnabled()) {
        m_pid = randomId();
        reply.insert(QStringLiteral("pid"), m_pid);
    }
    m_session.acceptConnect(nsp, reply);
}

// With JWT_SECRET set: a valid HS256 token in `auth.token` or the gateway's `access-token` cookie.
bool ClientSession::authenticate(const QJsonObject &auth, QString &reason) const
{
    const JwtVerifier *jwt = m_services.jwt;
    if (!jwt || !jwt->isEnabled())
        return true;
    QByteArray token = auth.value(QStringLiteral("token")).toString().toUtf8();
    if (token.isEmpty())
        token = JwtVerifier::cookie(m_connection->requestHeader("cookie"), "access-token");
    return jwt->verify(token, QDateTime::currentSecsSinceEpoch(), &reason).has_value();
}

bool ClientSession::takeJoinToken()
{
    const double rate = m_limits.joinRate;
    m_joinTokens = std::min(rate, m_joinTokens + rate * double(m_joinClock.restart()) / 1000.0);
    if (m_joinTokens < 1.0)
        return false;
    m_joinTokens -= 1.0;
    return true;
}

// Socket.IO connection state recovery: same pid back, rooms rejoined, missed broadcasts replayed.
bool ClientSession::tryRecover(const QJsonObject &auth)
{
    const QJsonValue pid = auth.value(QStringLiteral("pid"));
    const QJsonValue offset = auth.value(QStringLiteral("offset"));
    if (!m_services.recovery->isEnabled() || !pid.isString() || !offset.isString())
        return false;
    bool offsetOk = false;
    const quint64 lastOffset = offset.toString().toULongLong(&offsetOk);
    const std::optional<RecoveryStore::Session> stored = m_services.recovery->take(pid.toString());
    const std::optional<RoomManager::RecoveryPlan> plan =
        stored && offsetOk ? m_services.rooms->planRecovery(stored->rooms, lastOffset)
                           : std::nullopt;
    m_services.recovery->countRecovery(plan.has_value());
    if (!plan)
        return false;
    m_pid = pid.toString();
    m_socketId = stored->sid;
    m_session.acceptConnect(RootNamespace,
                            {{QStringLiteral("sid"), m_socketId}, {QStringLiteral("pid"), m_pid}});
    m_services.rooms->recover(this, *plan);
    return true;
}

void ClientSession::handleEvent(const QString &, const QString &event, const QJsonArray &args,
                                qint64 ackId)
{
    ++m_counters->messagesIn;
    if (event == QLatin1String("join-event-room"))
        handleJoin(args, ackId);
    else if (event == QLatin1String("leave-event-room"))
        handleLeave(args, ackId);
    else if (event == QLatin1String("list-events"))
        handleListEvents(ackId);
    else
        ++m_counters->unknownEvents;
}

void ClientSession::handleJoin(const QJsonArray &args, qint64 ackId)
{
    QString error;
    const std::optional<JoinMessage> join = JoinMessage::parse(args, error);
    if (!join) {
        ++m_counters->invalidJoins;
        return replyError(ackId, error);
    }
    if (!takeJoinToken()) {
        ++m_counters->rateLimitedJoins;
        return replyError(
            ackId, QStringLiteral("too many joins; at most %1 per second").arg(m_limits.joinRate));
    }
    RoomManager *rooms = m_services.rooms;
    if (!rooms->roomsOf(this).contains(join->eventId) &&
        rooms->roomsOf(this).size() >= m_limits.maxRoomsPerConnection) {
        ++m_counters->invalidJoins;
        return replyError(ackId, QStringLiteral("too many rooms for one connection (limit %1)")
                                     .arg(m_limits.maxRoomsPerConnection));
    }
    if (m_services.isUnknownEvent && m_services.isUnknownEvent(join->eventId)) {
        replyError(ackId, QStringLiteral("unknown event"));
        return countUnknownJoin();
    }
    const RoomManager::JoinOutcome outcome =
        rooms->join(join->eventId, this, join->room,
                    [&](const RoomManager::JoinOutcome &joined) { ackJoin(ackId, *join, joined); });
    if (outcome.refused) // counted and logged by the rooms
        replyError(ackId, QStringLiteral("too many rooms on this server; try again later"));
}

// The events service does not know the event of a room this client was in: it hears so in a
// `room-error` event (an extension; old clients ignore it), and it counts as an unknown join.
void ClientSession::eventUnknown(const QString &eventId)
{
    if (m_session.isConnected(RootNamespace))
        m_session.emitEvent(
            RootNamespace, QStringLiteral("room-error"),
            {QJsonObject{{QStringLiteral("eventId"), eventId},
                         {QStringLiteral("error"), QStringLiteral("unknown event")}}});
    countUnknownJoin();
}

// A client that keeps joining events that do not exist costs the events service a request
// each: past MAX_UNKNOWN_JOINS it is disconnected (Socket.IO DISCONNECT: it does not reconnect
// by itself) and not kept for recovery.
void ClientSession::countUnknownJoin()
{
    ++m_counters->unknownEventJoins;
    if (++m_unknownJoins <= m_limits.maxUnknownJoins || m_abusive)
        return;
    m_abusive = true;
    ++m_counters->abusiveClosed;
    QString suppressed;
    if (m_counters->abusiveLog.take(&suppressed))
        qCWarning(lcWs).noquote() << "closing" << m_session.sid() << "after" << m_unknownJoins
                                  << "joins of unknown events (MAX_UNKNOWN_JOINS"
                                  << m_limits.maxUnknownJoins << ")" << suppressed;
    m_explicitDisconnect = true;
    // Its rooms that never got a seat map go with it: they would hold MAX_ROOMS places and
    // queued requests until their grace ran out.
    RoomManager *rooms = m_services.rooms;
    const QStringList joined = rooms->roomsOf(this);
    rooms->leaveAll(this);
    for (const QString &eventId : joined) {
        if (const RoomState *room = rooms->room(eventId); room && !room->isComplete())
            rooms->dropIfUnused(eventId);
    }
    m_session.disconnectNamespace(RootNamespace);
    m_session.close(ServerSession::CloseReason::ServerClose,
                    QStringLiteral("too many unknown events"));
}

void ClientSession::handleLeave(const QJsonArray &args, qint64 ackId)
{
    QString error;
    const std::optional<QString> eventId = JoinMessage::parseEventId(args, error);
    if (!eventId)
        return replyError(ackId, error);
    m_services.rooms->leave(*eventId, this);
    ack(ackId, QJsonObject{{QStringLiteral("ok"), true}});
}

void ClientSession::handleListEvents(qint64 ackId)
{
    if (ackId < 0)
        return;
    QPointer<ClientSession> self(this);
    m_services.listUpcomingEvents(
        [self, ackId](const std::optional<QList<NatsWire::EventSummary>> &events,
                      const QString &error) {
            if (!self)
                return;
            if (!events)
                return self->replyError(ackId, error);
            QJsonArray list;
            for (const NatsWire::EventSummary &e : *events)
                list.append(e.toJson());
            self->ack(ackId, list);
        });
}

// The original's ack, byte for byte; a join that used an extension also learns the room's epoch
// and seq, and whether updates (resumed) or a snapshot follow.
void ClientSession::ackJoin(qint64 ackId, const JoinMessage &join,
                            const RoomManager::JoinOutcome &outcome)
{
    if (ackId < 0)
        return;
    QJsonArray args{QStringLiteral("Conectado a la sala correctamente: %1").arg(join.eventId)};
    if (join.extended)
        args.append(QJsonObject{{QStringLiteral("epoch"), outcome.epoch},
                                {QStringLiteral("seq"), double(outcome.seq)},
                                {QStringLiteral("resumed"), outcome.resumed}});
    m_session.ack(RootNamespace, quint64(ackId), args);
}

void ClientSession::ack(qint64 ackId, const QJsonValue &value)
{
    if (ackId >= 0)
        m_session.ack(RootNamespace, quint64(ackId), {value});
}

void ClientSession::replyError(qint64 ackId, const QString &message)
{
    ack(ackId, QJsonObject{{QStringLiteral("error"), message}});
}

void ClientSession::handleSessionClosed(ServerSession::CloseReason reason, const QString &detail)
{
    using Reason = ServerSession::CloseReason;
    if (reason == Reason::ParseError)
        ++m_counters->malformedPackets;
    qCDebug(lcWs) << "closing" << m_session.sid() << detail;
    if (!m_explicitDisconnect && !m_pid.isEmpty() && reason != Reason::ParseError)
        m_services.recovery->store(m_pid, {m_socketId, m_services.rooms->membershipsOf(this)});
    m_pid.clear();
    m_services.rooms->leaveAll(this);
    const auto code = reason == Reason::ParseError    ? QWebSocketProtocol::CloseCodeProtocolError
                      : m_abusive                     ? QWebSocketProtocol::CloseCodePolicyViolated
                      : reason == Reason::ServerClose ? QWebSocketProtocol::CloseCodeGoingAway
                                                      : QWebSocketProtocol::CloseCodeNormal;
    m_connection->close(code, detail);
}

void ClientSession::closeGoingAway()
{
    m_session.close(ServerSession::CloseReason::ServerClose,
                    QStringLiteral("server shutting down"));
}

void ClientSession::handleDisconnected()
{
    if (m_finished)
        return;
    m_finished = true;
    m_session.close(ServerSession::CloseReason::ClientClose); // stores the session if recoverable
    m_services.rooms->leaveAll(this);
    emit finished();
    deleteLater();
}

} // namespace Reservo
