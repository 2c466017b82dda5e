// SPDX-License-Identifier: MIT
#include "wsframeparser.h"

namespace Reservo::Bench {

namespace {
// A connection keeps this much for frames that arrive in pieces; more (a 400 KB snapshot) is
// freed once the frame is used, or thousands of joiners would each keep their largest frame.
constexpr size_t KeptBufferBytes = 64 * 1024;

bool isControl(WsOpcode opcode)
{
    return (uint8_t(opcode) & 0x8) != 0;
}

bool isKnown(uint8_t opcode)
{
    return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xA);
}

uint64_t readBigEndian(std::string_view data, size_t from, size_t bytes)
{
    uint64_t value = 0;
    for (size_t i = 0; i < bytes; ++i)
        value = (value << 8) | uint8_t(data[from + i]);
    return value;
}
} // namespace

bool WsFrameParser::feed(std::string_view bytes, WsMessageSink &sink)
{
    if (!m_error.empty())
        return false;
    size_t used = 0;
    if (m_pending.empty()) { // the common case: whole frames straight from the read buffer
        const bool ok = consume(bytes, used, sink);
        if (ok)
            m_pending.assign(bytes.substr(used));
        return ok;
    }
    m_pending.append(bytes);
    const bool ok = consume(m_pending, used, sink);
    m_pending.erase(0, used);
    releaseLargeBuffer();
    return ok;
}

void WsFrameParser::releaseLargeBuffer()
{
    if (m_pending.capacity() > KeptBufferBytes && m_pending.size() <= KeptBufferBytes)
        std::string(m_pending).swap(m_pending);
}

size_t WsFrameParser::serverFrameSize(size_t payload)
{
    return payload + (payload < 126 ? 2 : payload <= 0xFFFF ? 4 : 10);
}

bool WsFrameParser::consume(std::string_view data, size_t &used, WsMessageSink &sink)
{
    while (used < data.size()) {
        Header header;
        const Step step = parseHeader(data.substr(used), header);
        if (step == Step::Error)
            return false;
        if (step == Step::NeedMore)
            return true;
        const std::string_view payload = data.substr(used + header.size, size_t(header.length));
        used += header.size + size_t(header.length);
        if (!handleFrame(header, payload, sink))
            return false;
    }
    return true;
}

WsFrameParser::Step WsFrameParser::parseHeader(std::string_view data, Header &header)
{
    if (data.size() < 2)
        return Step::NeedMore;
    const uint8_t b0 = uint8_t(data[0]);
    const uint8_t b1 = uint8_t(data[1]);
    if ((b0 & 0x70) != 0 || !isKnown(b0 & 0x0F)) {
        fail((b0 & 0x70) != 0 ? "reserved bits set" : "unknown opcode");
        return Step::Error;
    }
    header.fin = (b0 & 0x80) != 0;
    header.opcode = WsOpcode(b0 & 0x0F);
    header.masked = (b1 & 0x80) != 0;
    const uint8_t len7 = b1 & 0x7F;
    const size_t lengthBytes = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
    header.size = 2 + lengthBytes + (header.masked ? 4 : 0);
    if (data.size() < header.size)
        return Step::NeedMore;
    header.length = lengthBytes ? readBigEndian(data, 2, lengthBytes) : len7;
    for (int i = 0; header.masked && i < 4; ++i)
        header.mask[i] = uint8_t(data[2 + lengthBytes + size_t(i)]);
    if (!checkHeader(header))
        return Step::Error;
    return data.size() - header.size < header.length ? Step::NeedMore : Step::Frame;
}

bool WsFrameParser::checkHeader(const Header &header)
{
    if (header.length >> 63)
        return fail("length with the most significant bit set");
    if (isControl(header.opcode) && (!header.fin || header.length > 125))
        return fail("fragmented or oversized control frame");
    if (header.length > m_maxMessage)
        return fail("frame larger than the message limit");
    return true;
}

bool WsFrameParser::handleFrame(const Header &header, std::string_view payload, WsMessageSink &sink)
{
    if (header.masked) {
        m_unmasked.assign(payload);
        for (size_t i = 0; i < m_unmasked.size(); ++i)
            m_unmasked[i] = char(uint8_t(m_unmasked[i]) ^ header.mask[i & 3]);
        payload = m_unmasked;
    }
    if (isControl(header.opcode)) {
        sink.onWsMessage(header.opcode, payload);
        return true;
    }
    return handleData(header, payload, sink);
}

bool WsFrameParser::handleData(const Header &header, std::string_view payload, WsMessageSink &sink)
{
    if (header.opcode == WsOpcode::Continuation) {
        if (!m_inFragmented)
            return fail("continuation frame without a message to continue");
        if (m_fragments.size() + payload.size() > m_maxMessage)
            return fail("fragmented message larger than the message limit");
        m_fragments.append(payload);
        if (header.fin) {
            m_inFragmented = false;
            sink.onWsMessage(m_fragmentOpcode, m_fragments);
            m_fragments.clear();
        }
        return true;
    }
    if (m_inFragmented)
        return fail("new data message inside a fragmented one");
    if (header.fin) {
        sink.onWsMessage(header.opcode, payload);
        return true;
    }
    m_inFragmented = true;
    m_fragmentOpcode = header.opcode;
    m_fragments.assign(payload);
    return true;
}

bool WsFrameParser::fail(const char *why)
{
    m_error = why;
    return false;
}

} // namespace Reservo::Bench
