// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QJsonArray>
#include <QJsonValue>
#include <QString>
#include <optional>

namespace Reservo::SocketIo {

// Socket.IO v5 packet types, carried inside Engine.IO message packets.
enum class PacketType {
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
};

// One Socket.IO packet: `<type>[<attachments>-][<nsp>,][<ackId>][<json>]`.
struct Packet
{
    PacketType type = PacketType::Event;
    QString nsp = QStringLiteral("/");
    int attachments = 0;
    std::optional<quint64> ackId;
    QJsonValue data = QJsonValue(QJsonValue::Undefined); // Undefined: no payload

    // For EVENT / BINARY_EVENT: the event name and the arguments after it.
    QString eventName() const;
    QJsonArray eventArgs() const;
};

inline constexpr int ProtocolVersion = 5;
// JavaScript's Number.MAX_SAFE_INTEGER: larger ack ids cannot round-trip through a JS client.
inline constexpr quint64 MaxAckId = 9007199254740991ULL;
inline constexpr int MaxAttachments = 1000;

std::optional<Packet> decode(QByteArrayView text, QString *error = nullptr);
QByteArray encode(const Packet &packet);

QByteArray encodeEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                       std::optional<quint64> ackId = std::nullopt);
QByteArray encodeAck(const QString &nsp, quint64 ackId, const QJsonArray &args);

// True for event names the Socket.IO client reserves for itself (`connect`, `disconnect`, ...).
bool isReservedEventName(const QString &name);

// The highest-numbered binary placeholder in data, or -1 if there is none; nullopt if a
// placeholder is malformed (not an integer `num` >= 0).
std::optional<int> maxPlaceholder(const QJsonValue &data);

} // namespace Reservo::SocketIo
