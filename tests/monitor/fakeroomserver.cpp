// SPDX-License-Identifier: MIT
#include "fakeroomserver.h"

#include "serversession.h"

#include <QJsonArray>
#include <QWebSocket>

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
    const QString eventId = args.first().toObject().value(QStringLiteral("eventId")).toString();
    const auto ack = [&](const QJsonValue &value) {
        if (ackId >= 0)
            session->ack(Root, quint64(ackId), {value});
    };
    if (event == QLatin1String("join-event-room")) {
        joins.append(eventId);
        ack(JoinAck.arg(eventId));
        if (sendSnapshots)
            session->emitEvent(Root, QStringLiteral("room-snapshot"),
                               {QJsonObject{{"eventId", eventId},
                                            {"seq", 3},
                                            {"viewers", 1},
                                            {"complete", true},
                                            {"seats", QJsonArray{}}}});
    } else if (event == QLatin1String("leave-event-room")) {
        leaves.append(eventId);
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

} // namespace Reservo::Test
