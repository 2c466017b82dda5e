// SPDX-License-Identifier: MIT
#pragma once

#include "roommember.h"

#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QObject>
#include <QStringList>
#include <QTimer>
#include <optional>

namespace Reservo {

class RoomManager;

// Sessions of recently disconnected clients (Socket.IO connection state recovery), kept for
// `maxDisconnectionDuration` with their rooms held open, so a quick reconnect gets them back.
class RecoveryStore : public QObject
{
    Q_OBJECT
public:
    struct Session
    {
        QString sid;
        Memberships rooms;
    };

    struct Limits
    {
        int maxDisconnectionMs = 120000; // 0: recovery disabled
        int maxSessions = 100000;        // beyond this, the oldest session is dropped
    };

    RecoveryStore(RoomManager *rooms, const Limits &limits, QObject *parent = nullptr);

    bool isEnabled() const { return m_maxDisconnectionMs > 0; }
    void store(const QString &pid, const Session &session);
    // Removes and returns the session if it is still within the window.
    std::optional<Session> take(const QString &pid);

    int size() const { return int(m_sessions.size()); }
    quint64 recovered() const { return m_recovered; }
    quint64 refused() const { return m_refused; }
    void countRecovery(bool ok) { ++(ok ? m_recovered : m_refused); }

private:
    struct Stored
    {
        Session session;
        QElapsedTimer age;
    };

    void expire();
    void drop(const QString &pid);

    RoomManager *m_rooms;
    int m_maxDisconnectionMs;
    int m_maxSessions;
    QHash<QString, Stored> m_sessions;
    QList<QString> m_order; // oldest first
    QTimer m_expiryTimer;
    quint64 m_recovered = 0;
    quint64 m_refused = 0;
};

} // namespace Reservo
