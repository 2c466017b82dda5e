// SPDX-License-Identifier: MIT
// Socket.IO packet codec on what clients send: a decoded packet must encode to text that decodes
// to the same packet, and encoding must be stable. Takes bare Socket.IO text or a whole Engine.IO
// message frame (`42[...]`), as the service sees it.
#include "fuzzcheck.h"
#include "socketpacket.h"

#include <QJsonDocument>

using namespace Reservo::SocketIo;
using Reservo::Fuzz::quoted;

namespace {

bool samePacket(const Packet &a, const Packet &b)
{
    return a.type == b.type && a.nsp == b.nsp && a.attachments == b.attachments &&
           a.ackId == b.ackId && a.data == b.data;
}

QByteArray describe(const Packet &p)
{
    const QByteArray data = p.data.isUndefined()
                                ? QByteArray("undefined")
                                : QJsonDocument(QJsonArray{p.data}).toJson(QJsonDocument::Compact);
    return "type " + QByteArray::number(int(p.type)) + " nsp " + quoted(p.nsp.toUtf8()) +
           " attachments " + QByteArray::number(p.attachments) + " ack " +
           (p.ackId ? QByteArray::number(*p.ackId) : QByteArray("none")) + " data " + data;
}

void checkEventHelpers(const Packet &p)
{
    if (p.type != PacketType::Event)
        return;
    const QJsonArray args = p.eventArgs();
    FUZZ_CHECK(args.size() == p.data.toArray().size() - 1, describe(p));
    if (!p.data.toArray().first().isString())
        return;
    const QByteArray text = encodeEvent(p.nsp, p.eventName(), args, p.ackId);
    const std::optional<Packet> again = decode(text);
    FUZZ_CHECK(again && samePacket(p, *again), "encodeEvent gave " + quoted(text));
}

void checkPacket(QByteArrayView text)
{
    QString error;
    const std::optional<Packet> packet = decode(text, &error);
    if (!packet) {
        FUZZ_CHECK(!error.isEmpty(), "rejected without a reason");
        return;
    }
    const std::optional<int> maxNum = maxPlaceholder(packet->data);
    FUZZ_CHECK(maxNum || packet->type != PacketType::BinaryEvent, describe(*packet));
    checkEventHelpers(*packet);
    const QByteArray encoded = encode(*packet);
    const std::optional<Packet> again = decode(encoded, &error);
    FUZZ_CHECK(again.has_value(), "decode(encode(p)) failed: " + error.toUtf8() + "; p = " +
                                      describe(*packet) + "; encode(p) = " + quoted(encoded));
    FUZZ_CHECK(samePacket(*packet, *again), "decode(encode(p)) != p; p = " + describe(*packet) +
                                                "; got " + describe(*again) +
                                                "; encode(p) = " + quoted(encoded));
    FUZZ_CHECK(encode(*again) == encoded, "encoding not stable: " + quoted(encoded));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Reservo::Fuzz::input(data, size);
    checkPacket(bytes);
    if (bytes.startsWith('4'))
        checkPacket(bytes.sliced(1));
    return 0;
}
