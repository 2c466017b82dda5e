// SPDX-License-Identifier: MIT
#pragma once

#include "wshandshake.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace Reservo::Bench {

// One client's WebSocket upgrade (WsHandshake): the request with a fresh key, then the server's
// response head, checked as it arrives in pieces; its buffers are freed once it is over.
class WsUpgrade
{
public:
    std::string request(std::string_view host, std::string_view target, uint64_t randomA,
                        uint64_t randomB);
    // Done: `rest` holds what came after the head (the first frames); Failed: `error` says why.
    WsHandshake::Result feed(std::string_view bytes, std::string &rest, std::string &error);

private:
    std::string m_head;
    std::string m_accept;
};

} // namespace Reservo::Bench
