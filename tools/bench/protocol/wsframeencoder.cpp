// SPDX-License-Identifier: MIT
#include "wsframeencoder.h"

namespace Reservo::Bench {

void WsFrameEncoder::appendHeader(std::string &out, WsOpcode opcode, uint64_t length, bool masked,
                                  bool fin)
{
    out.push_back(char((fin ? 0x80 : 0x00) | uint8_t(opcode)));
    const char maskBit = masked ? char(0x80) : char(0);
    if (length < 126) {
        out.push_back(char(maskBit | char(length)));
        return;
    }
    const int bytes = length <= 0xFFFF ? 2 : 8;
    out.push_back(char(maskBit | char(bytes == 2 ? 126 : 127)));
    for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8)
        out.push_back(char((length >> shift) & 0xFF));
}

void WsFrameEncoder::appendMasked(std::string &out, WsOpcode opcode, std::string_view payload,
                                  uint32_t maskKey, bool fin)
{
    appendHeader(out, opcode, payload.size(), true, fin);
    const uint8_t mask[4] = {uint8_t(maskKey >> 24), uint8_t(maskKey >> 16), uint8_t(maskKey >> 8),
                             uint8_t(maskKey)};
    out.append(reinterpret_cast<const char *>(mask), 4);
    const size_t start = out.size();
    out.append(payload);
    for (size_t i = 0; i < payload.size(); ++i)
        out[start + i] = char(uint8_t(out[start + i]) ^ mask[i & 3]);
}

void WsFrameEncoder::appendUnmasked(std::string &out, WsOpcode opcode, std::string_view payload,
                                    bool fin)
{
    appendHeader(out, opcode, payload.size(), false, fin);
    out.append(payload);
}

std::string WsFrameEncoder::closePayload(uint16_t code, std::string_view reason)
{
    std::string payload{char(code >> 8), char(code & 0xFF)};
    payload.append(reason);
    return payload;
}

} // namespace Reservo::Bench
