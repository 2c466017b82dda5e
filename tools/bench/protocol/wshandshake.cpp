// SPDX-License-Identifier: MIT
#include "wshandshake.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <algorithm>
#include <cctype>

namespace Reservo::Bench {

namespace {
constexpr size_t MaxHeadSize = 16 * 1024;
constexpr std::string_view Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(uint8_t(x)) == std::tolower(uint8_t(y));
           });
}

bool containsIgnoringCase(std::string_view haystack, std::string_view needle)
{
    for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
        if (equalsIgnoringCase(haystack.substr(i, needle.size()), needle))
            return true;
    }
    return false;
}

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}
} // namespace

std::string WsHandshake::makeKey(uint64_t randomA, uint64_t randomB)
{
    QByteArray bytes(16, Qt::Uninitialized);
    for (int i = 0; i < 8; ++i) {
        bytes[i] = char(randomA >> (8 * i));
        bytes[8 + i] = char(randomB >> (8 * i));
    }
    return bytes.toBase64().toStdString();
}

std::string WsHandshake::request(std::string_view host, std::string_view target,
                                 std::string_view key)
{
    std::string r;
    r.reserve(256);
    r.append("GET ").append(target).append(" HTTP/1.1\r\nHost: ").append(host);
    r.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ").append(key);
    r.append("\r\nSec-WebSocket-Version: 13\r\nUser-Agent: reservo-bench\r\n\r\n");
    return r;
}

std::string WsHandshake::acceptFor(std::string_view key)
{
    QByteArray input(key.data(), qsizetype(key.size()));
    input.append(Guid.data(), qsizetype(Guid.size()));
    return QCryptographicHash::hash(input, QCryptographicHash::Sha1).toBase64().toStdString();
}

std::string WsHandshake::headerValue(std::string_view head, std::string_view name)
{
    size_t lineStart = head.find("\r\n");
    while (lineStart != std::string_view::npos && lineStart + 2 < head.size()) {
        const size_t from = lineStart + 2;
        const size_t end = head.find("\r\n", from);
        const std::string_view line = head.substr(from, end - from);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos &&
            equalsIgnoringCase(trimmed(line.substr(0, colon)), name))
            return std::string(trimmed(line.substr(colon + 1)));
        lineStart = end;
    }
    return {};
}

WsHandshake::Result WsHandshake::checkResponse(std::string_view received,
                                               std::string_view expectedAccept, size_t &headSize,
                                               std::string &error)
{
    const size_t end = received.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (received.size() <= MaxHeadSize)
            return Result::NeedMore;
        error = "response head too large";
        return Result::Failed;
    }
    const std::string_view head = received.substr(0, end + 2);
    const std::string_view status = head.substr(0, head.find("\r\n"));
    if (status.substr(0, 9) != "HTTP/1.1 " || status.substr(9, 3) != "101")
        error = "no 101 Switching Protocols: " + std::string(status);
    else if (!equalsIgnoringCase(headerValue(head, "upgrade"), "websocket"))
        error = "no Upgrade: websocket header";
    else if (!containsIgnoringCase(headerValue(head, "connection"), "upgrade"))
        error = "no Connection: Upgrade header";
    else if (headerValue(head, "sec-websocket-accept") != expectedAccept)
        error = "wrong Sec-WebSocket-Accept";
    headSize = end + 4;
    return error.empty() ? Result::Done : Result::Failed;
}

} // namespace Reservo::Bench
