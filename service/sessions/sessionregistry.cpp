// SPDX-License-Identifier: MIT
#include "sessionregistry.h"

#include <malloc.h>

Q_LOGGING_CATEGORY(lcWs, "reservo.ws", QtInfoMsg)

namespace Reservo {

namespace {
constexpr int TrimDelayMs = 2000;
constexpr int TrimAfterDisconnections = 256;
constexpr int LateTrimIntervalMs = 60000;
constexpr int LateTrims = 5;
} // namespace

SessionRegistry::SessionRegistry(const Options &options, const ClientSession::Services &services,
                                 QObject *parent)
    : QObject(parent), m_options(options), m_services(services), m_engine(options.engine)
{
    m_trimTimer.setSingleShot(true);
    connect(&m_trimTimer, &QTimer::timeout, this, &SessionRegistry::trimMemory);
    m_lateTrimTimer.setInterval(LateTrimIntervalMs);
    connect(&m_lateTrimTimer, &QTimer::timeout, this, [this] {
        // What disconnected clients left behind (recovery sessions, empty rooms) expires within
        // minutes of them: trim a few times after the last wave, then stop.
        malloc_trim(0);
        if (++m_lateTrims >= LateTrims)
            m_lateTrimTimer.stop();
    });
    connect(&m_engine, &EngineServer::newConnection, this, &SessionRegistry::handleNewConnection);
}

SessionRegistry::~SessionRegistry()
{
    // Sessions hold connections into m_engine: they go before it.
    const QSet<ClientSession *> sessions = std::exchange(m_sessions, {});
    qDeleteAll(sessions);
}

std::optional<HttpReply> SessionRegistry::handleRequest(QTcpSocket *socket,
                                                        const HttpRequest &request)
{
    return m_engine.handleRequest(socket, request);
}

void SessionRegistry::handleNewConnection(EngineConnection *connection)
{
    auto *session = new ClientSession(connection, m_options.session, m_options.client, m_services,
                                      &m_counters, this);
    m_sessions.insert(session);
    connect(session, &ClientSession::finished, this,
            [this, session] { handleSessionFinished(session); });
}

void SessionRegistry::handleSessionFinished(ClientSession *session)
{
    m_sessions.remove(session);
    // After a wave of disconnections (an event ends, a deploy), give the memory back to the
    // system once things are quiet: glibc keeps freed heap otherwise.
    ++m_finishedSinceTrim;
    m_trimTimer.start(TrimDelayMs);
    if (m_closing && m_sessions.isEmpty())
        emit allClosed();
}

void SessionRegistry::trimMemory()
{
    if (m_finishedSinceTrim < TrimAfterDisconnections)
        return;
    m_finishedSinceTrim = 0;
    m_sessions.squeeze();
    malloc_trim(0);
    m_lateTrims = 0;
    m_lateTrimTimer.start();
}

void SessionRegistry::closeAll()
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
