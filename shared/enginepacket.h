// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo::EngineIo {

// Engine.IO v4 packet types, sent as the first character of a text frame.
enum class PacketType : char {
    Open = '0',
    Close = '1',
    Ping = '2',
    Pong = '3',
    Message = '4',
    Upgrade = '5',
    Noop = '6',
};

// One decoded Engine.IO packet from a text frame: its type and the bytes after the type.
struct Packet
{
    PacketType type = PacketType::Noop;
    QByteArray data;
};

// The handshake values announced in the open packet.
struct OpenInfo
{
    QString sid;
    QStringList upgrades;
    int pingInterval = 25000;
    int pingTimeout = 20000;
    qint64 maxPayload = 1000000;
};

inline constexpr int ProtocolVersion = 4;
// Separates packets in an HTTP long-polling payload.
inline constexpr char RecordSeparator = '\x1e';

std::optional<Packet> decode(QByteArrayView frame, QString *error = nullptr);
QByteArray encode(PacketType type, QByteArrayView data = {});
QByteArray encodeOpen(const OpenInfo &info);
std::optional<OpenInfo> decodeOpen(QByteArrayView data, QString *error = nullptr);
QList<QByteArray> splitPayload(QByteArrayView payload);
QByteArray joinPayload(const QList<QByteArray> &packets);

// Engine.IO's HTTP error codes and messages, as the reference server sends them.
enum class HandshakeError {
    UnknownTransport = 0,
    UnknownSid = 1,
    BadHandshakeMethod = 2,
    BadRequest = 3,
    Forbidden = 4,
    UnsupportedProtocolVersion = 5,
};
QByteArray handshakeErrorBody(HandshakeError error);

} // namespace Reservo::EngineIo
