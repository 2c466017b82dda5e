// SPDX-License-Identifier: MIT
#include "testwebsocket.h"

#include <QTest>

namespace Reservo::Conformance {

TestWebSocket::TestWebSocket(Pings pings, QObject *parent) : QObject(parent), m_pings(pings)
{
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_wasConnected = true; });
    connect(&m_socket, &QWebSocket::disconnected, this, [this] { m_disconnected = true; });
    connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
        if (m_pings == Pings::Answer && text == QLatin1String("2"))
            sendText("3");
        else
            m_received.append({text.toUtf8(), false});
    });
    connect(&m_socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &data) {
        m_received.append({data, true});
    });
}

bool TestWebSocket::waitForConnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_wasConnected || m_disconnected; }, timeoutMs) &&
           m_wasConnected;
}

bool TestWebSocket::waitForDisconnected(int timeoutMs)
{
    return QTest::qWaitFor([this] { return m_disconnected; }, timeoutMs);
}

std::optional<WsMessage> TestWebSocket::next(int timeoutMs)
{
    // A closed socket gets no more messages: no need to wait out the bound.
    const bool ended =
        QTest::qWaitFor([this] { return !m_received.isEmpty() || m_disconnected; }, timeoutMs);
    if (!ended || m_received.isEmpty())
        return std::nullopt;
    return m_received.takeFirst();
}

QByteArray TestWebSocket::nextText(int timeoutMs)
{
    const std::optional<WsMessage> message = next(timeoutMs);
    if (!message)
        return m_disconnected ? "<disconnected>"
                              : "<nothing within " + QByteArray::number(timeoutMs) + " ms>";
    if (message->binary)
        return "<binary " + message->data.toHex() + '>';
    return message->data;
}

} // namespace Reservo::Conformance
