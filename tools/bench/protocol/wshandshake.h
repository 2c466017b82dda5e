// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace Reservo::Bench {

// The client half of the WebSocket opening handshake (RFC 6455 section 4.1): the GET request
// with a random key, and the check of the server's `101 Switching Protocols` head.
class WsHandshake
{
public:
    enum class Result { NeedMore, Done, Failed };

    // 16 random bytes, base64-encoded.
    static std::string makeKey(uint64_t randomA, uint64_t randomB);
    static std::string request(std::string_view host, std::string_view target,
                               std::string_view key);
    // base64(SHA-1(key + the RFC's GUID)): what Sec-WebSocket-Accept must say.
    static std::string acceptFor(std::string_view key);

    // Looks for a complete response head in `received`; on Done, `headSize` is where the first
    // frame starts. On Failed, `error` says why.
    static Result checkResponse(std::string_view received, std::string_view expectedAccept,
                                size_t &headSize, std::string &error);

private:
    static std::string headerValue(std::string_view head, std::string_view name);
};

} // namespace Reservo::Bench
