// SPDX-License-Identifier: MIT
#pragma once

#include <QHash>
#include <QString>
#include <deque>

namespace Reservo {

// Event ids the events service answered NOT_FOUND, each remembered for a lifetime and at most
// `capacity` of them (the oldest forgotten first), so that joins for them are refused without
// asking the events service again. Times are milliseconds of one monotonic clock, passed in.
class UnknownEventCache
{
public:
    struct Options
    {
        int capacity = 10000;
        int ttlMs = 60000;
    };

    explicit UnknownEventCache(const Options &options) : m_options(options) {}

    // Remembers the id until nowMs + ttlMs (again from now if it was known already).
    void insert(const QString &eventId, qint64 nowMs);
    // Whether the id is remembered and not expired at nowMs.
    bool contains(const QString &eventId, qint64 nowMs) const;
    // Forgets what expired by nowMs.
    void expire(qint64 nowMs);
    int size() const { return int(m_expiry.size()); }
    bool isEmpty() const { return m_expiry.isEmpty(); }

private:
    struct Entry
    {
        QString eventId;
        qint64 expiresMs = 0;
    };

    void dropOldest();
    void compact();

    Options m_options;
    QHash<QString, qint64> m_expiry;
    // Insertion order, oldest first: the lifetime is the same for all, so also expiry order. An
    // entry whose time no longer matches m_expiry was renewed or dropped, and is skipped.
    std::deque<Entry> m_order;
};

} // namespace Reservo
