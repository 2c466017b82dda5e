// SPDX-License-Identifier: MIT
#include "socketpacket.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Reservo::SocketIo {

namespace {

bool fail(QString *error, const QString &text)
{
    if (error)
        *error = text;
    return false;
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// Parses any JSON value, scalars included (QJsonDocument only takes objects and arrays).
std::optional<QJsonValue> parseJsonValue(QByteArrayView text)
{
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(wrapped, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().first();
}

bool isPayloadValid(PacketType type, const QJsonValue &data)
{
    switch (type) {
    case PacketType::Connect:
        return data.isUndefined() || data.isObject();
    case PacketType::Disconnect:
        return data.isUndefined();
    case PacketType::ConnectError:
        return data.isString() || data.isObject();
    case PacketType::Event:
    case PacketType::BinaryEvent: {
        if (!data.isArray() || data.toArray().isEmpty())
            return false;
        const QJsonValue name = data.toArray().first();
        return name.isDouble() || (name.isString() && !isReservedEventName(name.toString()));
    }
    case PacketType::Ack:
    case PacketType::BinaryAck:
        return data.isArray();
    }
    return false;
}

bool isBinaryType(PacketType type)
{
    return type == PacketType::BinaryEvent || type == PacketType::BinaryAck;
}

bool parseAttachments(QByteArrayView text, qsizetype &i, Packet &p, QString *error)
{
    const qsizetype start = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    if (i == start || i >= text.size() || text[i] != '-' || i - start > 4)
        return fail(error, QStringLiteral("illegal attachments"));
    p.attachments = text.sliced(start, i - start).toInt();
    if (p.attachments > MaxAttachments)
        return fail(error, QStringLiteral("too many attachments"));
    ++i; // the '-'
    return true;
}

bool parseAckId(QByteArrayView text, qsizetype &i, Packet &p, QString *error)
{
    const qsizetype start = i;
    while (i < text.size() && isDigit(text[i]))
        ++i;
    if (i - start > 16)
        return fail(error, QStringLiteral("ack id too large"));
    bool ok = false;
    const quint64 id = text.sliced(start, i - start).toULongLong(&ok);
    if (!ok || id > MaxAckId)
        return fail(error, QStringLiteral("ack id too large"));
    p.ackId = id;
    return true;
}

} // namespace

QString Packet::eventName() const
{
    const QJsonValue first = data.toArray().first();
    return first.isString() ? first.toString() : QString::number(first.toDouble());
}

QJsonArray Packet::eventArgs() const
{
    QJsonArray args = data.toArray();
    if (!args.isEmpty())
        args.removeFirst();
    return args;
}

std::optional<Packet> decode(QByteArrayView text, QString *error)
{
    if (text.isEmpty() || !isDigit(text.front()) || text.front() > '6') {
        fail(error, QStringLiteral("unknown packet type"));
        return std::nullopt;
    }
    Packet p;
    p.type = static_cast<PacketType>(text.front() - '0');
    qsizetype i = 1;
    if (isBinaryType(p.type) && !parseAttachments(text, i, p, error))
        return std::nullopt;
    if (i < text.size() && text[i] == '/') {
        const qsizetype comma = text.indexOf(',', i);
        const qsizetype end = comma < 0 ? text.size() : comma;
        p.nsp = QString::fromUtf8(text.sliced(i, end - i));
        i = comma < 0 ? end : end + 1;
    }
    if (i < text.size() && isDigit(text[i]) && !parseAckId(text, i, p, error))
        return std::nullopt;
    if (i < text.size()) {
        const std::optional<QJsonValue> data = parseJsonValue(text.sliced(i));
        if (!data) {
            fail(error, QStringLiteral("invalid JSON payload"));
            return std::nullopt;
        }
        p.data = *data;
    }
    if (!isPayloadValid(p.type, p.data)) {
        fail(error, QStringLiteral("invalid payload for packet type %1").arg(int(p.type)));
        return std::nullopt;
    }
    if (isBinaryType(p.type)) {
        const std::optional<int> maxNum = maxPlaceholder(p.data);
        if (!maxNum || *maxNum >= p.attachments) {
            fail(error, QStringLiteral("invalid binary placeholder"));
            return std::nullopt;
        }
    }
    return p;
}

QByteArray encode(const Packet &packet)
{
    QByteArray out = QByteArray::number(int(packet.type));
    if (isBinaryType(packet.type))
        out += QByteArray::number(packet.attachments) + '-';
    if (!packet.nsp.isEmpty() && packet.nsp != QLatin1String("/"))
        out += packet.nsp.toUtf8() + ',';
    if (packet.ackId)
        out += QByteArray::number(*packet.ackId);
    if (packet.data.isObject())
        out += QJsonDocument(packet.data.toObject()).toJson(QJsonDocument::Compact);
    else if (packet.data.isArray())
        out += QJsonDocument(packet.data.toArray()).toJson(QJsonDocument::Compact);
    else if (!packet.data.isUndefined()) {
        const QByteArray wrapped =
            QJsonDocument(QJsonArray{packet.data}).toJson(QJsonDocument::Compact);
        out += wrapped.mid(1, wrapped.size() - 2);
    }
    return out;
}

QByteArray encodeEvent(const QString &nsp, const QString &event, const QJsonArray &args,
                       std::optional<quint64> ackId)
{
    QJsonArray data = args;
    data.prepend(event);
    Packet p{PacketType::Event, nsp, 0, ackId, data};
    return encode(p);
}

QByteArray encodeAck(const QString &nsp, quint64 ackId, const QJsonArray &args)
{
    return encode(Packet{PacketType::Ack, nsp, 0, ackId, args});
}

bool isReservedEventName(const QString &name)
{
    static const QStringList reserved{
        QStringLiteral("connect"),     QStringLiteral("connect_error"),
        QStringLiteral("disconnect"),  QStringLiteral("disconnecting"),
        QStringLiteral("newListener"), QStringLiteral("removeListener"),
    };
    return reserved.contains(name);
}

std::optional<int> maxPlaceholder(const QJsonValue &data)
{
    int maxNum = -1;
    if (data.isArray()) {
        for (const QJsonValue &v : data.toArray()) {
            const std::optional<int> inner = maxPlaceholder(v);
            if (!inner)
                return std::nullopt;
            maxNum = std::max(maxNum, *inner);
        }
    } else if (data.isObject()) {
        const QJsonObject o = data.toObject();
        if (o.value(QStringLiteral("_placeholder")).toBool(false)) {
            const QJsonValue num = o.value(QStringLiteral("num"));
            const double n = num.toDouble(-1);
            if (!num.isDouble() || n < 0 || n > MaxAttachments || n != double(int(n)))
                return std::nullopt;
            return int(n);
        }
        for (auto it = o.begin(); it != o.end(); ++it) {
            const std::optional<int> inner = maxPlaceholder(it.value());
            if (!inner)
                return std::nullopt;
            maxNum = std::max(maxNum, *inner);
        }
    }
    return maxNum;
}

} // namespace Reservo::SocketIo
