// SPDX-License-Identifier: MIT
#include "protocolsteps.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace Reservo::Conformance {

void addPathRows()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("engine.io") << EnginePath;
    QTest::newRow("socket.io") << SocketPath;
}

QString openPacketMismatch(const QByteArray &packet, const QStringList &upgrades)
{
    if (!packet.startsWith('0'))
        return QStringLiteral("not an open packet: %1").arg(QString::fromUtf8(packet));
    const QJsonObject open = QJsonDocument::fromJson(packet.mid(1)).object();
    QStringList keys = open.keys();
    keys.sort();
    const QStringList expectedKeys{"maxPayload", "pingInterval", "pingTimeout", "sid", "upgrades"};
    if (keys != expectedKeys)
        return QStringLiteral("fields: %1").arg(keys.join(u','));
    if (!open.value("sid").isString() || open.value("sid").toString().isEmpty())
        return QStringLiteral("sid is not a non-empty string");
    if (open.value("upgrades").toArray() != QJsonArray::fromStringList(upgrades))
        return QStringLiteral("upgrades: %1").arg(QString::fromUtf8(packet));
    if (open.value("pingInterval") != 300 || open.value("pingTimeout") != 200 ||
        open.value("maxPayload") != 1000000)
        return QStringLiteral("settings: %1").arg(QString::fromUtf8(packet));
    return {};
}

QString connectAnswerMismatch(const QByteArray &frame, const QByteArray &prefix)
{
    if (!frame.startsWith(prefix))
        return QStringLiteral("not a CONNECT answer: %1").arg(QString::fromUtf8(frame));
    const QJsonObject handshake = QJsonDocument::fromJson(frame.mid(prefix.size())).object();
    if (handshake.keys() != QStringList{QStringLiteral("sid")})
        return QStringLiteral("fields other than sid: %1").arg(QString::fromUtf8(frame));
    if (!handshake.value(QStringLiteral("sid")).isString())
        return QStringLiteral("sid is not a string: %1").arg(QString::fromUtf8(frame));
    return {};
}

QString openPollingSid(ConformanceProcess &server, const QString &path)
{
    const QString sid = server.openPollingSession(path).value("sid").toString();
    if (sid.isEmpty())
        qWarning("%s", qPrintable(server.errorString()));
    return sid;
}

QString probeUpgrade(TestWebSocket &socket, const ConformanceProcess &server, const QString &path,
                     const QString &sid)
{
    socket.open(server.webSocketUrl(path, WebSocketQuery + QStringLiteral("&sid=") + sid));
    if (!socket.waitForConnected())
        return QStringLiteral("the upgrade WebSocket did not open");
    socket.sendText("2probe");
    const QByteArray answer = socket.nextText();
    return answer == "3probe" ? QString() : QStringLiteral("probe answer: ") + answer;
}

QString expectConnected(TestWebSocket &socket, const QByteArray &prefix,
                        const QByteArray &authPacket)
{
    if (const QString mismatch = connectAnswerMismatch(socket.nextText(), prefix);
        !mismatch.isEmpty())
        return mismatch;
    const QByteArray auth = socket.nextText();
    return auth == authPacket ? QString() : QStringLiteral("auth packet: ") + auth;
}

QString connectMainNamespace(TestWebSocket &socket, const ConformanceProcess &server)
{
    socket.open(server.webSocketUrl(SocketPath, WebSocketQuery));
    if (!socket.nextText().startsWith('0'))
        return QStringLiteral("no Engine.IO open packet");
    socket.sendText("40");
    return expectConnected(socket, "40", R"(42["auth",{}])");
}

} // namespace Reservo::Conformance
