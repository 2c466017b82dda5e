// SPDX-License-Identifier: MIT
#include "shardsocket.h"

#include <QTimer>
#include <algorithm>
#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

namespace Reservo {

ShardSocket::ShardSocket(int fd, quint64 id, ShardContext *context, QObject *parent)
    : QObject(parent), m_fd(fd), m_id(id), m_context(context), m_reader(context->maxPayload),
      m_readNotifier(fd, QSocketNotifier::Read), m_writeNotifier(QSocketNotifier::Write)
{
    m_writeNotifier.setSocket(fd);
    connect(&m_readNotifier, &QSocketNotifier::activated, this, &ShardSocket::handleReadable);
    connect(&m_writeNotifier, &QSocketNotifier::activated, this, &ShardSocket::handleWritable);
}

ShardSocket::~ShardSocket()
{
    closeDescriptor();
}

void ShardSocket::feed(QByteArrayView bytes)
{
    if (!bytes.isEmpty())
        handleBytes(bytes);
}

void ShardSocket::execute(const SocketShards::Command &command, const QByteArray &data,
                          const QByteArray &frame)
{
    using Kind = SocketShards::Command::Kind;
    switch (command.kind) {
    case Kind::Text:
    case Kind::Binary:
        m_executed += data.size();
        if (m_state == State::Open) {
            m_out.append(frame);
            m_outBytes += frame.size();
        }
        break;
    case Kind::Close:
        startClose(quint16(command.closeCode), data); // after what was sent before it
        break;
    case Kind::Release:
        break;
    }
}

QByteArray ShardSocket::takeBatch()
{
    if (m_out.isEmpty())
        return {};
    // One frame: no copy.
    QByteArray out = m_out.size() == 1 ? m_out.constFirst() : m_out.join();
    m_out.clear();
    m_outBytes = 0;
    if (m_state == State::Closed)
        return {};
    if (!m_unsent.isEmpty()) { // behind what the kernel has not taken yet
        afterWrite(out, -EAGAIN);
        return {};
    }
    return out;
}

void ShardSocket::publishCounts()
{
    m_progress.executed.store(m_executed, std::memory_order_relaxed); // once per socket per batch
    reportBuffered();
}

void ShardSocket::flush()
{
    if (const QByteArray out = takeBatch(); !out.isEmpty())
        write(out);
    publishCounts();
}

void ShardSocket::release()
{
    closeDescriptor();
    deleteLater();
}

void ShardSocket::handleReadable()
{
    std::vector<char> &buffer = m_context->readBuffer;
    const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n > 0)
        return handleBytes(QByteArrayView(buffer.data(), n));
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    finish(); // the peer closed or reset the connection
}

void ShardSocket::handleBytes(QByteArrayView bytes)
{
    if (m_reader.isFinished()) // after the peer's close or an error: only its FIN matters
        return;
    std::vector<WebSocketFrame::Reader::Event> events;
    m_reader.feed(bytes, events);
    using Kind = WebSocketFrame::Reader::Event::Kind;
    for (WebSocketFrame::Reader::Event &event : events) {
        switch (event.kind) {
        case Kind::Text:
        case Kind::Binary:
            if (m_state == State::Open)
                report(event.kind == Kind::Text ? SocketShards::SocketEvent::Text
                                                : SocketShards::SocketEvent::Binary,
                       event.payload);
            break;
        case Kind::Ping:
            if (m_state == State::Open)
                write(
                    WebSocketFrame::encodeServerFrame(WebSocketFrame::Opcode::Pong, event.payload));
            break;
        case Kind::Pong:
            break;
        case Kind::Close:
            m_peerClosed = true;
            if (m_state == State::Open) // answer with its code, as RFC 6455 §5.5.1 suggests
                startClose(event.closeCode == WebSocketFrame::CloseNoStatus
                               ? quint16(WebSocketFrame::CloseNormal)
                               : event.closeCode,
                           {});
            else if (m_state == State::Closing && m_unsent.isEmpty())
                finish(); // the answer to ours
            break;
        case Kind::Error:
            if (m_state != State::Open)
                return finish();
            qCDebug(lcShards) << "closing WebSocket" << m_id << "with" << event.closeCode
                              << event.payload;
            report(SocketShards::SocketEvent::ProtocolError, event.payload);
            startClose(event.closeCode, event.payload);
            break;
        }
    }
    reportBuffered();
}

