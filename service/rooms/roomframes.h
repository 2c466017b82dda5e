// SPDX-License-Identifier: MIT
#pragma once

#include "roomstate.h"

#include <QByteArray>
#include <QJsonArray>
#include <QString>

// The Engine.IO text frames rooms send (`42["<event>",…]`), encoded once and shared by every
// member they go to. Snapshots and layouts are written by hand: they are large, and QJson would
// build a document of every seat before writing it.
namespace Reservo::RoomFrames {

QByteArray event(const QString &event, const QJsonArray &args);

// `update-seat-status`: the original's `{"id","state"}` plus the additive `eventId`, `tag`
// (when known) and `seq`, then the recovery offset.
QByteArray seatUpdate(const QString &eventId, const AppliedChange &change, quint64 offset);
// `room-presence`: `{"eventId","viewers"}`, then the recovery offset.
QByteArray presence(const QString &eventId, int viewers, quint64 offset);

// A frame whose last argument is still to come: `42["room-snapshot",{…}`.
QByteArray withOffset(const QByteArray &open, quint64 offset);

// Appends `text` as a JSON string literal (quotes included).
void appendJsonString(QByteArray &out, QStringView text);

} // namespace Reservo::RoomFrames
