// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocketServer>

class QWebSocket;

namespace Reservo {
class ServerSession;
}

namespace Reservo::Test {

// A stand-in for reservo-ws in the test process (the shared ServerSession behind a
// QWebSocketServer), with switches for what newer servers add, so the monitor's behaviour
// against older and newer servers is tested without starting one.
class FakeRoomServer : public QObject
{
public:
    bool sendSnapshots = true;
    bool answerList = true;
    bool refuseConnect = false;
    QStringList joins;
    QStringList leaves;

    FakeRoomServer();
    ~FakeRoomServer() override;

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const;
    void dropAll();
    void broadcast(const QString &event, const QJsonObject &payload);

private:
    void handleConnection();
    void handleEvent(ServerSession *session, const QString &event, const QJsonArray &args,
                     qint64 ackId);

    QWebSocketServer m_server{QStringLiteral("fake"), QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> m_sockets;
    QList<ServerSession *> m_sessions;
};

} // namespace Reservo::Test
