// SPDX-License-Identifier: MIT
#include "engineconnection.h"

#include "enginepacket.h"
#include "pollingtransport.h"
#include "websocketlink.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTcpSocket>
#include <QWebSocketProtocol>

Q_LOGGING_CATEGORY(lcEngine, "reservo.engine", QtInfoMsg)

namespace Reservo {

namespace {
const QByteArray ProbePing = "2probe";

// A binary message inside a long-polling payload: `b` and the data in base64.
QByteArray encodePollingPacket(const QByteArray &frame, bool binary)
{
    return binary ? 'b' + frame.toBase64() : frame;
}
} // namespace

EngineConnection::EngineConnection(const QString &sid, WebSocketLink *socket,
                                   const Options &options, QObject *parent)
    : QObject(parent), m_sid(sid), m_options(options), m_transport(Transport::WebSocket),
      m_headers(socket->requestHeaders())
{
    adoptWebSocket(socket);
}

EngineConnection::EngineConnection(const QString &sid, const HttpRequest &handshake,
                                   const Options &options, QObject *parent)
    : QObject(parent), m_sid(sid), m_options(options), m_transport(Transport::Polling)
{
    // Only the headers the product reads are kept: a connection is long-lived and many.
    if (const QByteArray cookie = handshake.header("cookie"); !cookie.isEmpty())
        m_headers.insert("cookie", cookie);
    m_polling = new PollingTransport(
        {options.maxPayload, options.requestTimeoutMs, options.responseHeaders}, this);
    connect(m_polling, &PollingTransport::postReceived, this, &EngineConnection::handlePostBody);
    connect(m_polling, &PollingTransport::bytesWritten, this, &EngineConnection::bytesWritten);
    connect(m_polling, &PollingTransport::failed, this, &EngineConnection::handlePollingFailure);
    m_upgradeTimer.setSingleShot(true);
    connect(&m_upgradeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngine) << m_sid << "upgrade timed out";
        abortProbe();
    });
}

QByteArray EngineConnection::requestHeader(const QByteArray &lowerName) const
{
    return m_headers.value(lowerName);
}

QStringList EngineConnection::upgrades() const
{
    return m_transport == Transport::Polling ? QStringList{QStringLiteral("websocket")}
                                             : QStringList{};
}

void EngineConnection::adoptWebSocket(WebSocketLink *socket)
{
    m_socket = socket;
    m_socket->setParent(this);
    disconnect(m_socket, nullptr, this, nullptr);
    connect(m_socket, &WebSocketLink::textReceived, this,
            [this](const QByteArray &text) { emit frameReceived(text, false); });
    connect(m_socket, &WebSocketLink::binaryReceived, this,
            [this](const QByteArray &data) { emit frameReceived(data, true); });
    connect(m_socket, &WebSocketLink::bytesWritten, this, &EngineConnection::bytesWritten);
    connect(m_socket, &WebSocketLink::protocolError, this, &EngineConnection::malformed);
    connect(m_socket, &WebSocketLink::disconnected, this, &EngineConnection::finish);
}

void EngineConnection::requestDrainNotice()
{
    if (m_transport == Transport::WebSocket)
        m_socket->requestDrainNotice();
}

void EngineConnection::send(const QByteArray &frame, bool binary)
{
    if (m_closed)
        return;
    if (m_transport == Transport::WebSocket) {
        if (binary)
            m_socket->sendBinary(frame);
        else
            m_socket->sendText(frame);
        return;
    }
    m_polling->queue(encodePollingPacket(frame, binary));
}

qint64 EngineConnection::bytesToWrite() const
{
    return m_transport == Transport::WebSocket ? m_socket->bytesToWrite()
                                               : m_polling->queuedBytes();
}

void EngineConnection::close(int webSocketCloseCode, const QString &reason)
{
    if (m_closed)
        return;
    m_closed = true;
    m_closeCode = webSocketCloseCode;
    abortProbe();
    if (m_transport == Transport::WebSocket) {
        if (m_socket->isConnected())
            m_socket->close(webSocketCloseCode, reason);
        else
            finish();
        return;
    }
    // What was queued (a close packet when the server closes) goes to a waiting poll; a noop
    // ends the poll cleanly when the client closed. Later requests for the sid get a 400.
    m_polling->endPoll();
    QMetaObject::invokeMethod(this, &EngineConnection::finish, Qt::QueuedConnection);
}

void EngineConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_closed = true;
    abortProbe();
    emit disconnected();
}

