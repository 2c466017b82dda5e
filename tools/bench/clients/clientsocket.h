// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <netinet/in.h>
#include <string>
#include <sys/types.h>

namespace Reservo::Bench {

// One bench client's non-blocking TCP socket in its worker's epoll set: the connect, the bytes
// the socket has not taken yet, the events the worker waits for, and the close. Errors come back
// as text for the client's failure record.
class ClientSocket
{
public:
    ClientSocket() = default;
    ~ClientSocket() { close(); }
    ClientSocket(const ClientSocket &) = delete;
    ClientSocket &operator=(const ClientSocket &) = delete;

    // Starts connecting (SO_RCVBUF `receiveBuffer` when positive) and waits for writability under
    // `token`; empty, or what failed.
    std::string connect(const sockaddr_in &address, int receiveBuffer, int epollFd, uint32_t token);
    // The connect's outcome once the socket is writable: empty, or why it failed.
    std::string connectError() const;
    // Bytes to send; flush() writes what the socket takes and keeps the rest.
    std::string &output() { return m_out; }
    std::string flush();
    bool hasOutput() const { return !m_out.empty(); }
    // Waits for reads when `reading`, and for writes while output is left.
    void watch(bool reading);
    // recv(): the bytes read, 0 at the peer's close, or -errno.
    ssize_t receive(char *data, size_t size);
    // False when it was closed already.
    bool close();
    int descriptor() const { return m_fd; }
    static std::string errorText(const char *call, int error);

private:
    int m_fd = -1;
    int m_epollFd = -1;
    uint32_t m_token = 0;
    uint32_t m_interest = 0;
    std::string m_out;
};

} // namespace Reservo::Bench
