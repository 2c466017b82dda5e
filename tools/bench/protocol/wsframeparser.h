// SPDX-License-Identifier: MIT
#pragma once

#include "websocketframe.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace Reservo::Bench {

using WsOpcode = WebSocketFrame::Opcode; // RFC 6455 opcodes

// Receives what WsFrameParser decodes: whole data messages and single control frames.
class WsMessageSink
{
public:
    virtual ~WsMessageSink() = default;
    // The payload is only valid during the call.
    virtual void onWsMessage(WsOpcode opcode, std::string_view payload) = 0;
};

// Incremental RFC 6455 decoder for one connection: bytes arrive in any split (partial frames,
// several frames per read), messages come out whole. Fragmented data messages are reassembled,
// control frames may arrive between their fragments, masked frames are unmasked (servers do not
// mask, but a parser that does not care is simpler to test). After an error it stays failed.
class WsFrameParser
{
public:
    explicit WsFrameParser(size_t maxMessage = 16 * 1024 * 1024) : m_maxMessage(maxMessage) {}

    // False on a protocol error (see errorString()): the connection must be dropped.
    bool feed(std::string_view bytes, WsMessageSink &sink);
    const std::string &errorString() const { return m_error; }
    size_t bufferedBytes() const { return m_pending.size() + m_fragments.size(); }
    // Memory held for frames that arrived in pieces; a large frame's is given back once used.
    size_t bufferCapacity() const { return m_pending.capacity(); }
    // What a server's (unmasked, unfragmented) frame with this payload takes on the wire.
    static size_t serverFrameSize(size_t payload);

private:
    struct Header
    {
        bool fin = false;
        WsOpcode opcode = WsOpcode::Text;
        bool masked = false;
        uint8_t mask[4] = {0, 0, 0, 0};
        uint64_t length = 0;
        size_t size = 0; // bytes of the header itself
    };
    enum class Step { Frame, NeedMore, Error };

    bool consume(std::string_view data, size_t &used, WsMessageSink &sink);
    Step parseHeader(std::string_view data, Header &header);
    bool checkHeader(const Header &header);
    bool handleFrame(const Header &header, std::string_view payload, WsMessageSink &sink);
    bool handleData(const Header &header, std::string_view payload, WsMessageSink &sink);
    bool fail(const char *why);
    void releaseLargeBuffer();

    std::string m_pending;   // the start of a frame that has not fully arrived
    std::string m_fragments; // the data message being reassembled
    std::string m_unmasked;
    WsOpcode m_fragmentOpcode = WsOpcode::Text;
    bool m_inFragmented = false;
    size_t m_maxMessage;
    std::string m_error;
};

} // namespace Reservo::Bench
