// SPDX-License-Identifier: MIT
#include "socketwriter.h"

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
// Sentinel for a write whose completion was not seen.
constexpr ssize_t Unknown = std::numeric_limits<ssize_t>::min();
} // namespace

SocketWriter::SocketWriter(Method preferred, unsigned ringEntries)
    : m_ringEntries(std::max(1u, ringEntries))
{
    if (preferred == Method::IoUring && !setUpRing())
        m_ring.reset();
}

SocketWriter::~SocketWriter() = default;

std::optional<SocketWriter::Method> SocketWriter::parseMethod(QByteArrayView name)
{
    if (name == "io_uring")
        return Method::IoUring;
    if (name == "send")
        return Method::Send;
    return std::nullopt;
}

const char *SocketWriter::methodName(Method method)
{
    return method == Method::IoUring ? "io_uring" : "send";
}

void SocketWriter::write(std::span<Write> writes)
{
    if (writes.empty())
        return;
    if (!m_ring)
        return writeWithSend(writes);
    if (writeWithRing(writes))
        return;
    // Not seen to complete: the bytes may or may not have left, so writing them again could
    // corrupt the stream. Those connections end; new batches use send().
    qCWarning(lcShards) << "io_uring failed:" << m_error << "- writing with send() from now on";
    m_ring.reset();
    for (Write &w : writes)
        if (w.result == Unknown)
            w.result = -EIO;
}

void SocketWriter::writeWithSend(std::span<Write> writes)
{
    for (Write &w : writes) {
        const ssize_t n = ::send(w.fd, w.data, w.size, SendFlags);
        w.result = n >= 0 ? n : -errno;
    }
}

#ifdef RESERVO_HAVE_IO_URING

void SocketWriter::RingDeleter::operator()(io_uring *ring) const
{
    io_uring_queue_exit(ring);
    delete ring;
}

bool SocketWriter::setUpRing()
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
    return sendsCompleteAtOnce();
}

// A send that would block must fail at once (MSG_DONTWAIT), not wait in the kernel for room:
// the batch waits for every completion, so a waiting send would stall the whole thread. Linux
// does this since io_uring has sends; checked once here on a full socket pair all the same.
bool SocketWriter::sendsCompleteAtOnce()
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0) {
        m_error = QStringLiteral("socketpair: %1").arg(QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    const char filler[4096] = {};
    while (::send(pair[0], filler, sizeof filler, SendFlags) > 0) {
    }
    io_uring_sqe *sqe = io_uring_get_sqe(m_ring.get());
    io_uring_prep_send(sqe, pair[0], filler, 1, SendFlags);
    io_uring_submit(m_ring.get());
    io_uring_cqe *cqe = nullptr;
    __kernel_timespec wait{1, 0};
    const int rc = io_uring_wait_cqe_timeout(m_ring.get(), &cqe, &wait);
    const int result = rc == 0 ? cqe->res : rc;
    if (rc == 0)
        io_uring_cqe_seen(m_ring.get(), cqe);
    ::close(pair[1]); // a send still waiting fails now
    ::close(pair[0]);
    if (rc != 0) {
        io_uring_wait_cqe(m_ring.get(), &cqe);
        io_uring_cqe_seen(m_ring.get(), cqe);
        m_error = QStringLiteral("a send on a full socket waited in io_uring instead of failing");
        return false;
    }
    if (result != -EAGAIN && result != -EWOULDBLOCK) {
        m_error = QStringLiteral("a send on a full socket gave %1, not EAGAIN").arg(result);
        return false;
    }
    return true;
}

bool SocketWriter::writeWithRing(std::span<Write> writes)
{
    io_uring *ring = m_ring.get();
    for (Write &w : writes)
        w.result = Unknown;
    for (size_t start = 0; start < writes.size(); start += m_ringEntries) {
        const size_t count = std::min<size_t>(m_ringEntries, writes.size() - start);
        for (size_t i = start; i < start + count; ++i) {
            const Write &w = writes[i];
            io_uring_sqe *sqe = io_uring_get_sqe(ring);
            io_uring_prep_send(sqe, w.fd, w.data, w.size, SendFlags);
            io_uring_sqe_set_data64(sqe, i);
        }
        size_t reaped = 0;
        int idle = 0; // passes without a completion
        while (reaped < count) {
            const int rc = io_uring_submit_and_wait(ring, 1);
            if (rc < 0 && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
                m_error =
                    QStringLiteral("io_uring_enter: %1").arg(QString::fromLocal8Bit(strerror(-rc)));
                writeWithSend(writes.subspan(start + count)); // not handed to the kernel yet
                return false;
            }
            unsigned head;
            unsigned seen = 0;
            io_uring_cqe *cqe;
            io_uring_for_each_cqe(ring, head, cqe)
            {
                writes[cqe->user_data].result = cqe->res;
                ++seen;
            }
            io_uring_cq_advance(ring, seen);
            reaped += seen;
            idle = seen ? 0 : idle + 1;
            if (idle > 1000) {
                m_error = QStringLiteral("no completions");
                writeWithSend(writes.subspan(start + count));
                return false;
            }
        }
    }
    return true;
}

#else

void SocketWriter::RingDeleter::operator()(io_uring *) const {}

bool SocketWriter::setUpRing()
{
    m_error = QStringLiteral("built without liburing");
    return false;
}

bool SocketWriter::sendsCompleteAtOnce()
{
    return false;
}

bool SocketWriter::writeWithRing(std::span<Write>)
{
    return false;
}

#endif

} // namespace Reservo
