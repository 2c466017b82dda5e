// SPDX-License-Identifier: MIT
#include "socketgateway.h"

Q_LOGGING_CATEGORY(lcWs, "reservo.ws", QtInfoMsg)

namespace Reservo {

SocketGateway::SocketGateway(const Options &options, const ClientSession::Services &services,
                             QObject *parent)
    : QObject(parent), m_options(options), m_services(services), m_engine(options.engine)
{
    m_services.counters = &m_counters;
    connect(&m_engine, &EngineServer::newConnection, this, &SocketGateway::handleNewConnection);
}

SocketGateway::~SocketGateway()
{
    // Sessions hold connections into m_engine: they go before it.
    const QSet<ClientSession *> sessions = std::exchange(m_sessions, {});
    qDeleteAll(sessions);
}

std::optional<HttpReply> SocketGateway::handleRequest(QTcpSocket *socket,
                                                      const HttpRequest &request)
{
    return m_engine.handleRequest(socket, request);
}

void SocketGateway::handleNewConnection(EngineConnection *connection)
{
    auto *session =
        new ClientSession(connection, m_options.session, m_options.client, m_services, this);
    m_sessions.insert(session);
    connect(session, &ClientSession::finished, this,
            [this, session] { handleSessionFinished(session); });
}

void SocketGateway::handleSessionFinished(ClientSession *session)
{
    m_sessions.remove(session);
    if (m_closing && m_sessions.isEmpty())
        emit allClosed();
}

void SocketGateway::closeAll()
{
    m_closing = true;
    m_engine.stopAccepting();
    if (m_sessions.isEmpty()) {
        emit allClosed();
        return;
    }
    const QSet<ClientSession *> sessions = m_sessions;
    for (ClientSession *session : sessions)
        session->closeGoingAway();
}

} // namespace Reservo
