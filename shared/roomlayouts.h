// SPDX-License-Identifier: MIT
#pragma once

#include "roommessages.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <optional>

namespace Reservo {

// A client's side of the compact snapshot (README, protocol): the `room-layout`s it received per
// event and version, compact snapshots turned into whole seat maps against them, and what the
// next join of a room asks for. A snapshot that cannot be decoded makes the next join ask for the
// layout again; a second one in a row, for the JSON snapshot. Memory only: nothing persists.
class RoomLayouts
{
public:
    // Layouts kept per event: the newest ones (a room's layout changes only when seats appear).
    static constexpr qsizetype VersionsPerEvent = 2;

    // What a join of the room asks for: the compact snapshot and the layout held, unless the
    // room's compact snapshots could not be decoded.
    RoomMessages::JoinRequest
    joinRequest(const QString &eventId,
                const std::optional<RoomMessages::RoomPosition> &held = std::nullopt) const;
    void store(const RoomMessages::RoomLayout &layout);
    // The newest layout version held for the event; empty: none.
    QString heldVersion(const QString &eventId) const;
    // The snapshot with its seats: a JSON one as it is, a compact one decoded against the
    // layout it names. nullopt with the reason when the layout is not held or the states do not
    // fit it: the room's map is not in sync, and the client should join again.
    std::optional<RoomMessages::RoomSnapshot> resolve(const RoomMessages::RoomSnapshot &snapshot,
                                                      QString *error = nullptr);
    // Forgets every layout and fallback (a new server, for example).
    void clear();

private:
    struct Layout
    {
        QString version;
        QList<Seat> seats;
    };
    const Layout *find(const QString &eventId, const QString &version) const;
    void failed(const QString &eventId);

    QHash<QString, QList<Layout>> m_layouts; // per event, oldest first
    QHash<QString, int> m_failures;          // undecodable compact snapshots in a row
};

} // namespace Reservo
