// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>
#include <deque>
#include <optional>

namespace Reservo {

// The frames a slow client has not taken yet, in order, where a frame with a supersede key
// drops the queued one with the same key and goes to the back: a client that cannot keep up gets
// the latest state of each seat instead of every intermediate one, in the order of the changes
// (a room's seq only rises), and the queue stays bounded by the seats it watches rather than by
// the rate of changes. A frame without a key is a barrier: later frames never replace one queued
// before it.
class Outbox
{
public:
    bool isEmpty() const { return m_live == 0; }
    qsizetype bytes() const { return m_bytes; }
    qsizetype size() const { return m_live; }
    quint64 superseded() const { return m_superseded; }

    void push(const QByteArray &frame, const QString &key);
    QByteArray pop();

private:
    struct Entry
    {
        QByteArray frame;
        QString key;
        bool dropped = false; // superseded by a later entry with the same key
    };

    std::deque<Entry> m_queue;
    QHash<QString, quint64> m_positions; // key -> sequence number of its queued entry
    quint64 m_popped = 0;                // sequence number of m_queue.front()
    qsizetype m_bytes = 0;
    qsizetype m_live = 0; // entries not dropped
    quint64 m_superseded = 0;
};

} // namespace Reservo
