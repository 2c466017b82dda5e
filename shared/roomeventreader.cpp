// SPDX-License-Identifier: MIT
#include "roomeventreader.h"

namespace Reservo {

bool RoomEventReader::read(const QString &event, const QJsonArray &args, QString *error)
{
    using namespace RoomMessages;
    const QJsonValue payload = args.first();
    if (event == QLatin1String(SeatUpdateEvent)) {
        const auto update = parseSeatUpdate(payload, error);
        if (update)
            emit seatUpdated(*update);
        return update.has_value();
    }
    if (event == QLatin1String(SnapshotEvent)) {
        const auto snapshot = parseSnapshot(payload, error);
        if (snapshot)
            handleSnapshot(*snapshot);
        return snapshot.has_value();
    }
    if (event == QLatin1String(LayoutEvent)) {
        const auto layout = parseLayout(payload, error);
        if (layout)
            m_layouts.store(*layout);
        return layout.has_value();
    }
    if (event == QLatin1String(PresenceEvent)) {
        const auto presence = parsePresence(payload, error);
        if (presence)
            emit presenceChanged(presence->eventId, presence->viewers);
        return presence.has_value();
    }
    return true;
}

void RoomEventReader::handleSnapshot(const RoomMessages::RoomSnapshot &snapshot)
{
    QString error;
    if (const auto resolved = m_layouts.resolve(snapshot, &error))
        emit snapshotReceived(*resolved);
    else
        emit snapshotUndecodable(snapshot.eventId, error);
}

} // namespace Reservo