void EngineConnection::fail(const QString &why)
{
    qCDebug(lcEngine) << m_sid << "closing:" << why;
    m_closed = true;
    abortProbe();
    QMetaObject::invokeMethod(this, &EngineConnection::finish, Qt::QueuedConnection);
}

// --- Long-polling ---------------------------------------------------------------------------

void EngineConnection::handlePoll(QTcpSocket *socket, const HttpRequest &request)
{
    if (m_closed || m_transport != Transport::Polling)
        return m_polling->refuse(socket, request);
    m_polling->handlePoll(socket, request);
    if (m_probed) // upgrading: do not hold the poll
        m_polling->endPoll();
}

void EngineConnection::handlePost(QTcpSocket *socket, const HttpRequest &request)
{
    if (m_closed || m_transport != Transport::Polling)
        return m_polling->refuse(socket, request);
    m_polling->handlePost(socket, request);
}

void EngineConnection::handlePollingFailure(const QString &why)
{
    if (!m_closed)
        fail(why);
}

void EngineConnection::handlePostBody(QTcpSocket *socket, const QByteArray &body)
{
    const QPointer<EngineConnection> self(this);
    for (const QByteArray &packet : EngineIo::splitPayload(body)) {
        if (m_closed)
            break;
        if (packet.startsWith('b')) {
            const auto decoded = QByteArray::fromBase64Encoding(
                packet.sliced(1), QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                emit malformed(QStringLiteral("invalid base64 in a binary packet"));
            else
                emit frameReceived(*decoded, true);
        } else {
            emit frameReceived(packet, false);
        }
        if (!self)
            return;
    }
    // A packet that closed the session for a protocol error answers 400.
    m_polling->respond(socket,
                       m_closeCode == QWebSocketProtocol::CloseCodeProtocolError ? 400 : 200, "ok");
}

// --- Upgrade --------------------------------------------------------------------------------

bool EngineConnection::canUpgrade() const
{
    return !m_closed && m_transport == Transport::Polling && !m_probe;
}

void EngineConnection::attachUpgrade(WebSocketLink *socket)
{
    if (!canUpgrade()) {
        // Closed, not aborted: an abort can overtake the handshake's answer on the shard, and
        // clients (the protocol's test suite) expect an open WebSocket that closes.
        socket->setParent(this);
        connect(socket, &WebSocketLink::disconnected, socket, &QObject::deleteLater);
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      QStringLiteral("cannot upgrade"));
        return;
    }
    m_probe = socket;
    m_probe->setParent(this);
    connect(m_probe, &WebSocketLink::textReceived, this, &EngineConnection::handleProbeFrame);
    connect(m_probe, &WebSocketLink::binaryReceived, this, &EngineConnection::abortProbe);
    connect(m_probe, &WebSocketLink::disconnected, this, &EngineConnection::abortProbe);
    m_upgradeTimer.start(m_options.upgradeTimeoutMs);
}

void EngineConnection::handleProbeFrame(const QByteArray &frame)
{
    if (frame == ProbePing && !m_probed) {
        m_probed = true;
        m_probe->sendText("3probe");
        // End the waiting poll so that the client can pause polling and finish the upgrade.
        m_polling->endPoll();
        return;
    }
    if (frame == EngineIo::encode(EngineIo::PacketType::Upgrade) && m_probed) {
        m_upgradeTimer.stop();
        WebSocketLink *socket = std::exchange(m_probe, nullptr);
        disconnect(socket, nullptr, this, nullptr);
        m_transport = Transport::WebSocket;
        m_probed = false;
        adoptWebSocket(socket);
        // Whatever waited for the next poll now goes over the WebSocket, in order.
        for (const QByteArray &packet : m_polling->takeQueueForUpgrade()) {
            if (packet.startsWith('b'))
                m_socket->sendBinary(QByteArray::fromBase64(packet.sliced(1)));
            else
                m_socket->sendText(packet);
        }
        qCDebug(lcEngine) << m_sid << "upgraded to websocket";
        emit upgraded();
        return;
    }
    qCDebug(lcEngine) << m_sid << "unexpected frame during upgrade; upgrade aborted";
    abortProbe();
}

void EngineConnection::abortProbe()
{
    m_upgradeTimer.stop();
    m_probed = false;
    if (WebSocketLink *probe = std::exchange(m_probe, nullptr)) {
        disconnect(probe, nullptr, this, nullptr);
        probe->deleteLater(); // aborts it
    }
}

} // namespace Reservo
