// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace Reservo::Bench {

class JsonScanner;

// What one Engine.IO text message from a Socket.IO server means to a bench client. Views point
// into the message and live as long as it does.
struct SioInbound
{
    enum class Kind {
        Invalid,
        Open,         // Engine.IO `0{...}`
        Close,        // Engine.IO `1`
        Ping,         // Engine.IO `2`: answer `3`
        Noop,         // Engine.IO `3`, `5`, `6`
        Connected,    // Socket.IO CONNECT `40{...}`
        ConnectError, // Socket.IO CONNECT_ERROR `44{...}`
        Disconnect,   // Socket.IO DISCONNECT `41`
        Ack,          // Socket.IO ACK `43<id>[...]`
        SeatUpdate,   // `42["update-seat-status",{...},...]`
        Snapshot,     // `42["room-snapshot",...]`
        Layout,       // `42["room-layout",...]`: a compact snapshot's seat ids and tags
        Presence,     // `42["room-presence",...]`
        OtherEvent,
        Other,
    };
    // How a room-snapshot carries the seats: a `seats` array of objects, or packed `states`
    // in the order of a layout.
    enum class MapFormat { Unknown, Json, Compact };

    Kind kind = Kind::Invalid;
    uint64_t ackId = 0;
    // update-seat-status and room-snapshot: `seq` is -1 when the server sends none.
    std::string_view eventId;
    std::string_view seatId;
    std::string_view state;
    int64_t seq = -1;
    // room-snapshot: its `complete` (-1 when absent) and format; room-layout and a compact
    // room-snapshot: the layout version.
    int complete = -1;
    MapFormat format = MapFormat::Unknown;
    std::string_view layout;
};

// Classifies Engine.IO text messages and reads update-seat-status payloads, by hand: a bench
// client parses every delivery, so this must cost far less than the server's work per message.
// Of a room-snapshot or room-layout it reads the few fields a join needs and stops at the seats
// once it has them: a 5,000-seat snapshot is 400 KB.
class SioInboundParser
{
public:
    static SioInbound parse(std::string_view text);

private:
    static SioInbound parseSocketIo(std::string_view packet);
    static SioInbound parseEvent(std::string_view body);
    static bool readSeatUpdate(JsonScanner &json, SioInbound &out);
    static bool readMap(JsonScanner &json, SioInbound &out);
    static bool readMapField(JsonScanner &json, std::string_view key, SioInbound &out);
};

} // namespace Reservo::Bench
