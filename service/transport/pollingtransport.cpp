// SPDX-License-Identifier: MIT
#include "pollingtransport.h"

#include "enginepacket.h"

#include <QTcpSocket>
#include <QTimer>

namespace Reservo {

namespace {
const QByteArray PollContentType = "text/plain; charset=UTF-8";
const QByteArray UnknownSidBody =
    EngineIo::handshakeErrorBody(EngineIo::HandshakeError::UnknownSid);
} // namespace

PollingTransport::PollingTransport(const Options &options, QObject *parent)
    : QObject(parent), m_options(options)
{
}

void PollingTransport::queue(const QByteArray &packet)
{
    m_queue.append(packet);
    m_queuedBytes += packet.size();
    scheduleAnswer();
}

void PollingTransport::endPoll()
{
    if (!m_poll)
        return;
    if (m_queue.isEmpty())
        m_queue.append(EngineIo::encode(EngineIo::PacketType::Noop));
    answerPoll();
}

QList<QByteArray> PollingTransport::takeQueueForUpgrade()
{
    if (QTcpSocket *poll = m_poll) {
        m_poll = nullptr;
        respond(poll, 200, EngineIo::encode(EngineIo::PacketType::Noop));
    }
    m_queuedBytes = 0;
    return std::exchange(m_queue, {});
}

void PollingTransport::handlePoll(QTcpSocket *socket, const HttpRequest &request)
{
    socket->read(request.headSize);
    if (m_poll) {
        // Two polls at once: the protocol closes the session, the first poll learns it.
        respond(socket, 400, EngineIo::handshakeErrorBody(EngineIo::HandshakeError::BadRequest));
        m_queue = {EngineIo::encode(EngineIo::PacketType::Close)};
        answerPoll();
        return emit failed(QStringLiteral("duplicate poll"));
    }
    m_poll = socket;
    socket->setParent(this);
    connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
        if (m_poll == socket)
            emit failed(QStringLiteral("poll cancelled by the client"));
    });
    if (!m_queue.isEmpty())
        answerPoll();
}

void PollingTransport::scheduleAnswer()
{
    // One response per event-loop pass: packets sent together travel together.
    if (m_answerScheduled || !m_poll)
        return;
    m_answerScheduled = true;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_answerScheduled = false;
            if (m_poll && !m_queue.isEmpty())
                answerPoll();
        },
        Qt::QueuedConnection);
}

void PollingTransport::answerPoll()
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

void PollingTransport::handlePost(QTcpSocket *socket, const HttpRequest &request)
{
    socket->read(request.headSize);
    if (m_post) {
        respond(socket, 400, EngineIo::handshakeErrorBody(EngineIo::HandshakeError::BadRequest));
        return emit failed(QStringLiteral("overlapping POST requests"));
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

void PollingTransport::handlePostBody(QTcpSocket *socket)
{
    if (m_post != socket)
        return;
    const qint64 length = socket->property("reservoBodyLength").toLongLong();
    if (socket->bytesAvailable() < length)
        return;
    m_post = nullptr;
    emit postReceived(socket, socket->read(length));
}

void PollingTransport::refuse(QTcpSocket *socket, const HttpRequest &request)
{
    socket->read(request.headSize);
    respond(socket, 400, UnknownSidBody);
}

void PollingTransport::respond(QTcpSocket *socket, int status, const QByteArray &body)
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

} // namespace Reservo
