// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace Reservo::Test {

// Every wait in the integration tests is bounded by this many milliseconds: generous, because CI
// runs them on two shared cores.
inline constexpr int Timeout = 20000;

// A TCP port on 127.0.0.1 that the OS handed out a moment ago; 0 if none could be bound. Another
// process may still take it before we do, so callers retry when their server fails to bind.
quint16 freeLoopbackPort();

// A fresh opaque id (a UUID, as the events service uses), so tests sharing a service never share
// a room.
QString newId();

// An `update.seat.state` payload exactly as the events service publishes it, built here rather
// than with the code under test.
QByteArray seatChangePayload(const QString &eventId, const QString &seatId, const QString &state);

// "<id> <state>" for each received `update-seat-status` argument: readable in a failed QCOMPARE.
QStringList seatSummary(const QList<QJsonObject> &updates);

} // namespace Reservo::Test
