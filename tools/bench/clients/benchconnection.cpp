// SPDX-License-Identifier: MIT
#include "benchconnection.h"

#include "monotonicclock.h"
#include "workercontext.h"
#include "wsframeencoder.h"

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <utility>

namespace Reservo::Bench {

namespace {
constexpr uint64_t JoinAckId = 1;
constexpr int ReadsPerWakeup = 4; // bounded, so that one busy socket cannot starve the others
constexpr uint16_t CloseNormal = 1000;
} // namespace

BenchConnection::BenchConnection(WorkerContext &context, uint32_t index, int room, bool slow,
                                 bool newcomer)
    : m_ctx(context), m_index(index), m_room(room), m_slow(slow), m_newcomer(newcomer),
      m_checker(context, room, slow), m_join(context)
{
}

BenchConnection::~BenchConnection()
{
    closeSocket();
}

bool BenchConnection::start()
{
    m_startNs = monotonicNs();
    m_inFlight = true;
    ++m_ctx.inFlight;
    if (m_ctx.stats.firstStartNs == 0)
        m_ctx.stats.firstStartNs = m_startNs;
    const std::string error = m_socket.connect(
        m_ctx.setup->address, m_slow ? m_ctx.setup->slowReceiveBuffer : 0, m_ctx.epollFd, m_index);
    if (m_socket.descriptor() >= 0)
        WorkerCounters::bump(m_ctx.counters.open);
    if (!error.empty()) {
        fail(error);
        return false;
    }
    m_phase = Phase::Connecting;
    return true;
}

void BenchConnection::handleEvents(uint32_t events)
{
    if (m_phase == Phase::Connecting)
        return handleConnected();
    if ((events & EPOLLOUT) && m_phase != Phase::Closed)
        flush();
    if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && m_phase != Phase::Closed)
        handleReadable();
}

void BenchConnection::handleConnected()
{
    if (const std::string error = m_socket.connectError(); !error.empty())
        return fail(error);
    m_phase = Phase::Upgrading;
    m_socket.output() = m_upgrade.request(m_ctx.setup->host, m_ctx.setup->target,
                                          m_ctx.nextRandom(), m_ctx.nextRandom());
    flush();
}

void BenchConnection::handleReadable()
{
    std::vector<char> &buffer = m_ctx.readBuffer;
    for (int i = 0; i < ReadsPerWakeup && m_phase != Phase::Closed; ++i) {
        const ssize_t n = m_socket.receive(buffer.data(), buffer.size());
        if (!takeRead(buffer.data(), n, buffer.size()))
            return;
    }
}

void BenchConnection::handleReceived(const char *data, ssize_t result, size_t capacity)
{
    if (m_phase != Phase::Closed && takeRead(data, result, capacity))
        handleReadable();
}

bool BenchConnection::takeRead(const char *data, ssize_t result, size_t capacity)
{
    if (result > 0) {
        m_ctx.nowNs = monotonicNs();
        handleBytes(std::string_view(data, size_t(result)));
        return size_t(result) == capacity && m_phase != Phase::Closed;
    }
    if (result == 0) {
        fail("connection closed by the server before the join ack", true);
        return false;
    }
    if (result == -EINTR)
        return true;
    if (result != -EAGAIN && result != -EWOULDBLOCK)
        fail(ClientSocket::errorText("recv", int(-result)));
    return false;
}

void BenchConnection::handleBytes(std::string_view bytes)
{
    if (m_phase == Phase::Upgrading)
        return handleHead(bytes);
    if (!m_parser.feed(bytes, *this))
        fail("WebSocket protocol error: " + m_parser.errorString());
}

void BenchConnection::handleHead(std::string_view bytes)
{
    std::string rest, error;
    const WsHandshake::Result result = m_upgrade.feed(bytes, rest, error);
    if (result == WsHandshake::Result::Failed)
        return fail("WebSocket handshake: " + error);
    if (result == WsHandshake::Result::NeedMore)
        return;
    m_phase = Phase::Opening;
    if (!rest.empty())
        handleBytes(rest);
}

void BenchConnection::onWsMessage(WsOpcode opcode, std::string_view payload)
{
    if (m_phase == Phase::Closed)
        return;
    if (opcode == WsOpcode::Text || opcode == WsOpcode::Binary)
        m_join.countFrame(payload.size());
    if (opcode == WsOpcode::Text)
        return handleText(payload);
    if (opcode == WsOpcode::Ping)
        return sendFrame(WsOpcode::Pong, payload);
    if (opcode != WsOpcode::Close) {
        ++m_ctx.stats.otherMessages;
        return;
    }
    sendFrame(WsOpcode::Close, payload.substr(0, 2));
    fail("WebSocket closed by the server before the join ack", true);
}

