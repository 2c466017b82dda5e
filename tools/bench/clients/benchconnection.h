// SPDX-License-Identifier: MIT
#pragma once

#include "clientjoin.h"
#include "clientsocket.h"
#include "deliverychecker.h"
#include "sioinbound.h"
#include "wsframeparser.h"
#include "wsupgrade.h"

#include <atomic>
#include <cstdint>
#include <string>

namespace Reservo::Bench {

struct WorkerContext;

// One simulated Socket.IO client on a raw non-blocking socket: TCP connect, WebSocket upgrade,
// Engine.IO open, Socket.IO CONNECT, join-event-room with ack, then pings answered and every
// update-seat-status checked against the publish log. A newcomer (join-storm) stops after the
// CONNECT and joins on its worker's command; its updates are not checked. Driven by its worker's
// epoll loop.
class BenchConnection : public WsMessageSink
{
public:
    enum class Phase {
        Created,
        Connecting,
        Upgrading,
        Opening,
        SioConnecting,
        Ready, // a newcomer, connected, waiting for the command to join
        Joining,
        Joined,
        Closed
    };

    BenchConnection(WorkerContext &context, uint32_t index, int room, bool slow,
                    bool newcomer = false);
    ~BenchConnection() override;
    BenchConnection(const BenchConnection &) = delete;
    BenchConnection &operator=(const BenchConnection &) = delete;

    // Starts the TCP connect; false if it failed at once (recorded as a failure).
    bool start();
    void handleEvents(uint32_t events);
    // The worker may read this connection in a batch with others: it is joined and has nothing
    // of its own to write.
    bool readsInBatches() const
    {
        return (m_phase == Phase::Joined || m_phase == Phase::Ready) && !m_socket.hasOutput();
    }
    int descriptor() const { return m_socket.descriptor(); }
    // A read the worker made for it: `result` bytes at `data`, 0 at the server's close, or
    // -errno. A full buffer (`capacity`) means more may wait: read on here.
    void handleReceived(const char *data, ssize_t result, size_t capacity);
    void checkTimeout();
    // Slow readers stop reading (no EPOLLIN) to let the server's buffers for them fill up.
    void setReading(bool reading);
    // A newcomer that is Ready sends its join now.
    void join(JoinBatch batch, std::string_view payload, const JoinProgress::Request &request);
    // Sends a WebSocket close frame if the session is up, then closes the socket.
    void close();

    Phase phase() const { return m_phase; }
    bool hasJoined() const { return m_joined; }
    bool isSlow() const { return m_slow; }
    bool isNewcomer() const { return m_newcomer; }
    int room() const { return m_room; }
    const SeatTracker &tracker() const { return m_checker.tracker(); }

    void onWsMessage(WsOpcode opcode, std::string_view payload) override;

private:
    void handleConnected();
    void handleReadable();
    // One read's outcome; true when more bytes may be waiting.
    bool takeRead(const char *data, ssize_t result, size_t capacity);
    void handleBytes(std::string_view bytes);
    void handleHead(std::string_view bytes);
    void handleText(std::string_view text);
    void advanceSession(const SioInbound &in, std::string_view text);
    void handleConnect();
    void handleJoinAck();
    void finishConnect(std::atomic<uint64_t> &counter);
    void sendText(std::string_view text);
    void sendFrame(WsOpcode opcode, std::string_view payload);
    void flush();
    void updateInterest();
    void fail(const std::string &why, bool closedCleanly = false);
    void finishHandshake();
    void closeSocket();
    int group() const { return m_slow ? 1 : 0; }

    WorkerContext &m_ctx;
    uint32_t m_index;
    int m_room;
    bool m_slow;
    bool m_newcomer;
    bool m_reading = true;
    bool m_joined = false;
    bool m_inFlight = false; // counted in the worker's handshakes in flight
    Phase m_phase = Phase::Created;
    ClientSocket m_socket;
    int64_t m_startNs = 0;
    WsUpgrade m_upgrade;
    WsFrameParser m_parser;
    DeliveryChecker m_checker;
    ClientJoin m_join;
};

} // namespace Reservo::Bench
