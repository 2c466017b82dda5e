// SPDX-License-Identifier: MIT
#include "socketiourl.h"

namespace Reservo {

QUrl socketIoUrl(const QUrl &serviceUrl)
{
    QUrl url = serviceUrl;
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("wss"));
    else
        return {};
    if (url.host().isEmpty())
        return {};
    url.setPath(QStringLiteral("/socket.io/"));
    url.setQuery(QStringLiteral("EIO=4&transport=websocket"));
    url.setFragment({});
    return url;
}

} // namespace Reservo
