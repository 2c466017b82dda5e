// SPDX-License-Identifier: MIT
#include "fakeroomserver.h"

#include "compactseats.h"
#include "serversession.h"

#include <QJsonArray>
#include <QWebSocket>
#include <vector>

namespace Reservo::Test {

namespace {
const QString Root = QStringLiteral("/");
const QString JoinAck = QStringLiteral("Conectado a la sala correctamente: %1");
} // namespace

FakeRoomServer::FakeRoomServer()
{
    connect(&m_server, &QWebSocketServer::newConnection, this, &FakeRoomServer::handleConnection);
}

FakeRoomServer::~FakeRoomServer()
{
    for (QWebSocket *socket : std::as_const(m_sockets))
        disconnect(socket, nullptr, this, nullptr); // their teardown must not call back
}

QUrl FakeRoomServer::url() const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1").arg(m_server.serverPort()));
}

void FakeRoomServer::dropAll()
{
    for (QWebSocket *socket : std::as_const(m_sockets))
        socket->abort();
}

void FakeRoomServer::broadcast(const QString &event, const QJsonObject &payload)
{
    for (ServerSession *session : std::as_const(m_sessions))
        session->emitEvent(Root, event, {payload});
}

FakeRoomServer::Room &FakeRoomServer::room(const QString &eventId)
{
    auto it = m_rooms.find(eventId);
    if (it == m_rooms.end()) {
        it = m_rooms.insert(eventId, Room{});
        it->epoch = QStringLiteral("%1").arg(++m_epochs, 16, 16, QLatin1Char('0'));
    }
    return *it;
}

void FakeRoomServer::setSeats(const QString &eventId, const QList<Seat> &seats)
{
    room(eventId).seats = seats;
}

void FakeRoomServer::changeSeat(const QString &eventId, int index, SeatState state)
{
    Room &r = room(eventId);
    Seat &seat = r.seats[index];
    seat.state = state;
    const QJsonObject change{{"id", seat.id},
                             {"state", QString(seatStateName(state))},
                             {"eventId", eventId},
                             {"tag", seat.tag},
                             {"seq", ++r.seq}};
    r.changes.append(change);
    if (deliverChanges)
        broadcast(QStringLiteral("update-seat-status"), change);
}

void FakeRoomServer::renewEpoch(const QString &eventId)
{
    Room &r = room(eventId);
    r.epoch = QStringLiteral("%1").arg(++m_epochs, 16, 16, QLatin1Char('0'));
    r.keptFrom = r.seq;
    r.changes.clear();
}

void FakeRoomServer::handleConnection()
{
    QWebSocket *socket = m_server.nextPendingConnection();
    socket->setParent(this);
    auto *session = new ServerSession(ServerSession::Options{}, socket);
    m_sockets.append(socket);
    m_sessions.append(session);
    connect(socket, &QWebSocket::textMessageReceived, session,
            [session](const QString &text) { session->handleTextFrame(text.toUtf8()); });
    connect(session, &ServerSession::frameReady, socket, [socket](const QByteArray &frame) {
        socket->sendTextMessage(QString::fromUtf8(frame));
    });
    connect(session, &ServerSession::connectRequested, session, [this, session] {
        if (refuseConnect)
            session->refuseConnect(Root, QStringLiteral("Authentication error"));
        else
            session->acceptConnect(Root);
    });
    connect(session, &ServerSession::eventReceived, session,
            [this, session](const QString &, const QString &event, const QJsonArray &args,
                            qint64 ackId) { handleEvent(session, event, args, ackId); });
    connect(socket, &QWebSocket::disconnected, this, [this, socket, session] {
        m_sockets.removeOne(socket);
        m_sessions.removeOne(session);
        socket->deleteLater();
    });
    session->open();
}

void FakeRoomServer::handleEvent(ServerSession *session, const QString &event,
                                 const QJsonArray &args, qint64 ackId)
{
    const QJsonObject payload = args.first().toObject();
    const auto ack = [&](const QJsonValue &value) {
        if (ackId >= 0)
            session->ack(Root, quint64(ackId), {value});
    };
    if (event == QLatin1String("join-event-room")) {
        handleJoin(session, payload, ackId);
    } else if (event == QLatin1String("leave-event-room")) {
        leaves.append(payload.value("eventId").toString());
        ack(QJsonObject{{"ok", true}});
    } else if (event == QLatin1String("list-events") && answerList) {
        ack(QJsonArray{QJsonObject{{"id", "e1"},
                                   {"name", "Concierto"},
                                   {"capacity", 15},
                                   {"date", "2026-12-01T20:00:00Z"},
                                   {"occupiedSeats", 3}},
                       QJsonObject{{"id", "e2"}, {"name", "Teatro"}, {"capacity", 120}}});
    }
}

