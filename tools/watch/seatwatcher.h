// SPDX-License-Identifier: MIT
#pragma once

#include "protocolclient.h"
#include "roomeventreader.h"
#include "seat.h"

#include <QHash>
#include <QMap>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace Reservo {

// A terminal watcher: joins event rooms like a browser (with the compact snapshot, and after a
// reconnect with the map it holds, so it gets only the changes it missed) and prints each seat
// change as it arrives, reconnecting with backoff whenever the connection drops.
class SeatWatcher : public QObject
{
    Q_OBJECT
public:
    SeatWatcher(const QUrl &serviceUrl, const QStringList &eventIds, int maxUpdates,
                QObject *parent = nullptr);
    void start();

signals:
    void done();

private:
    // What the watcher knows of one room.
    struct Room
    {
        QMap<QString, Seat> seats; // by seat id
        QString epoch;
        std::optional<qint64> seq;
        bool whole = false; // a complete snapshot and every change since: worth rejoining with
    };

    void connectProtocol();
    void connectReader();
    void handleDisconnected();
    void handleNamespaceConnected();
    void handleEvent(const QString &event, const QJsonArray &args);
    void handleAck(quint64 ackId, const QJsonArray &args);
    void handleSnapshot(const RoomMessages::RoomSnapshot &snapshot);
    void handleSeatUpdate(const RoomMessages::SeatUpdate &update);
    void join(const QString &eventId);
    void scheduleReconnect(const QString &why);
    void printMap(const QString &eventId) const;

    QUrl m_url;
    QStringList m_eventIds;
    int m_maxUpdates;
    int m_updates = 0;
    int m_backoffMs = 500;
    QWebSocket m_socket;
    ProtocolClient m_protocol;
    RoomEventReader m_reader;
    QTimer m_reconnectTimer;
    QHash<QString, Room> m_rooms;       // by eventId
    QHash<quint64, QString> m_joinAcks; // ack id -> eventId
};

} // namespace Reservo
