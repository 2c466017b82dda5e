// SPDX-License-Identifier: MIT
#include "wsupgrade.h"

namespace Reservo::Bench {

std::string WsUpgrade::request(std::string_view host, std::string_view target, uint64_t randomA,
                               uint64_t randomB)
{
    const std::string key = WsHandshake::makeKey(randomA, randomB);
    m_accept = WsHandshake::acceptFor(key);
    m_head.clear();
    return WsHandshake::request(host, target, key);
}

WsHandshake::Result WsUpgrade::feed(std::string_view bytes, std::string &rest, std::string &error)
{
    m_head.append(bytes);
    size_t headSize = 0;
    const WsHandshake::Result result =
        WsHandshake::checkResponse(m_head, m_accept, headSize, error);
    if (result == WsHandshake::Result::Done)
        rest = m_head.substr(headSize);
    if (result != WsHandshake::Result::NeedMore) {
        std::string().swap(m_head);
        std::string().swap(m_accept);
    }
    return result;
}

} // namespace Reservo::Bench
