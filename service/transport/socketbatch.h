// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QString>
#include <memory>
#include <optional>
#include <span>
#include <sys/types.h>

struct io_uring;

namespace Reservo {

// Sends to (or receives from) many sockets at once, never blocking: with io_uring, one system
// call per batch of up to ringEntries sockets; otherwise one send() or recv() per socket. A
// fan-out pays mostly for its system calls (each crosses into the kernel and back, which
// page-table isolation makes dear), so a batch in one submission costs markedly less
// (docs/BENCHMARKS.md). A socket that cannot take (or has not got) everything does what it can
// and says so in its result. One thread at a time.
class SocketBatch
{
public:
    enum class Method { Syscalls, IoUring };

    struct Transfer
    {
        int fd = -1;
        // Sends read from it, receives write into it (up to size bytes).
        char *data = nullptr;
        size_t size = 0;
        // Set by send() and receive(): bytes moved (fewer than size possibly; 0 on a receive:
        // the peer closed), or -errno. -EAGAIN: none could move.
        ssize_t result = 0;
    };

    // IoUring falls back to Syscalls, with the reason in errorString(), when this build or the
    // kernel (too old, or io_uring refused by policy) cannot provide it.
    explicit SocketBatch(Method preferred, unsigned ringEntries = 1024);
    ~SocketBatch();
    SocketBatch(const SocketBatch &) = delete;
    SocketBatch &operator=(const SocketBatch &) = delete;

    Method method() const { return m_ring ? Method::IoUring : Method::Syscalls; }
    // Why io_uring is not used, when it was asked for; empty otherwise.
    QString errorString() const { return m_error; }

    void send(std::span<Transfer> transfers);
    void receive(std::span<Transfer> transfers);

    // "io_uring", or `syscallsName` for Syscalls ("send" for the service's writes).
    static std::optional<Method> parseMethod(QByteArrayView name, QByteArrayView syscallsName);

private:
    enum class Direction { Send, Receive };
    struct RingDeleter
    {
        void operator()(io_uring *ring) const;
    };

    void run(Direction direction, std::span<Transfer> transfers);
    bool setUpRing();
    bool wouldBlockFailsAtOnce();
    bool runOnRing(Direction direction, std::span<Transfer> transfers);
    static void runWithSyscalls(Direction direction, std::span<Transfer> transfers);

    std::unique_ptr<io_uring, RingDeleter> m_ring;
    unsigned m_ringEntries;
    QString m_error;
};

} // namespace Reservo
