// SPDX-License-Identifier: MIT
#include "engineserver.h"

#include "enginepacket.h"
#include "serversession.h"
#include "websocketlink.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QUrlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace Reservo {

namespace {
using EngineIo::HandshakeError;
using Headers = QList<std::pair<QByteArray, QByteArray>>;

HttpReply engineError(int status, HandshakeError error, const Headers &cors = {})
{
    return {status, "application/json", EngineIo::handshakeErrorBody(error), cors};
}
} // namespace

EngineServer::EngineServer(const Options &options, QObject *parent)
    : QObject(parent), m_options(options),
      m_shards({options.workerThreads, options.handshakeTimeoutMs, options.maxPayload,
                options.dispatcherFactory, options.socketWrites})
{
    connect(&m_shards, &SocketShards::linkReady, this, &EngineServer::handleNewWebSocket);
}

EngineServer::~EngineServer()
{
    // Connections nobody adopted hold links into m_shards: they go first.
    qDeleteAll(findChildren<EngineConnection *>(Qt::FindDirectChildrenOnly));
}

std::optional<HttpReply> EngineServer::checkRequest(const HttpRequest &request, Headers &cors)
{
    const auto refuse = [this, &cors](int status, HandshakeError error) {
        ++m_counters.refusedHandshakes;
        return engineError(status, error, cors);
    };
    const QByteArray origin = request.header("origin");
    if (!origin.isEmpty()) {
        if (!m_options.allowedOrigins.isEmpty() &&
            !m_options.allowedOrigins.contains(QString::fromUtf8(origin))) {
            ++m_counters.refusedOrigins;
            return refuse(403, HandshakeError::Forbidden);
        }
        // Credentials allowed (the gateway's cookie), so the origin is echoed, never `*`.
        cors = {{"Access-Control-Allow-Origin", origin},
                {"Access-Control-Allow-Credentials", "true"},
                {"Vary", "Origin"}};
    }
    if (request.path != m_options.path)
        return refuse(404, HandshakeError::BadRequest);
    if (request.method == "OPTIONS") { // a CORS preflight
        Headers headers = cors;
        headers.append(std::pair<QByteArray, QByteArray>("Access-Control-Allow-Methods",
                                                         "GET, POST, OPTIONS"));
        if (const QByteArray asked = request.header("access-control-request-headers");
            !asked.isEmpty())
            headers.append(
                std::pair<QByteArray, QByteArray>("Access-Control-Allow-Headers", asked));
        headers.append(std::pair<QByteArray, QByteArray>("Access-Control-Max-Age", "86400"));
        return HttpReply{204, "text/plain", {}, headers};
    }
    if (request.query.queryItemValue(QStringLiteral("EIO")) !=
        QString::number(EngineIo::ProtocolVersion))
        return refuse(400, HandshakeError::UnsupportedProtocolVersion);
    const QString transport = request.query.queryItemValue(QStringLiteral("transport"));
    if (transport != QLatin1String("websocket") &&
        !(transport == QLatin1String("polling") && m_options.allowPolling))
        return refuse(400, HandshakeError::UnknownTransport);
    const bool hasSid = request.query.hasQueryItem(QStringLiteral("sid"));
    if (hasSid && !m_bySid.contains(request.query.queryItemValue(QStringLiteral("sid"))))
        return refuse(400, HandshakeError::UnknownSid);
    const bool post = request.method == "POST";
    if (request.method != "GET" && !(post && hasSid && transport == QLatin1String("polling")))
        return refuse(400, HandshakeError::BadHandshakeMethod);
    if (transport == QLatin1String("websocket") && !request.isWebSocketUpgrade())
        return refuse(400, HandshakeError::BadRequest);
    return std::nullopt;
}

std::optional<HttpReply> EngineServer::admitNewConnection()
{
    if (m_closing)
        return HttpReply{503, "application/json", R"({"code":3,"message":"Server shutting down"})"};
    if (m_liveConnections >= m_options.maxConnections) {
        ++m_counters.refusedConnections;
        qCWarning(lcEngine) << "refusing connection: MAX_CONNECTIONS" << m_options.maxConnections
                            << "reached";
        return HttpReply{503, "application/json",
                         R"({"code":3,"message":"Server at connection limit"})"};
    }
    return std::nullopt;
}

std::optional<HttpReply> EngineServer::handleRequest(QTcpSocket *socket, const HttpRequest &request)
{
    Headers cors;
    if (std::optional<HttpReply> refusal = checkRequest(request, cors))
        return refusal;
    const QString sid = request.query.queryItemValue(QStringLiteral("sid"));
    EngineConnection *existing = m_bySid.value(sid);
    if (request.query.queryItemValue(QStringLiteral("transport")) == QLatin1String("websocket")) {
        if (existing && m_closing) {
            ++m_counters.refusedHandshakes;
            return engineError(400, HandshakeError::BadRequest, cors);
        }
        // A sid that cannot upgrade now (upgraded, or another probe under way) still completes
        // the WebSocket handshake and is closed at once by attachUpgrade(), as the reference
        // server does: clients (the protocol's test suite) wait for a close, not an HTTP error.
        if (existing && !existing->canUpgrade())
            ++m_counters.refusedHandshakes;
        if (!existing)
            if (std::optional<HttpReply> refusal = admitNewConnection())
                return refusal;
        m_shards.acceptWebSocket(socket); // a shard's QWebSocketServer completes the handshake
        return std::nullopt;
    }
    // Long-polling.
    if (!existing) {
        if (std::optional<HttpReply> refusal = admitNewConnection())
            return refusal;
        auto *connection = new EngineConnection(randomId(), request, connectionOptions(cors), this);
        ++m_counters.pollingConnectionsTotal;
        m_bySid.insert(connection->sid(), connection);
        track(connection);
        existing = connection;
    }
    if (request.method == "POST")
        existing->handlePost(socket, request);
    else
        existing->handlePoll(socket, request);
    return std::nullopt;
}

EngineConnection::Options EngineServer::connectionOptions(const Headers &cors) const
{
    EngineConnection::Options options;
    options.maxPayload = m_options.maxPayload;
    options.upgradeTimeoutMs = m_options.upgradeTimeoutMs;
    options.requestTimeoutMs = m_options.handshakeTimeoutMs;
    options.responseHeaders = cors;
    return options;
}

void EngineServer::track(EngineConnection *connection)
{
    ++m_counters.connectionsTotal;
    ++m_liveConnections;
    const QString sid = connection->sid();
    connect(connection, &QObject::destroyed, this, [this, sid] {
        --m_liveConnections;
        m_bySid.remove(sid);
    });
    connect(connection, &EngineConnection::upgraded, this, [this] { ++m_counters.upgrades; });
    emit newConnection(connection);
}

void EngineServer::handleNewWebSocket(WebSocketLink *socket)
{
    const QString sid = QUrlQuery(socket->requestUrl()).queryItemValue(QStringLiteral("sid"));
    if (sid.isEmpty()) {
        track(new EngineConnection(randomId(), socket, connectionOptions({}), this));
        return;
    }
    if (EngineConnection *connection = m_bySid.value(sid))
        connection->attachUpgrade(socket);
    else // the polling session ended during the WebSocket handshake
        delete socket;
}

void EngineServer::stopAccepting()
{
    m_closing = true;
}

} // namespace Reservo
