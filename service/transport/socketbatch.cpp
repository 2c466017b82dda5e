// SPDX-License-Identifier: MIT
#include "socketbatch.h"

#include <QLoggingCategory>
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <sys/socket.h>
#include <unistd.h>

#ifdef RESERVO_HAVE_IO_URING
#include <liburing.h>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcShards)

namespace Reservo {

namespace {
constexpr int SendFlags = MSG_NOSIGNAL | MSG_DONTWAIT;
// Sentinel for a transfer whose completion was not seen.
constexpr ssize_t Unknown = std::numeric_limits<ssize_t>::min();
} // namespace

SocketBatch::SocketBatch(Method preferred, unsigned ringEntries)
    : m_ringEntries(std::max(1u, ringEntries))
{
    if (preferred == Method::IoUring && !setUpRing())
        m_ring.reset();
}

SocketBatch::~SocketBatch() = default;

std::optional<SocketBatch::Method> SocketBatch::parseMethod(QByteArrayView name,
                                                            QByteArrayView syscallsName)
{
    if (name == "io_uring")
        return Method::IoUring;
    if (name == syscallsName)
        return Method::Syscalls;
    return std::nullopt;
}

void SocketBatch::send(std::span<Transfer> transfers)
{
    run(Direction::Send, transfers);
}

void SocketBatch::receive(std::span<Transfer> transfers)
{
    run(Direction::Receive, transfers);
}

void SocketBatch::run(Direction direction, std::span<Transfer> transfers)
{
    if (transfers.empty())
        return;
    if (!m_ring)
        return runWithSyscalls(direction, transfers);
    if (runOnRing(direction, transfers))
        return;
    // Not seen to complete: the bytes may or may not have moved, so moving them again could
    // corrupt the stream. Those connections end; later batches use plain system calls.
    qCWarning(lcShards) << "io_uring failed:" << m_error
                        << "- using plain system calls from now on";
    m_ring.reset();
    for (Transfer &t : transfers)
        if (t.result == Unknown)
            t.result = -EIO;
}

void SocketBatch::runWithSyscalls(Direction direction, std::span<Transfer> transfers)
{
    for (Transfer &t : transfers) {
        const ssize_t n = direction == Direction::Send ? ::send(t.fd, t.data, t.size, SendFlags)
                                                       : ::recv(t.fd, t.data, t.size, MSG_DONTWAIT);
        t.result = n >= 0 ? n : -errno;
    }
}

#ifdef RESERVO_HAVE_IO_URING

void SocketBatch::RingDeleter::operator()(io_uring *ring) const
{
    io_uring_queue_exit(ring);
    delete ring;
}

bool SocketBatch::setUpRing()
{
    auto ring = std::make_unique<io_uring>();
    // SUBMIT_ALL: one bad descriptor must not stop the rest of a batch (Linux 5.18);
    // COOP_TASKRUN: no interrupt to run completion work (5.19). Older kernels get neither.
    int rc = io_uring_queue_init(m_ringEntries, ring.get(),
                                 IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN);
    if (rc == -EINVAL)
        rc = io_uring_queue_init(m_ringEntries, ring.get(), 0);
    if (rc < 0) {
        m_error =
            QStringLiteral("io_uring_queue_init: %1").arg(QString::fromLocal8Bit(strerror(-rc)));
        return false;
    }
    m_ring.reset(ring.release());
    return wouldBlockFailsAtOnce();
}

// A transfer that would block must fail at once (MSG_DONTWAIT), not wait in the kernel: the
// batch waits for every completion, so a waiting one would stall the whole thread. Linux does
// this since io_uring has sends and receives; checked once here on a socket pair all the same:
// a send to one that is full, a receive from one that is empty.
bool SocketBatch::wouldBlockFailsAtOnce()
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        m_error = QStringLiteral("socketpair: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    char filler[4096] = {};
    while (::send(pair[0], filler, sizeof filler, SendFlags) > 0) {
    }
    io_uring_prep_send(io_uring_get_sqe(m_ring.get()), pair[0], filler, 1, SendFlags);
    char sink[1];
    io_uring_prep_recv(io_uring_get_sqe(m_ring.get()), pair[0], sink, 1, MSG_DONTWAIT);
    io_uring_submit(m_ring.get());
    int results[2] = {0, 0};
    int seen = 0;
    for (; seen < 2; ++seen) {
        io_uring_cqe *cqe = nullptr;
        __kernel_timespec wait{1, 0};
        if (io_uring_wait_cqe_timeout(m_ring.get(), &cqe, &wait) != 0)
            break;
        results[seen] = cqe->res;
        io_uring_cqe_seen(m_ring.get(), cqe);
    }
    ::close(pair[1]); // whatever still waits fails now
    ::close(pair[0]);
    for (int left = seen; left < 2; ++left) {
        io_uring_cqe *cqe = nullptr;
        io_uring_wait_cqe(m_ring.get(), &cqe);
        io_uring_cqe_seen(m_ring.get(), cqe);
    }
    if (seen < 2) {
        m_error = QStringLiteral("a transfer that would block waited in io_uring");
        return false;
    }
    for (int result : results)
        if (result != -EAGAIN && result != -EWOULDBLOCK) {
            m_error = QStringLiteral("a transfer that would block gave %1, not EAGAIN").arg(result);
            return false;
        }
    return true;
}

bool SocketBatch::runOnRing(Direction direction, std::span<Transfer> transfers)
{
    io_uring *ring = m_ring.get();
    for (Transfer &t : transfers)
        t.result = Unknown;
    for (size_t start = 0; start < transfers.size(); start += m_ringEntries) {
        const size_t count = std::min<size_t>(m_ringEntries, transfers.size() - start);
        for (size_t i = start; i < start + count; ++i) {
            const Transfer &t = transfers[i];
            io_uring_sqe *sqe = io_uring_get_sqe(ring);
            if (direction == Direction::Send)
                io_uring_prep_send(sqe, t.fd, t.data, t.size, SendFlags);
            else
                io_uring_prep_recv(sqe, t.fd, t.data, t.size, MSG_DONTWAIT);
            io_uring_sqe_set_data64(sqe, i);
        }
        size_t reaped = 0;
        int idle = 0; // passes without a completion
        while (reaped < count) {
            const int rc = io_uring_submit_and_wait(ring, 1);
            if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
                m_error =
                    QStringLiteral("io_uring_enter: %1").arg(QString::fromLocal8Bit(strerror(-rc)));
                // Not handed to the kernel yet:
                runWithSyscalls(direction, transfers.subspan(start + count));
                return false;
            }
            unsigned head;
            unsigned seen = 0;
            io_uring_cqe *cqe;
            io_uring_for_each_cqe(ring, head, cqe)
            {
                transfers[cqe->user_data].result = cqe->res;
                ++seen;
            }
            io_uring_cq_advance(ring, seen);
            reaped += seen;
            idle = seen ? 0 : idle + 1;
            if (idle > 1000) {
                m_error = QStringLiteral("no completions");
                runWithSyscalls(direction, transfers.subspan(start + count));
                return false;
            }
        }
    }
    return true;
}

#else

void SocketBatch::RingDeleter::operator()(io_uring *) const {}

bool SocketBatch::setUpRing()
{
    m_error = QStringLiteral("built without liburing");
    return false;
}

bool SocketBatch::wouldBlockFailsAtOnce()
{
    return false;
}

bool SocketBatch::runOnRing(Direction, std::span<Transfer>)
{
    return false;
}

#endif

} // namespace Reservo
