// SPDX-License-Identifier: MIT
#pragma once

#include "seat.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QStringList>
#include <QUrl>
#include <QWebSocketServer>

class QWebSocket;

namespace Reservo {
class ServerSession;
}

namespace Reservo::Test {

// A stand-in for reservo-ws in the test process (the shared ServerSession behind a
// QWebSocketServer), with switches for what newer servers add, so the monitor's behaviour
// against older and newer servers is tested without starting one. Each room has seats, a seq,
// an epoch and every change kept: an opt-in join gets the compact snapshot (with room-layout when
// the client lacks it) or, naming the room's epoch, the changes since its seq.
class FakeRoomServer : public QObject
{
public:
    bool sendSnapshots = true;  // false: the original, no room-snapshot at all
    bool speaksCompact = true;  // false: an older reservo-ws, deaf to the join's opt-in fields
    bool resumeJoins = true;    // false: a snapshot even when the join names the room's epoch
    int corruptSnapshots = 0;   // the next N compact snapshots carry states that do not decode
    bool deliverChanges = true; // false: changeSeat() keeps the change but sends it to no one
    bool answerList = true;
    bool refuseConnect = false;
    QStringList joins;
    QList<QJsonObject> joinPayloads;
    QStringList leaves;
    int layoutsSent = 0;
    int compactSnapshots = 0;
    int jsonSnapshots = 0;
    int resumes = 0;

    FakeRoomServer();
    ~FakeRoomServer() override;

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    QUrl url() const;
    void dropAll();
    void broadcast(const QString &event, const QJsonObject &payload);

    // The room's seats (its seq stays; new rooms start at seq 3 with none).
    void setSeats(const QString &eventId, const QList<Seat> &seats);
    // A change of one seat: seq + 1, kept, and sent to every connection (if any).
    void changeSeat(const QString &eventId, int index, SeatState state);
    // A new room lifetime (as after a restart): another epoch, the changes so far forgotten.
    void renewEpoch(const QString &eventId);
    QString epoch(const QString &eventId) { return room(eventId).epoch; }
    qint64 seq(const QString &eventId) { return room(eventId).seq; }

private:
    struct Room
    {
        QString epoch;
        qint64 seq = 3;
        qint64 keptFrom = 3; // changes after this seq are kept
        QList<Seat> seats;
        QList<QJsonObject> changes; // update-seat-status payloads, seq keptFrom+1 onwards
    };

    Room &room(const QString &eventId);
    void handleConnection();
    void handleEvent(ServerSession *session, const QString &event, const QJsonArray &args,
                     qint64 ackId);
    void handleJoin(ServerSession *session, const QJsonObject &payload, qint64 ackId);
    bool canResume(const Room &room, const QJsonObject &payload) const;
    void sendSnapshot(ServerSession *session, const QString &eventId, const QJsonObject &payload);
    void sendCompactSnapshot(ServerSession *session, const QString &eventId, Room &room,
                             const QString &layoutHeld);

    QWebSocketServer m_server{QStringLiteral("fake"), QWebSocketServer::NonSecureMode};
    QList<QWebSocket *> m_sockets;
    QList<ServerSession *> m_sessions;
    QHash<QString, Room> m_rooms;
    int m_epochs = 0;
};

} // namespace Reservo::Test
