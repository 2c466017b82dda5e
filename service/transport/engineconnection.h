// SPDX-License-Identifier: MIT
#pragma once

#include "httprequest.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTimer>

class QTcpSocket;

namespace Reservo {

class PollingTransport;
class WebSocketLink;

// One Engine.IO connection as the server sees it, whatever carries it: a WebSocket from the
// start (WebSocketLink), or HTTP long-polling (PollingTransport) that may upgrade to a WebSocket
// (probe `2probe`/`3probe`, then `5`). Engine.IO frames go in and out; the protocol state lives
// in ServerSession.
class EngineConnection : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 maxPayload = 1000000; // bytes per polling response and per POST body
        int upgradeTimeoutMs = 10000;
        int requestTimeoutMs = 10000; // to receive a POST body
        // Extra response headers for polling requests (CORS), from the opening request.
        QList<std::pair<QByteArray, QByteArray>> responseHeaders;
    };

    // Over a WebSocket from the start (takes ownership of socket).
    EngineConnection(const QString &sid, WebSocketLink *socket, const Options &options,
                     QObject *parent = nullptr);
    // Over HTTP long-polling, opened by `handshake`.
    EngineConnection(const QString &sid, const HttpRequest &handshake, const Options &options,
                     QObject *parent = nullptr);

    QString sid() const { return m_sid; }
    // A kept header of the request that opened the connection (lower-case name): `cookie`.
    QByteArray requestHeader(const QByteArray &lowerName) const;
    QStringList upgrades() const;

    // One Engine.IO packet: an encoded text packet, or the data of a binary message.
    void send(const QByteArray &frame, bool binary);
    // Bytes accepted by send() and not yet handed to the kernel (or to a poll response).
    qint64 bytesToWrite() const;
    // Ends the connection; pending packets still reach a waiting poll. `disconnected` follows.
    void close(int webSocketCloseCode, const QString &reason);

    // Long-polling requests for this sid (the server checked method, EIO and transport), which
    // only a connection opened by long-polling has.
    void handlePoll(QTcpSocket *socket, const HttpRequest &request);
    void handlePost(QTcpSocket *socket, const HttpRequest &request);
    // A WebSocket opened with this sid: the upgrade probe. False if no upgrade is possible now.
    bool canUpgrade() const;
    void attachUpgrade(WebSocketLink *socket);
    // Readers that fell behind: ask for bytesWritten() once the transport writes again.
    void requestDrainNotice();

signals:
    void frameReceived(const QByteArray &frame, bool binary);
    void bytesWritten();
    // A long-polling payload that cannot be a packet (invalid base64): close for a parse error.
    void malformed(const QString &why);
    void upgraded();
    void disconnected();

private:
    enum class Transport { Polling, WebSocket };

    void adoptWebSocket(WebSocketLink *socket);
    void handleProbeFrame(const QByteArray &frame);
    void abortProbe();
    void handlePollingFailure(const QString &why);
    void handlePostBody(QTcpSocket *socket, const QByteArray &body);
    void fail(const QString &why);
    void finish();

    QString m_sid;
    Options m_options;
    Transport m_transport;
    QMap<QByteArray, QByteArray> m_headers;
    PollingTransport *m_polling = nullptr; // opened by long-polling: its requests (child)
    WebSocketLink *m_socket = nullptr;     // the WebSocket once there is one (owned)
    WebSocketLink *m_probe = nullptr;      // a WebSocket probing for an upgrade (owned)
    QTimer m_upgradeTimer;
    bool m_probed = false; // 2probe answered: end polls with a noop until `5`
    bool m_closed = false;
    int m_closeCode = 0;
    bool m_finished = false;
};

} // namespace Reservo