void ShardSocket::startClose(quint16 code, QByteArrayView reason)
{
    if (m_state != State::Open)
        return;
    flush(); // what was sent before the close goes first
    m_state = State::Closing;
    write(WebSocketFrame::encodeCloseFrame(code, reason));
    if (m_state != State::Closing)
        return; // the write failed and closed the descriptor
    if (m_unsent.isEmpty())
        closeWhenWritten();
    if (m_state == State::Closing && !m_closeTimer) {
        m_closeTimer = new QTimer(this);
        m_closeTimer->setSingleShot(true);
        connect(m_closeTimer, &QTimer::timeout, this, &ShardSocket::finish);
        m_closeTimer->start(m_context->closeTimeoutMs);
    }
}

void ShardSocket::closeWhenWritten()
{
    if (m_peerClosed)
        return finish();
    ::shutdown(m_fd, SHUT_WR);
}

void ShardSocket::write(const QByteArray &bytes)
{
    if (m_state == State::Closed)
        return;
    if (!m_unsent.isEmpty()) // nothing may overtake what is waiting
        return afterWrite(bytes, -EAGAIN);
    const ssize_t n =
        ::send(m_fd, bytes.constData(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    afterWrite(bytes, n >= 0 ? n : -errno);
}

void ShardSocket::afterWrite(const QByteArray &bytes, ssize_t result)
{
    if (result < 0 && result != -EAGAIN && result != -EWOULDBLOCK && result != -EINTR)
        return finish();
    const qsizetype written = std::max<qsizetype>(result, 0);
    if (written < bytes.size()) {
        m_unsent.append(QByteArrayView(bytes).sliced(written));
        m_writeNotifier.setEnabled(true);
    }
}

void ShardSocket::handleWritable()
{
    const QByteArrayView pending = QByteArrayView(m_unsent).sliced(m_unsentOffset);
    const ssize_t n =
        ::send(m_fd, pending.data(), size_t(pending.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        return finish();
    m_unsentOffset += std::max<qsizetype>(n, 0);
    if (m_unsentOffset == m_unsent.size()) {
        m_unsent = QByteArray(); // give the memory back: a drained socket holds nothing
        m_unsentOffset = 0;
        m_writeNotifier.setEnabled(false);
        if (m_state == State::Closing)
            closeWhenWritten();
    } else if (m_unsentOffset > m_unsent.size() / 2) {
        m_unsent.remove(0, m_unsentOffset);
        m_unsentOffset = 0;
    }
    reportBuffered();
}

void ShardSocket::finish()
{
    if (m_state == State::Closed)
        return;
    closeDescriptor();
    report(SocketShards::SocketEvent::Disconnected);
}

void ShardSocket::closeDescriptor()
{
    if (m_state == State::Closed)
        return;
    m_state = State::Closed;
    // Notifiers first: the number may be reused as soon as it is closed.
    m_readNotifier.setEnabled(false);
    m_writeNotifier.setEnabled(false);
    ::close(m_fd);
    m_out.clear();
    m_unsent = QByteArray();
    m_unsentOffset = 0;
    delete std::exchange(m_closeTimer, nullptr);
    m_progress.buffered.store(0, std::memory_order_relaxed);
}

void ShardSocket::reportBuffered()
{
    // Frames a pass left queued (ShardWorker's bulk budget) wait as much as unsent ones.
    m_progress.buffered.store(m_unsent.size() - m_unsentOffset + m_outBytes,
                              std::memory_order_relaxed);
    if (m_progress.drainNoticeWanted.load(std::memory_order_relaxed) &&
        m_progress.drainNoticeWanted.exchange(false))
        report(SocketShards::SocketEvent::Written);
}

void ShardSocket::report(SocketShards::SocketEvent event, const QByteArray &data)
{
    m_context->shards->reportSocketEvent(m_id, event, data);
}

} // namespace Reservo
