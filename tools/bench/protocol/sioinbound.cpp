// SPDX-License-Identifier: MIT
#include "sioinbound.h"

#include "jsonscanner.h"

namespace Reservo::Bench {

namespace {
using Kind = SioInbound::Kind;

SioInbound only(Kind kind)
{
    SioInbound in;
    in.kind = kind;
    return in;
}

// Skips a namespace (`/admin,`) and reads an ack id, as in `<nsp>,<id>[...]`.
std::string_view skipNamespaceAndId(std::string_view body, uint64_t &id, bool &hasId)
{
    if (!body.empty() && body.front() == '/') {
        const size_t comma = body.find(',');
        body.remove_prefix(comma == std::string_view::npos ? body.size() : comma + 1);
    }
    hasId = false;
    id = 0;
    while (!body.empty() && body.front() >= '0' && body.front() <= '9') {
        id = id * 10 + uint64_t(body.front() - '0');
        hasId = true;
        body.remove_prefix(1);
    }
    return body;
}
} // namespace

SioInbound SioInboundParser::parse(std::string_view text)
{
    if (text.empty())
        return only(Kind::Invalid);
    switch (text.front()) {
    case '0':
        return only(Kind::Open);
    case '1':
        return only(Kind::Close);
    case '2':
        return only(Kind::Ping);
    case '3':
    case '5':
    case '6':
        return only(Kind::Noop);
    case '4':
        return parseSocketIo(text.substr(1));
    default:
        return only(Kind::Invalid);
    }
}

SioInbound SioInboundParser::parseSocketIo(std::string_view packet)
{
    if (packet.empty())
        return only(Kind::Invalid);
    const char type = packet.front();
    packet.remove_prefix(1);
    if (type == '2')
        return parseEvent(packet);
    if (type == '3') {
        SioInbound in = only(Kind::Ack);
        bool hasId = false;
        skipNamespaceAndId(packet, in.ackId, hasId);
        return hasId ? in : only(Kind::Invalid);
    }
    if (type == '0')
        return only(Kind::Connected);
    if (type == '1')
        return only(Kind::Disconnect);
    return only(type == '4' ? Kind::ConnectError : Kind::Other);
}

SioInbound SioInboundParser::parseEvent(std::string_view body)
{
    uint64_t ackId = 0;
    bool hasId = false;
    body = skipNamespaceAndId(body, ackId, hasId);
    JsonScanner json(body);
    std::string_view name;
    if (!json.take('[') || !json.readString(name))
        return only(Kind::Invalid);
    if (name == "room-snapshot" || name == "room-layout") {
        SioInbound in = only(name == "room-layout" ? Kind::Layout : Kind::Snapshot);
        return json.take(',') && readMap(json, in) ? in : only(Kind::Invalid);
    }
    if (name == "room-presence")
        return only(Kind::Presence);
    if (name != "update-seat-status")
        return only(Kind::OtherEvent);
    SioInbound in = only(Kind::SeatUpdate);
    if (!json.take(',') || !readSeatUpdate(json, in))
        return only(Kind::Invalid);
    return in;
}

// The payload object `{"eventId","id","seq","state","tag"}` in any order, extra keys ignored.
bool SioInboundParser::readSeatUpdate(JsonScanner &json, SioInbound &out)
{
    if (!json.take('{') || json.take('}'))
        return false;
    do {
        std::string_view key;
        if (!json.readString(key) || !json.take(':'))
            return false;
        const bool ok = key == "id"        ? json.readString(out.seatId)
                        : key == "state"   ? json.readString(out.state)
                        : key == "eventId" ? json.readString(out.eventId)
                        : key == "seq"     ? json.readInteger(out.seq)
                                           : json.skipValue();
        if (!ok)
            return false;
    } while (json.take(','));
    return json.take('}') && !out.seatId.empty() && !out.state.empty();
}

// A snapshot's `{"eventId","epoch","seq","complete","viewers","seats":[…]}` (JSON) or
// `{…,"layout","states"}` (compact), or a layout's `{"eventId","layout","seats":[[id,tag]…]}`, keys
// in any order. The `seats` array ends the reading when what comes before it said enough: the
// snapshot's `complete` (a layout needs only its version).
bool SioInboundParser::readMap(JsonScanner &json, SioInbound &out)
{
    if (!json.take('{'))
        return false;
    if (json.take('}'))
        return true;
    do {
        std::string_view key;
        if (!json.readString(key) || !json.take(':'))
            return false;
        if (key == "seats" && out.kind == Kind::Snapshot)
            out.format = SioInbound::MapFormat::Json;
        const bool enough = out.kind == Kind::Layout ? !out.layout.empty() : out.complete >= 0;
        if (key == "seats" && enough)
            return true;
        if (!readMapField(json, key, out))
            return false;
    } while (json.take(','));
    return json.take('}');
}

bool SioInboundParser::readMapField(JsonScanner &json, std::string_view key, SioInbound &out)
{
    if (key == "complete") {
        bool complete = false;
        if (!json.readBool(complete))
            return false;
        out.complete = complete ? 1 : 0;
        return true;
    }
    if (key == "states")
        out.format = SioInbound::MapFormat::Compact;
    return key == "eventId"  ? json.readString(out.eventId)
           : key == "layout" ? json.readString(out.layout)
           : key == "seq"    ? json.readInteger(out.seq)
                             : json.skipValue();
}

} // namespace Reservo::Bench
