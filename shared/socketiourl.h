// SPDX-License-Identifier: MIT
#pragma once

#include <QUrl>

namespace Reservo {

// The Engine.IO WebSocket endpoint of a service URL, as socket.io-client derives it:
// http(s) or ws(s)://host[:port][/anything] -> ws(s)://host[:port]/socket.io/?EIO=4&transport=
// websocket. Empty for anything else.
QUrl socketIoUrl(const QUrl &serviceUrl);

} // namespace Reservo
