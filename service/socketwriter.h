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

// Writes the bytes of many sockets at once, never blocking: with io_uring, one system call per
// batch of up to ringEntries sockets; otherwise one send() per socket. A fan-out pays mostly for
// its system calls (each crosses into the kernel and back, which page-table isolation makes dear),
// so a batch of sends in one submission costs markedly less (docs/BENCHMARKS.md). A socket that
// cannot take everything takes what it can; the caller keeps the rest. One thread at a time.
class SocketWriter
{
public:
    enum class Method { Send, IoUring };

    struct Write
    {
        int fd = -1;
        const char *data = nullptr;
        size_t size = 0;
        // Set by write(): bytes taken (possibly fewer than size), or -errno. -EAGAIN: none taken.
        ssize_t result = 0;
    };

    // IoUring falls back to Send, with the reason in errorString(), when this build or the kernel
    // (too old, or io_uring refused by policy) cannot provide it.
    explicit SocketWriter(Method preferred, unsigned ringEntries = 1024);
    ~SocketWriter();
    SocketWriter(const SocketWriter &) = delete;
    SocketWriter &operator=(const SocketWriter &) = delete;

    Method method() const { return m_ring ? Method::IoUring : Method::Send; }
    // Why io_uring is not used, when it was asked for; empty otherwise.
    QString errorString() const { return m_error; }

    void write(std::span<Write> writes);

    static std::optional<Method> parseMethod(QByteArrayView name);
    static const char *methodName(Method method);

private:
    struct RingDeleter
    {
        void operator()(io_uring *ring) const;
    };

    bool setUpRing();
    bool sendsCompleteAtOnce();
    bool writeWithRing(std::span<Write> writes);
    void writeWithSend(std::span<Write> writes);

    std::unique_ptr<io_uring, RingDeleter> m_ring;
    unsigned m_ringEntries;
    QString m_error;
};

} // namespace Reservo
