// SPDX-License-Identifier: MIT
#pragma once

#include <QUrl>

namespace Reservo {

// The Engine.IO WebSocket endpoint of a service URL, as socket.io-client derives it:
// http(s) or ws(s)://host[:port][/anything] -> ws(s)://host[:port]/socket.io/?EIO=4&transport=
// websocket. Empty for anything else. (tools/watch has the same idea as engineIoUrl(); one
// helper in shared/ should serve both.)
QUrl socketIoUrl(const QUrl &serviceUrl);

} // namespace Reservo
