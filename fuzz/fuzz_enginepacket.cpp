// SPDX-License-Identifier: MIT
// Engine.IO codec on client frames and long-polling payloads: decode, decodeOpen and splitPayload
// must never crash, and whatever they accept must survive encode / encodeOpen / joinPayload intact.
#include "enginepacket.h"
#include "fuzzcheck.h"

using namespace Reservo::EngineIo;
using Reservo::Fuzz::quoted;

namespace {

bool sameOpen(const OpenInfo &a, const OpenInfo &b)
{
    return a.sid == b.sid && a.upgrades == b.upgrades && a.pingInterval == b.pingInterval &&
           a.pingTimeout == b.pingTimeout && a.maxPayload == b.maxPayload;
}

void checkOpen(QByteArrayView data)
{
    const std::optional<OpenInfo> open = decodeOpen(data);
    if (!open)
        return;
    const QByteArray encoded = encodeOpen(*open);
    FUZZ_CHECK(encoded.startsWith('0'), quoted(encoded));
    QString error;
    const std::optional<OpenInfo> again = decodeOpen(QByteArrayView(encoded).sliced(1), &error);
    FUZZ_CHECK(again.has_value(), quoted(encoded) + " rejected: " + error.toUtf8());
    FUZZ_CHECK(sameOpen(*open, *again), "decodeOpen(encodeOpen(x)) != x via " + quoted(encoded));
}

void checkFrame(QByteArrayView frame)
{
    QString error;
    const std::optional<Packet> packet = decode(frame, &error);
    if (!packet) {
        FUZZ_CHECK(!error.isEmpty(), "rejected without a reason: " + quoted(frame));
        return;
    }
    const QByteArray encoded = encode(packet->type, packet->data);
    FUZZ_CHECK(encoded == frame, "encode(decode(frame)) = " + quoted(encoded));
    if (packet->type == PacketType::Open)
        checkOpen(packet->data);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Reservo::Fuzz::input(data, size);
    checkFrame(bytes);
    const QList<QByteArray> packets = splitPayload(bytes);
    FUZZ_CHECK(!packets.isEmpty(), "no packet in payload");
    FUZZ_CHECK(joinPayload(packets) == bytes, "joinPayload(splitPayload(x)) != x");
    if (packets.size() > 1) {
        for (const QByteArray &packet : packets)
            checkFrame(packet);
    }
    return 0;
}
