// SPDX-License-Identifier: MIT
#include "engineconnection.h"

#include "enginepacket.h"
#include "websocketlink.h"

#include <QLoggingCategory>
#include <QTcpSocket>
#include <QWebSocketProtocol>

Q_LOGGING_CATEGORY(lcEngine, "reservo.engine", QtInfoMsg)

namespace Reservo {

namespace {
const QByteArray PollContentType = "text/plain; charset=UTF-8";
const QByteArray ProbePing = "2probe";
const QByteArray UnknownSidBody =
    EngineIo::handshakeErrorBody(EngineIo::HandshakeError::UnknownSid);

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
    m_upgradeTimer.setSingleShot(true);
    connect(&m_upgradeTimer, &QTimer::timeout, this, [this] {
        qCDebug(lcEngine) << m_sid << "upgrade timed out";
        abortProbe();
    });
}

EngineConnection::~EngineConnection()
{
    // Sockets of unanswered requests go with the connection.
    delete m_poll.data();
    delete m_post.data();
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
    m_queue.append(encodePollingPacket(frame, binary));
    m_queuedBytes += m_queue.constLast().size();
    scheduleFlush();
}

qint64 EngineConnection::bytesToWrite() const
{
    return m_transport == Transport::WebSocket ? m_socket->bytesToWrite() : m_queuedBytes;
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
    if (m_poll) {
        if (m_queue.isEmpty())
            m_queue.append(EngineIo::encode(EngineIo::PacketType::Noop));
        flushPoll();
    }
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
    socket->read(request.headSize);
    if (m_closed || m_transport != Transport::Polling)
        return respond(socket, 400, UnknownSidBody);
    if (m_poll) {
        // Two polls at once: the protocol closes the session, the first poll learns it.
        respond(socket, 400, EngineIo::handshakeErrorBody(EngineIo::HandshakeError::BadRequest));
        m_queue = {EngineIo::encode(EngineIo::PacketType::Close)};
        flushPoll();
        return fail(QStringLiteral("duplicate poll"));
    }
    m_poll = socket;
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_poll == socket && !m_closed)
            fail(QStringLiteral("poll cancelled by the client"));
    });
    if (m_queue.isEmpty() && m_probed) // upgrading: do not hold the poll
        m_queue.append(EngineIo::encode(EngineIo::PacketType::Noop));
    if (!m_queue.isEmpty())
        flushPoll();
}

void EngineConnection::scheduleFlush()
{
    // One response per event-loop pass: packets sent together travel together.
    if (m_flushScheduled || !m_poll)
        return;
    m_flushScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushScheduled = false;
            if (m_poll && !m_queue.isEmpty())
                flushPoll();
        },
        Qt::QueuedConnection);
}

void EngineConnection::flushPoll()
{
    QTcpSocket *socket = m_poll;
    if (!socket)
        return;
    m_poll = nullptr;
    // At least one packet, then as many as fit in maxPayload; the rest waits for the next poll.
    QByteArray body;
    qsizetype taken = 0;
    for (const QByteArray &packet : std::as_const(m_queue)) {
        if (taken > 0 && body.size() + 1 + packet.size() > m_options.maxPayload)
            break;
        if (taken > 0)
            body += EngineIo::RecordSeparator;
        body += packet;
        m_queuedBytes -= packet.size();
        ++taken;
    }
    m_queue.remove(0, taken);
    if (m_queue.isEmpty())
        m_queuedBytes = 0;
    respond(socket, 200, body);
    emit bytesWritten();
}

void EngineConnection::handlePost(QTcpSocket *socket, const HttpRequest &request)
{
    socket->read(request.headSize);
    if (m_closed || m_transport != Transport::Polling)
        return respond(socket, 400, UnknownSidBody);
    if (m_post) {
        respond(socket, 400, EngineIo::handshakeErrorBody(EngineIo::HandshakeError::BadRequest));
        return fail(QStringLiteral("overlapping POST requests"));
    }
    bool ok = false;
    const qint64 length = request.header("content-length").toLongLong(&ok);
    if (!ok || length < 0)
        return respond(socket, 411, R"({"code":3,"message":"Content-Length required"})");
    if (length > m_options.maxPayload)
        return respond(socket, 413, R"({"code":3,"message":"Payload too large"})");
    m_post = socket;
    socket->setParent(this);
    socket->setProperty("reservoBodyLength", length);
    auto *timer = new QTimer(socket);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, socket] {
        if (m_post == socket) {
            m_post = nullptr;
            respond(socket, 408, R"({"code":3,"message":"request body timeout"})");
        }
    });
    timer->start(m_options.requestTimeoutMs);
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { handlePostBody(socket); });
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_post == socket)
            m_post = nullptr;
        socket->deleteLater();
    });
    handlePostBody(socket);
}

void EngineConnection::handlePostBody(QTcpSocket *socket)
{
    if (m_post != socket)
        return;
    const qint64 length = socket->property("reservoBodyLength").toLongLong();
    if (socket->bytesAvailable() < length)
        return;
    m_post = nullptr;
    finishPost(socket, socket->read(length));
}

void EngineConnection::finishPost(QTcpSocket *socket, const QByteArray &body)
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
    respond(socket, m_closeCode == QWebSocketProtocol::CloseCodeProtocolError ? 400 : 200, "ok");
}

void EngineConnection::respond(QTcpSocket *socket, int status, const QByteArray &body)
{
    disconnect(socket, nullptr, this, nullptr);
    socket->setParent(nullptr);
    const QByteArray contentType = status == 200 ? PollContentType : "application/json";
    if (socket->state() == QAbstractSocket::ConnectedState) {
        socket->write(httpResponse(status, contentType, body, m_options.responseHeaders));
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
    } else {
        socket->deleteLater();
    }
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
        if (m_poll) {
            if (m_queue.isEmpty())
                m_queue.append(EngineIo::encode(EngineIo::PacketType::Noop));
            flushPoll();
        }
        return;
    }
    if (frame == EngineIo::encode(EngineIo::PacketType::Upgrade) && m_probed) {
        m_upgradeTimer.stop();
        WebSocketLink *socket = std::exchange(m_probe, nullptr);
        disconnect(socket, nullptr, this, nullptr);
        m_transport = Transport::WebSocket;
        m_probed = false;
        adoptWebSocket(socket);
        if (QTcpSocket *poll = m_poll) {
            m_poll = nullptr;
            respond(poll, 200, EngineIo::encode(EngineIo::PacketType::Noop));
        }
        // Whatever waited for the next poll now goes over the WebSocket, in order.
        const QList<QByteArray> pending = std::exchange(m_queue, {});
        m_queuedBytes = 0;
        for (const QByteArray &packet : pending) {
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
