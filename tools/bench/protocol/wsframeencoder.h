// SPDX-License-Identifier: MIT
#pragma once

#include "wsframeparser.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace Reservo::Bench {

// Builds WebSocket frames: masked with a caller-chosen key, as RFC 6455 requires of every
// client frame, or unmasked as a server sends them (for tests that play the server).
class WsFrameEncoder
{
public:
    static void appendMasked(std::string &out, WsOpcode opcode, std::string_view payload,
                             uint32_t maskKey, bool fin = true);
    static void appendUnmasked(std::string &out, WsOpcode opcode, std::string_view payload,
                               bool fin = true);
    // A close frame's payload: the 2-byte status code then a reason.
    static std::string closePayload(uint16_t code, std::string_view reason = {});

private:
    static void appendHeader(std::string &out, WsOpcode opcode, uint64_t length, bool masked,
                             bool fin);
};

} // namespace Reservo::Bench
