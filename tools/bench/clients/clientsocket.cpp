// SPDX-License-Identifier: MIT
#include "clientsocket.h"

#include <cerrno>
#include <cstring>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace Reservo::Bench {

std::string ClientSocket::errorText(const char *call, int error)
{
    return std::string(call) + ": " + std::strerror(error);
}

std::string ClientSocket::connect(const sockaddr_in &address, int receiveBuffer, int epollFd,
                                  uint32_t token)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return errorText("socket", errno);
    m_epollFd = epollFd;
    m_token = token;
    const int one = 1;
    setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (receiveBuffer > 0)
        setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
    if (::connect(m_fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) < 0 &&
        errno != EINPROGRESS)
        return errorText("connect", errno);
    epoll_event event{EPOLLOUT, {}};
    event.data.u32 = m_token;
    epoll_ctl(m_epollFd, EPOLL_CTL_ADD, m_fd, &event);
    m_interest = EPOLLOUT;
    return {};
}

std::string ClientSocket::connectError() const
{
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
    return error == 0 ? std::string() : errorText("connect", error);
}

std::string ClientSocket::flush()
{
    while (!m_out.empty()) {
        const ssize_t n = ::send(m_fd, m_out.data(), m_out.size(), MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
            return errorText("send", errno);
        if (n < 0)
            break;
        m_out.erase(0, size_t(n));
    }
    return {};
}

void ClientSocket::watch(bool reading)
{
    const uint32_t wanted = (reading ? EPOLLIN : 0u) | (m_out.empty() ? 0u : EPOLLOUT);
    if (wanted == m_interest || m_fd < 0)
        return;
    epoll_event event{wanted, {}};
    event.data.u32 = m_token;
    epoll_ctl(m_epollFd, EPOLL_CTL_MOD, m_fd, &event);
    m_interest = wanted;
}

ssize_t ClientSocket::receive(char *data, size_t size)
{
    const ssize_t n = ::recv(m_fd, data, size, 0);
    return n >= 0 ? n : -errno;
}

bool ClientSocket::close()
{
    if (m_fd < 0)
        return false;
    ::close(m_fd);
    m_fd = -1;
    return true;
}

} // namespace Reservo::Bench
