// SPDX-License-Identifier: MIT
#pragma once

#include "conformanceprocess.h"
#include "testwebsocket.h"

#include <QString>
#include <QStringList>

// Steps and checks the conformance tests share, written from the protocol documents rather than
// with the codec under test. Each returns what went wrong, or an empty string.
namespace Reservo::Conformance {

inline const QString EnginePath = QStringLiteral("/engine.io/");
inline const QString SocketPath = QStringLiteral("/socket.io/");
inline const QString WebSocketQuery = QStringLiteral("EIO=4&transport=websocket");

// A `path` column with both endpoints, for what Engine.IO does the same below either of them.
void addPathRows();

// An open packet as both suites check it: exactly its five fields, the published settings.
QString openPacketMismatch(const QByteArray &packet, const QStringList &upgrades);
// A CONNECT answer: `prefix`, then a JSON object whose only field is a string `sid`.
QString connectAnswerMismatch(const QByteArray &frame, const QByteArray &prefix);

// A long-polling handshake; the new session's sid, or empty (the reason is logged).
QString openPollingSid(ConformanceProcess &server, const QString &path);
// A WebSocket for sid's polling session, probed: `2probe` answered with `3probe`.
QString probeUpgrade(TestWebSocket &socket, const ConformanceProcess &server, const QString &path,
                     const QString &sid);
// The next two messages: a CONNECT answer starting with prefix, then the `auth` echo.
QString expectConnected(TestWebSocket &socket, const QByteArray &prefix,
                        const QByteArray &authPacket);
// Opens socket on the server's /socket.io/ and connects namespace `/`.
QString connectMainNamespace(TestWebSocket &socket, const ConformanceProcess &server);

} // namespace Reservo::Conformance
