// SPDX-License-Identifier: MIT
#include "enginepacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Reservo::EngineIo {

namespace {
void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}
} // namespace

std::optional<Packet> decode(QByteArrayView frame, QString *error)
{
    if (frame.isEmpty()) {
        setError(error, QStringLiteral("empty packet"));
        return std::nullopt;
    }
    const char type = frame.front();
    if (type < '0' || type > '6') {
        setError(error, QStringLiteral("unknown packet type '%1'").arg(QChar::fromLatin1(type)));
        return std::nullopt;
    }
    return Packet{static_cast<PacketType>(type), frame.sliced(1).toByteArray()};
}

QByteArray encode(PacketType type, QByteArrayView data)
{
    QByteArray out;
    out.reserve(1 + data.size());
    out.append(static_cast<char>(type));
    out.append(data);
    return out;
}

QByteArray encodeOpen(const OpenInfo &info)
{
    const QJsonObject open{
        {QStringLiteral("sid"), info.sid},
        {QStringLiteral("upgrades"), QJsonArray::fromStringList(info.upgrades)},
        {QStringLiteral("pingInterval"), info.pingInterval},
        {QStringLiteral("pingTimeout"), info.pingTimeout},
        {QStringLiteral("maxPayload"), info.maxPayload},
    };
    return encode(PacketType::Open, QJsonDocument(open).toJson(QJsonDocument::Compact));
}

std::optional<OpenInfo> decodeOpen(QByteArrayView data, QString *error)
{
    const QJsonDocument doc = QJsonDocument::fromJson(data.toByteArray());
    const QJsonObject o = doc.object();
    if (!doc.isObject() || !o.value(QStringLiteral("sid")).isString() ||
        !o.value(QStringLiteral("pingInterval")).isDouble() ||
        !o.value(QStringLiteral("pingTimeout")).isDouble()) {
        setError(error, QStringLiteral("invalid open packet"));
        return std::nullopt;
    }
    OpenInfo info;
    info.sid = o.value(QStringLiteral("sid")).toString();
    for (const QJsonValue &u : o.value(QStringLiteral("upgrades")).toArray())
        info.upgrades.append(u.toString());
    info.pingInterval = o.value(QStringLiteral("pingInterval")).toInt();
    info.pingTimeout = o.value(QStringLiteral("pingTimeout")).toInt();
    info.maxPayload = o.value(QStringLiteral("maxPayload")).toInteger(info.maxPayload);
    return info;
}

QList<QByteArray> splitPayload(QByteArrayView payload)
{
    QList<QByteArray> packets;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= payload.size(); ++i) {
        if (i == payload.size() || payload[i] == RecordSeparator) {
            packets.append(payload.sliced(start, i - start).toByteArray());
            start = i + 1;
        }
    }
    return packets;
}

QByteArray joinPayload(const QList<QByteArray> &packets)
{
    return packets.join(RecordSeparator);
}

QByteArray handshakeErrorBody(HandshakeError error)
{
    static const char *const messages[] = {
        "Transport unknown", "Session ID unknown", "Bad handshake method",
        "Bad request",       "Forbidden",          "Unsupported protocol version",
    };
    const int code = static_cast<int>(error);
    const QJsonObject body{{QStringLiteral("code"), code},
                           {QStringLiteral("message"), QString::fromLatin1(messages[code])}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

} // namespace Reservo::EngineIo
