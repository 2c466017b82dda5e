// SPDX-License-Identifier: MIT
#pragma once

#include "roommanager.h"

#include <QJsonArray>
#include <QString>
#include <optional>

namespace Reservo {

// A `join-event-room` as a client sent it: the event, and the opt-in fields of the protocol's
// extensions (snapshot format, the layout and the map it holds). Pure parsing, no state.
struct JoinMessage
{
    QString eventId;
    RoomManager::JoinRequest room;
    // Any extension field was present: the ack gets its second argument. A join without them
    // gets exactly the original's ack.
    bool extended = false;

    // nullopt with a one-line reason for the client when the payload is not a valid join.
    static std::optional<JoinMessage> parse(const QJsonArray &args, QString &error);
    // The `{"eventId"}` of a join or a leave.
    static std::optional<QString> parseEventId(const QJsonArray &args, QString &error);
};

} // namespace Reservo
