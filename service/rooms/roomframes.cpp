// SPDX-License-Identifier: MIT
#include "roomframes.h"

#include "enginepacket.h"
#include "socketpacket.h"

#include <QJsonObject>

namespace Reservo::RoomFrames {

QByteArray event(const QString &event, const QJsonArray &args)
{
    return EngineIo::encode(EngineIo::PacketType::Message,
                            SocketIo::encodeEvent(QStringLiteral("/"), event, args));
}

QByteArray seatUpdate(const QString &eventId, const AppliedChange &c, quint64 offset)
{
    QJsonObject payload{{QStringLiteral("id"), c.seatId},
                        {QStringLiteral("state"), QString(seatStateName(c.state))},
                        {QStringLiteral("eventId"), eventId},
                        {QStringLiteral("seq"), double(c.seq)}};
    if (!c.tag.isEmpty())
        payload.insert(QStringLiteral("tag"), c.tag);
    // The offset as a last string argument is Socket.IO's connection-state-recovery mark.
    return event(QStringLiteral("update-seat-status"), {payload, QString::number(offset)});
}

QByteArray presence(const QString &eventId, int viewers, quint64 offset)
{
    const QJsonObject payload{{QStringLiteral("eventId"), eventId},
                              {QStringLiteral("viewers"), viewers}};
    return event(QStringLiteral("room-presence"), {payload, QString::number(offset)});
}

QByteArray withOffset(const QByteArray &open, quint64 offset)
{
    QByteArray frame;
    frame.reserve(open.size() + 24);
    frame.append(open).append(",\"").append(QByteArray::number(offset)).append("\"]");
    return frame;
}

void appendJsonString(QByteArray &out, QStringView text)
{
    static constexpr char Hex[] = "0123456789abcdef";
    const QByteArray utf8 = text.toUtf8();
    out.append('"');
    qsizetype plain = 0; // start of the run of bytes that need no escape
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const uchar c = uchar(utf8[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(utf8.constData() + plain, i - plain);
        plain = i + 1;
        if (c == '"' || c == '\\') {
            out.append('\\').append(char(c));
        } else {
            const char escape[] = {'\\', 'u', '0', '0', Hex[c >> 4], Hex[c & 15]};
            out.append(escape, sizeof escape);
        }
    }
    out.append(utf8.constData() + plain, utf8.size() - plain);
    out.append('"');
}

} // namespace Reservo::RoomFrames