void FakeRoomServer::handleJoin(ServerSession *session, const QJsonObject &payload, qint64 ackId)
{
    const QString eventId = payload.value("eventId").toString();
    joins.append(eventId);
    joinPayloads.append(payload);
    Room &r = room(eventId);
    bool optIn = false;
    for (const char *key : {"snapshot", "layout", "epoch", "seq"})
        optIn = optIn || (speaksCompact && payload.contains(QLatin1String(key)));
    const bool resumed = optIn && canResume(r, payload);
    QJsonArray ackArgs{JoinAck.arg(eventId)};
    if (optIn)
        ackArgs.append(QJsonObject{{"epoch", r.epoch}, {"seq", r.seq}, {"resumed", resumed}});
    if (ackId >= 0)
        session->ack(Root, quint64(ackId), ackArgs);
    if (!resumed) {
        if (sendSnapshots)
            sendSnapshot(session, eventId, optIn ? payload : QJsonObject{});
        return;
    }
    ++resumes;
    const qint64 from = payload.value("seq").toInteger();
    for (const QJsonObject &change : std::as_const(r.changes)) {
        if (change.value("seq").toInteger() > from)
            session->emitEvent(Root, QStringLiteral("update-seat-status"), {change});
    }
}

bool FakeRoomServer::canResume(const Room &room, const QJsonObject &payload) const
{
    const qint64 seq = payload.value("seq").toInteger(-1);
    return resumeJoins && payload.value("epoch").toString() == room.epoch && seq >= room.keptFrom &&
           seq <= room.seq;
}

void FakeRoomServer::sendSnapshot(ServerSession *session, const QString &eventId,
                                  const QJsonObject &payload)
{
    Room &r = room(eventId);
    if (payload.value("snapshot").toString() == QLatin1String("compact"))
        return sendCompactSnapshot(session, eventId, r, payload.value("layout").toString());
    ++jsonSnapshots;
    QJsonArray seats;
    for (const Seat &seat : std::as_const(r.seats))
        seats.append(QJsonObject{
            {"id", seat.id}, {"tag", seat.tag}, {"state", QString(seatStateName(seat.state))}});
    QJsonObject snapshot{
        {"eventId", eventId}, {"seq", r.seq}, {"viewers", 1}, {"complete", true}, {"seats", seats}};
    if (speaksCompact)
        snapshot.insert("epoch", r.epoch);
    session->emitEvent(Root, QStringLiteral("room-snapshot"), {snapshot});
}

void FakeRoomServer::sendCompactSnapshot(ServerSession *session, const QString &eventId, Room &r,
                                         const QString &layoutHeld)
{
    const QString version = CompactSeats::layoutVersion(r.seats);
    if (layoutHeld != version) {
        ++layoutsSent;
        QJsonArray seats;
        for (const Seat &seat : std::as_const(r.seats))
            seats.append(QJsonArray{seat.id, seat.tag});
        session->emitEvent(
            Root, QStringLiteral("room-layout"),
            {QJsonObject{{"eventId", eventId}, {"layout", version}, {"seats", seats}}});
    }
    std::vector<SeatState> states;
    for (const Seat &seat : std::as_const(r.seats))
        states.push_back(seat.state);
    QByteArray packed = CompactSeats::packStates(states);
    if (corruptSnapshots > 0) {
        --corruptSnapshots;
        packed += '#'; // one character too many for the layout
    }
    ++compactSnapshots;
    session->emitEvent(Root, QStringLiteral("room-snapshot"),
                       {QJsonObject{{"eventId", eventId},
                                    {"epoch", r.epoch},
                                    {"seq", r.seq},
                                    {"layout", version},
                                    {"states", QString::fromLatin1(packed)},
                                    {"viewers", 1},
                                    {"complete", true}}});
}

} // namespace Reservo::Test
