// SPDX-License-Identifier: MIT
#include "roomlayouts.h"

#include "compactseats.h"

namespace Reservo {

using RoomMessages::RoomSnapshot;

RoomMessages::JoinRequest
RoomLayouts::joinRequest(const QString &eventId,
                         const std::optional<RoomMessages::RoomPosition> &held) const
{
    const int failures = m_failures.value(eventId);
    // After one failure the layout is forgotten (the server sends it again); after two, the
    // compact snapshot itself is not to be trusted from this server: JSON, as older clients.
    return {eventId, failures < 2, heldVersion(eventId), held};
}

void RoomLayouts::store(const RoomMessages::RoomLayout &layout)
{
    QList<Layout> &held = m_layouts[layout.eventId];
    held.removeIf([&](const Layout &l) { return l.version == layout.version; });
    held.append({layout.version, layout.seats});
    while (held.size() > VersionsPerEvent)
        held.removeFirst();
}

QString RoomLayouts::heldVersion(const QString &eventId) const
{
    const auto it = m_layouts.constFind(eventId);
    return it == m_layouts.cend() || it->isEmpty() ? QString() : it->constLast().version;
}

const RoomLayouts::Layout *RoomLayouts::find(const QString &eventId, const QString &version) const
{
    const auto it = m_layouts.constFind(eventId);
    if (it == m_layouts.cend())
        return nullptr;
    for (const Layout &layout : *it) {
        if (layout.version == version)
            return &layout;
    }
    return nullptr;
}

std::optional<RoomSnapshot> RoomLayouts::resolve(const RoomSnapshot &snapshot, QString *error)
{
    if (!snapshot.isCompact())
        return snapshot;
    const auto reject = [&](const QString &why) -> std::optional<RoomSnapshot> {
        failed(snapshot.eventId);
        if (error)
            *error = why;
        return std::nullopt;
    };
    const Layout *layout = find(snapshot.eventId, snapshot.layout);
    if (!layout)
        return reject(QStringLiteral("compact snapshot of %1 for layout %2, which this client "
                                     "does not hold")
                          .arg(snapshot.eventId, snapshot.layout));
    const auto states = CompactSeats::unpackStates(snapshot.states, layout->seats.size());
    if (!states)
        return reject(QStringLiteral("compact snapshot of %1: %2 packed characters do not "
                                     "decode to the %3 seats of layout %4")
                          .arg(snapshot.eventId)
                          .arg(snapshot.states.size())
                          .arg(layout->seats.size())
                          .arg(snapshot.layout));
    m_failures.remove(snapshot.eventId);
    RoomSnapshot full = snapshot;
    full.seats = layout->seats;
    for (qsizetype i = 0; i < full.seats.size(); ++i)
        full.seats[i].state = states->at(i);
    return full;
}

void RoomLayouts::failed(const QString &eventId)
{
    ++m_failures[eventId];
    m_layouts.remove(eventId);
}

void RoomLayouts::clear()
{
    m_layouts.clear();
    m_failures.clear();
}

} // namespace Reservo
