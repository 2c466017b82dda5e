// SPDX-License-Identifier: MIT
#include "targetaddress.h"

#include <QUrl>
#include <arpa/inet.h>
#include <cstring>
#include <netdb.h>

namespace Reservo::Bench {

namespace {
std::optional<sockaddr_in> resolveIpv4(const QString &host, QString *error)
{
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo *found = nullptr;
    const int rc = getaddrinfo(host.toUtf8().constData(), nullptr, &hints, &found);
    if (rc != 0 || !found) {
        if (error)
            *error = QStringLiteral("cannot resolve %1 to an IPv4 address: %2")
                         .arg(host, QString::fromUtf8(gai_strerror(rc)));
        return std::nullopt;
    }
    sockaddr_in address{};
    std::memcpy(&address, found->ai_addr, sizeof address);
    freeaddrinfo(found);
    return address;
}
} // namespace

bool TargetAddress::isLoopback(const sockaddr_in &address)
{
    return (ntohl(address.sin_addr.s_addr) >> 24) == 127;
}

std::optional<TargetAddress> TargetAddress::parse(const QString &url, const QStringList &schemes,
                                                  quint16 defaultPort, QString *error)
{
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty() || !schemes.contains(parsed.scheme())) {
        if (error)
            *error = QStringLiteral("'%1' is not a %2 URL").arg(url, schemes.join(u'/'));
        return std::nullopt;
    }
    const std::optional<sockaddr_in> resolved = resolveIpv4(parsed.host(), error);
    if (!resolved)
        return std::nullopt;
    if (!isLoopback(*resolved)) {
        if (error)
            *error = QStringLiteral("refusing %1: only loopback targets (127.0.0.0/8) are allowed")
                         .arg(parsed.host());
        return std::nullopt;
    }
    TargetAddress target;
    target.address = *resolved;
    const int port = parsed.port(defaultPort);
    target.address.sin_port = htons(quint16(port));
    target.host = QStringLiteral("%1:%2").arg(parsed.host()).arg(port).toStdString();
    target.path = parsed.path().isEmpty() ? "/" : parsed.path().toStdString();
    target.url = url;
    return target;
}

} // namespace Reservo::Bench
