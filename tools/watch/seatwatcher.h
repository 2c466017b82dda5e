// SPDX-License-Identifier: MIT
#pragma once

#include "protocolclient.h"
#include "seat.h"

#include <QMap>

#include <QObject>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace Reservo {

// A terminal watcher: joins event rooms like a browser and prints each seat change as it
// arrives, reconnecting with backoff whenever the connection drops.
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
    void handleConnected();
    void handleDisconnected();
    void handleNamespaceConnected();
    void handleEvent(const QString &nsp, const QString &event, const QJsonArray &args);
    void handleAck(const QString &nsp, quint64 ackId, const QJsonArray &args);
    void scheduleReconnect(const QString &why);
    void handleSnapshot(const QJsonObject &snapshot);
    void printMap(const QString &eventId) const;

    QUrl m_url;
    QStringList m_eventIds;
    int m_maxUpdates;
    int m_updates = 0;
    int m_backoffMs = 500;
    QWebSocket m_socket;
    ProtocolClient m_protocol;
    QTimer m_reconnectTimer;
    QHash<QString, QMap<QString, Seat>> m_maps; // eventId -> seat id -> seat
};

} // namespace Reservo