void BenchConnection::handleText(std::string_view text)
{
    const SioInbound in = SioInboundParser::parse(text);
    using Kind = SioInbound::Kind;
    switch (in.kind) {
    case Kind::SeatUpdate:
        if (!m_newcomer) // a newcomer missed what came before its snapshot: nothing to check
            m_checker.check(in, m_ctx.nowNs);
        return;
    case Kind::Ping:
        ++m_ctx.stats.pings;
        return sendText("3");
    case Kind::Presence:
        ++m_ctx.stats.presence;
        return;
    case Kind::Snapshot:
        ++m_ctx.stats.snapshots;
        [[fallthrough]];
    case Kind::Layout:
        return m_join.onMessage(in, text.size());
    case Kind::Open:
    case Kind::Connected:
    case Kind::Ack:
        return advanceSession(in, text);
    case Kind::ConnectError:
    case Kind::Close:
    case Kind::Disconnect:
        return fail("session ended by the server: " + std::string(text.substr(0, 200)));
    default:
        ++m_ctx.stats.otherMessages;
    }
}

// Engine.IO open, then Socket.IO CONNECT, then join-event-room and its ack: each answer of the
// server moves the session one step.
void BenchConnection::advanceSession(const SioInbound &in, std::string_view text)
{
    using Kind = SioInbound::Kind;
    if (in.kind == Kind::Open && m_phase == Phase::Opening) {
        m_phase = Phase::SioConnecting;
        sendText("40");
    } else if (in.kind == Kind::Connected && m_phase == Phase::SioConnecting) {
        handleConnect();
    } else if (in.kind == Kind::Ack && m_phase == Phase::Joining && in.ackId == JoinAckId) {
        const bool refused = text.find("\"error\"") != std::string_view::npos;
        m_join.onAck(refused);
        if (refused && !m_newcomer)
            return fail("join refused: " + std::string(text.substr(0, 200)));
        handleJoinAck();
    }
}

// A member joins at once, as the original client; a newcomer waits (its join, later, is what a
// join-storm measures).
void BenchConnection::handleConnect()
{
    if (!m_newcomer) {
        m_phase = Phase::Joining;
        const std::string &eventId = m_ctx.setup->eventIds[size_t(m_room)];
        return sendText(m_join.begin(JoinBatch::Members, "{\"eventId\":\"" + eventId + "\"}", {}));
    }
    m_phase = Phase::Ready;
    finishConnect(m_ctx.counters.ready);
    updateInterest();
}

void BenchConnection::join(JoinBatch batch, std::string_view payload,
                           const JoinProgress::Request &request)
{
    if (m_phase != Phase::Ready)
        return;
    m_phase = Phase::Joining;
    sendText(m_join.begin(batch, payload, request));
}

void BenchConnection::handleJoinAck()
{
    m_phase = Phase::Joined;
    m_joined = !m_newcomer;
    if (m_joined)
        finishConnect(m_ctx.counters.joined);
    updateInterest();
}

// A member's connect ends with its join ack, a newcomer's with the Socket.IO CONNECT.
void BenchConnection::finishConnect(std::atomic<uint64_t> &counter)
{
    finishHandshake();
    WorkerCounters::bump(counter);
    const int64_t now = monotonicNs();
    m_ctx.stats.connectNs.add(now - m_startNs);
    m_ctx.stats.lastJoinNs = std::max(m_ctx.stats.lastJoinNs, now);
}

void BenchConnection::sendText(std::string_view text)
{
    sendFrame(WsOpcode::Text, text);
}

void BenchConnection::sendFrame(WsOpcode opcode, std::string_view payload)
{
    WsFrameEncoder::appendMasked(m_socket.output(), opcode, payload, uint32_t(m_ctx.nextRandom()));
    flush();
}

void BenchConnection::flush()
{
    if (const std::string error = m_socket.flush(); !error.empty())
        return fail(error);
    updateInterest();
}

void BenchConnection::setReading(bool reading)
{
    m_reading = reading;
    if (m_phase != Phase::Closed)
        updateInterest();
}

void BenchConnection::updateInterest()
{
    m_socket.watch(m_reading || m_phase != Phase::Joined);
}

void BenchConnection::checkTimeout()
{
    if (m_inFlight && m_phase != Phase::Closed &&
        m_ctx.nowNs - m_startNs > m_ctx.setup->handshakeTimeoutNs)
        fail("no join ack within the handshake timeout");
}

// During the connect anything fails the client; after it, the client was closed by the server
// (recorded as a failure unless the server closed cleanly).
void BenchConnection::fail(const std::string &why, bool closedCleanly)
{
    if (m_phase == Phase::Closed)
        return;
    if (m_inFlight || !closedCleanly)
        m_ctx.stats.recordFailure(why);
    if (std::exchange(m_inFlight, false)) {
        --m_ctx.inFlight;
        WorkerCounters::bump(m_ctx.counters.failed);
    } else {
        WorkerCounters::bump(m_newcomer ? m_ctx.counters.newcomersClosedByPeer
                                        : m_ctx.counters.closedByPeer[group()]);
    }
    closeSocket();
}

void BenchConnection::finishHandshake()
{
    if (std::exchange(m_inFlight, false))
        --m_ctx.inFlight;
}

void BenchConnection::close()
{
    if (m_phase == Phase::Closed)
        return;
    if (m_phase >= Phase::Opening)
        sendFrame(WsOpcode::Close, WsFrameEncoder::closePayload(CloseNormal));
    finishHandshake();
    closeSocket();
}

void BenchConnection::closeSocket()
{
    if (m_socket.close())
        WorkerCounters::drop(m_ctx.counters.open);
    m_phase = Phase::Closed;
}

} // namespace Reservo::Bench
