// SPDX-License-Identifier: MIT
#pragma once

#include "conformancetimeout.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <optional>

namespace Reservo::Conformance {

// One message as a WebSocket client receives it.
struct WsMessage
{
    QByteArray data;
    bool binary = false;

    friend bool operator==(const WsMessage &a, const WsMessage &b)
    {
        return a.data == b.data && a.binary == b.binary;
    }
};

// A raw WebSocket client for the tests: queues every message it receives, in order, to be taken
// one at a time; answers Engine.IO pings (`2` with `3`) unless told not to.
class TestWebSocket : public QObject
{
    Q_OBJECT
public:
    enum class Pings { Answer, Keep };
    explicit TestWebSocket(Pings pings = Pings::Answer, QObject *parent = nullptr);

    void open(const QUrl &url) { m_socket.open(url); }
    bool waitForConnected(int timeoutMs = Timeout);
    bool waitForDisconnected(int timeoutMs = Timeout);
    // The next message not yet taken, waiting for it; nullopt if none came in time.
    std::optional<WsMessage> next(int timeoutMs = Timeout);
    // The next message if it is text, else a description of what came instead.
    QByteArray nextText(int timeoutMs = Timeout);

    void sendText(const QByteArray &text) { m_socket.sendTextMessage(QString::fromUtf8(text)); }
    void sendBinary(const QByteArray &data) { m_socket.sendBinaryMessage(data); }
    void close() { m_socket.close(); }

    bool wasConnected() const { return m_wasConnected; }
    bool isDisconnected() const { return m_disconnected; }
    QList<WsMessage> pending() const { return m_received; }
    // Nothing left to take but, at most, the Engine.IO close packet a closing server may send.
    bool hasOnlyClosePacketLeft() const
    {
        return m_received.isEmpty() ||
               (m_received.size() == 1 && m_received.first() == WsMessage{"1"});
    }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }

private:
    QWebSocket m_socket;
    Pings m_pings;
    QList<WsMessage> m_received;
    bool m_wasConnected = false;
    bool m_disconnected = false;
};

} // namespace Reservo::Conformance
