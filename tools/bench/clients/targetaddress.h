// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <netinet/in.h>
#include <optional>
#include <string>

namespace Reservo::Bench {

// A bench target given as a URL, resolved to IPv4 and checked to be on the loopback network
// (127.0.0.0/8): the bench makes enough load to hurt a real host, so it refuses anything else.
class TargetAddress
{
public:
    // `schemes`: those accepted, e.g. {"ws", "http"}; the port defaults to `defaultPort`.
    static std::optional<TargetAddress> parse(const QString &url, const QStringList &schemes,
                                              quint16 defaultPort, QString *error);
    static bool isLoopback(const sockaddr_in &address);

    sockaddr_in address{};
    std::string host; // host:port, for an HTTP Host header
    std::string path; // the URL's path, "/" when empty
    QString url;
};

} // namespace Reservo::Bench
