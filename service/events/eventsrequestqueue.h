// SPDX-License-Identifier: MIT
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>
#include <deque>
#include <functional>

namespace Reservo {

// Decides which seat-map request goes to the events service next, and when: at most
// `maxInFlight` at once and `ratePerSecond` on average (a token bucket), rooms with members
// first and fairly across the clients that asked (one request per client in turn, so a client
// that joins a hundred rooms waits behind itself, not in front of everyone), rooms without
// members after them and never on the burst, rooms nobody needs any more not at all, and at
// most `maxQueued` waiting. It only schedules: ready() says "send it now".
class EventsRequestQueue : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int maxInFlight = 8;
        int ratePerSecond = 100;
        int burst = 10; // requests beyond the rate that rooms with members may borrow
        int maxQueued = 10000;
    };
    // Who needs an event's seat map, asked when a request is queued and again at its turn.
    enum class Need {
        Members, // a room with members: first, in turn by owner
        Idle,    // a room kept without members (recovery, a map to keep current): after them
        None,    // nobody: the request is abandoned
    };
    struct Standing
    {
        Need need = Need::Members;
        quintptr owner = 0; // who asked, for fairness (a member of the room, say)
    };
    using StandingOf = std::function<Standing(const QString &eventId)>;

    explicit EventsRequestQueue(const Options &options, QObject *parent = nullptr);

    // Without it every request counts as Members with one owner: first in, first out.
    void setStandingOf(StandingOf standingOf) { m_standingOf = std::move(standingOf); }
    // Queues a request for the event (once: queuing it again changes nothing); false when the
    // queue is full (counted in refused()).
    bool enqueue(const QString &eventId);
    void remove(const QString &eventId);
    // A request ready() started has its answer (or its timeout): its slot is free.
    void finish();

    int queued() const { return int(m_tickets.size()); }
    int inFlight() const { return m_inFlight; }
    quint64 refused() const { return m_refused; }
    quint64 abandoned() const { return m_abandoned; }

signals:
    // Send the request now, and call finish() once it is answered.
    void ready(const QString &eventId);
    // Nobody needed the event's seat map any more when its turn came: no request was sent.
    void requestAbandoned(const QString &eventId);

private:
    struct Entry
    {
        QString eventId;
        quint64 ticket = 0;
    };

    void handlePump();
    void schedulePump(int delayMs);
    bool refill(double needed);
    Standing standingOf(const QString &eventId) const;
    void place(const Entry &entry, const Standing &standing);
    bool takeMember(Entry &entry);
    bool takeIdle(Entry &entry);
    bool isLive(const Entry &entry) const;
    void start(const Entry &entry);
    void abandon(const Entry &entry);
    void compact();

    Options m_options;
    StandingOf m_standingOf;
    QHash<QString, quint64> m_tickets; // what is queued; lane entries with another ticket are stale
    quint64 m_nextTicket = 0;
    std::deque<Entry> m_arrivals; // placed in a lane on the next pass, once the join is done
    QHash<quintptr, std::deque<Entry>> m_byOwner;
    std::deque<quintptr> m_owners; // round robin over the owners with requests waiting
    std::deque<Entry> m_idle;
    qsizetype m_entries = 0; // in all the lanes, stale ones included
    int m_inFlight = 0;
    double m_tokens = 0;
    QElapsedTimer m_refillClock;
    QTimer m_pumpTimer;
    quint64 m_refused = 0;
    quint64 m_abandoned = 0;
};

} // namespace Reservo
