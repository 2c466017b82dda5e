// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

namespace Reservo::Bench {

// Every change the publisher sent, with its send time, so that a client can compute the latency
// of what it receives: the bench is one process, so the time need not travel in the message.
//
// The schedule is fixed: the n-th change of a room (n = 1, 2, ...; the server's per-room `seq`
// when the bench is the room's only source) goes to seat (n-1) % seats as that seat's k-th
// change, k = (n-1) / seats + 1, and sets the state that k names: PENDING, OCCUPIED, AVAILABLE,
// PENDING... Each change differs from the seat's previous state (seats are new to the server),
// so the server broadcasts every one of them.
//
// One thread publishes (recordSend); any thread reads. Entries are atomics and each room's count
// is released after its entry is written.
class PublishLog
{
public:
    PublishLog(int rooms, int seats, uint32_t capacityPerRoom);

    int rooms() const { return m_rooms; }
    int seats() const { return m_seats; }
    uint32_t capacity() const { return m_capacity; }

    // The publisher: room `room` is about to get change number published(room) + 1.
    bool isFull(int room) const { return published(room) >= m_capacity; }
    void recordSend(int room, int64_t sentNs);
    uint32_t published(int room) const;
    uint64_t publishedTotal() const;
    // 0 when that change has not been published (yet).
    int64_t sentAt(int room, uint32_t seq) const;

    int seatOf(uint32_t seq) const { return int((seq - 1) % uint32_t(m_seats)); }
    uint32_t kOf(uint32_t seq) const { return (seq - 1) / uint32_t(m_seats) + 1; }
    uint32_t seqOf(int seat, uint32_t k) const
    {
        return (k - 1) * uint32_t(m_seats) + uint32_t(seat) + 1;
    }
    // How many changes of `seat` are among the first `published` of its room.
    uint32_t countOf(int seat, uint32_t published) const;

    // The state name the k-th change of a seat sets, and its index k % 3 (-1: unknown name).
    static std::string_view stateName(uint32_t k);
    static int stateIndex(std::string_view name);

private:
    int m_rooms;
    int m_seats;
    uint32_t m_capacity;
    std::unique_ptr<std::atomic<int64_t>[]> m_sent;
    std::unique_ptr<std::atomic<uint32_t>[]> m_published;
};

} // namespace Reservo::Bench
