// SPDX-License-Identifier: MIT
// One server-side Engine.IO/Socket.IO session fed a client's sequence of frames, answering as the
// service does (CONNECT accepted on "/", refused elsewhere; events acked with their arguments).
// Every frame the session sends must decode on the client's side, nothing may be sent after the
// session closed, and it closes at most once. Input: frames separated by '\n'; a frame starting
// with "b:" is a binary frame of the bytes after the prefix.
#include "enginepacket.h"
#include "fuzzcheck.h"
#include "serversession.h"

#include <QCoreApplication>

using namespace Reservo;
using Reservo::Fuzz::quoted;

namespace {

// What the client side sees; checks each frame as socket.io-client would parse it.
struct ClientView
{
    int closedCount = 0;
    int frames = 0;

    void receive(const QByteArray &frame)
    {
        FUZZ_CHECK(closedCount == 0, "frame after close: " + quoted(frame));
        const std::optional<EngineIo::Packet> packet = EngineIo::decode(frame);
        FUZZ_CHECK(packet.has_value(), "undecodable frame " + quoted(frame));
        if (frames++ == 0)
            FUZZ_CHECK(packet->type == EngineIo::PacketType::Open &&
                           EngineIo::decodeOpen(packet->data),
                       "first frame is not an open packet: " + quoted(frame));
        if (packet->type != EngineIo::PacketType::Message)
            return;
        QString error;
        FUZZ_CHECK(SocketIo::decode(packet->data, &error).has_value(),
                   "undecodable Socket.IO packet " + quoted(frame) + ": " + error.toUtf8());
    }
};

void connectLikeTheService(ServerSession &session, ClientView &client)
{
    QObject::connect(&session, &ServerSession::frameReady,
                     [&client](const QByteArray &frame, bool) { client.receive(frame); });
    QObject::connect(&session, &ServerSession::closed, [&client] { ++client.closedCount; });
    QObject::connect(&session, &ServerSession::connectRequested,
                     [&session](const QString &nsp, const QJsonValue &) {
                         if (nsp == QLatin1String("/"))
                             session.acceptConnect(nsp, {{QStringLiteral("pid"), "p1"}});
                         else
                             session.refuseConnect(nsp, QStringLiteral("Invalid namespace"));
                     });
    QObject::connect(&session, &ServerSession::eventReceived,
                     [&session](const QString &nsp, const QString &, const QJsonArray &args,
                                qint64 ackId, const QList<QByteArray> &) {
                         if (ackId >= 0)
                             session.ack(nsp, quint64(ackId), args);
                     });
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Timers need an event dispatcher; none of them fires, nothing runs an event loop.
    static QCoreApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ClientView client;
    {
        ServerSession session(ServerSession::Options{});
        connectLikeTheService(session, client);
        session.open();
        for (const QByteArray &frame : Reservo::Fuzz::input(data, size).toByteArray().split('\n')) {
            if (frame.startsWith("b:"))
                session.handleBinaryFrame(frame.sliced(2));
            else
                session.handleTextFrame(frame);
        }
        session.close(ServerSession::CloseReason::ServerClose);
        FUZZ_CHECK(client.closedCount == 1, "closed " + QByteArray::number(client.closedCount));
    }
    // The session's single-shot connect timer is deleted later; do it now, not at exit.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    return 0;
}
