// SPDX-License-Identifier: MIT
#pragma once

#include "enginepacket.h"
#include "httpexchange.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QWebSocket>
#include <optional>

namespace Reservo::Test {

// A Socket.IO v5 client over raw Engine.IO v4 HTTP long-polling, as socket.io-client on default
// options speaks it: one GET always waiting, one POST at a time, pongs to pings, and the upgrade
// to WebSocket (`2probe`/`3probe`, pause polling, `5`). It records every Engine.IO packet it
// receives, in order, whichever transport brought it.
class PollingClient : public QObject
{
    Q_OBJECT
public:
    enum class Transport { Polling, WebSocket };

    // headers go with every request, the upgrade's too (Origin, Cookie).
    explicit PollingClient(quint16 port, const HttpExchange::Headers &headers = {},
                           QObject *parent = nullptr);

    // The handshake GET (no sid); on a 200 with an open packet the poll loop starts.
    HttpResponse handshake();
    // handshake() succeeded, then CONNECT to `/` was accepted.
    bool connectTo(const QJsonObject &auth = {});
    // Sends CONNECT; the Socket.IO answer's text (`0{"sid":…}` or `4{"message":…}`), if any.
    std::optional<QByteArray> connectNamespace(const QJsonObject &auth = {});
    // An EVENT with a fresh ack id; the ACK's arguments, if it came.
    std::optional<QJsonArray> emitWithAck(const QString &event, const QJsonArray &args);
    // The last ACK as received, e.g. `430["…"]`.
    QByteArray lastAckPacket() const { return m_lastAckPacket; }
    bool joinEventRoom(const QString &eventId);

    // One Engine.IO packet, e.g. `3` or `42[…]`: POSTed (one request at a time, as the server
    // requires) or, once upgraded, sent over the WebSocket.
    void send(const QByteArray &packet);
    // Every packet sent so far has been answered (a POST's status) or written.
    bool allSent() const { return m_outbox.isEmpty() && !m_post; }
    // Starts the upgrade; upgraded() tells when it is done.
    void startUpgrade();
    bool upgrade(); // startUpgrade() and wait

    // A GET of the poll loop has been sent and is not answered yet.
    bool isPollWaiting() const { return m_poll && m_poll->isSent(); }
    void setAutoPong(bool enabled) { m_autoPong = enabled; }
    // A client that stops reading (a frozen tab): the GET under way is the last until resumed.
    void stopPolling() { m_pollingStopped = true; }
    void resumePolling();

    QString sid() const { return m_open.sid; }
    const EngineIo::OpenInfo &openInfo() const { return m_open; }
    Transport transport() const { return m_transport; }
    bool upgraded() const { return m_transport == Transport::WebSocket; }
    // A close packet came, or a request failed: the session is over for the client.
    bool isClosed() const { return m_closed; }
    QString errorString() const { return m_error; }
    // A request for this session, outside the client's own flow (e.g. after the upgrade).
    QByteArray sessionTarget(const QByteArray &transport = "polling") const;
    const HttpExchange::Headers &headers() const { return m_headers; }

    QList<QByteArray> packets() const { return m_packets; }
    QList<HttpResponse> pollResponses() const { return m_pollResponses; }
    QList<HttpResponse> postResponses() const { return m_postResponses; }
    int pingCount() const { return m_pings; }
    int webSocketPackets() const { return m_webSocketPackets; }
    // How many of packets() came before the switch to the WebSocket (all of them before it).
    qsizetype packetsBeforeUpgrade() const
    {
        return upgraded() ? m_packets.size() - m_webSocketPackets : m_packets.size();
    }
    // The first argument of every event of that name, in arrival order.
    QList<QJsonObject> eventsNamed(const QString &name) const;
    QList<QJsonObject> seatUpdates() const;
    // Frames the client could not read: empty for a correct server.
    QStringList protocolErrors() const { return m_protocolErrors; }

private:
    void issuePoll();
    void handlePollFinished(HttpExchange *poll);
    void handlePayload(const QByteArray &payload);
    void handlePacket(const QByteArray &packet);
    void handleSocketIo(const QByteArray &data);
    void flushPosts();
    void handleProbeFrame(const QString &text);
    void finishUpgradeWhenPaused();
    void fail(const QString &error);

    quint16 m_port;
    HttpExchange::Headers m_headers;
    EngineIo::OpenInfo m_open;
    Transport m_transport = Transport::Polling;
    bool m_opened = false;
    bool m_closed = false;
    bool m_autoPong = true;
    bool m_pollingStopped = false;
    bool m_pausing = false; // probe answered: no new poll until the upgrade is done
    QString m_error;
    QPointer<HttpExchange> m_poll;
    QPointer<HttpExchange> m_post;
    QList<QByteArray> m_outbox;
    QWebSocket m_probe;
    QList<QByteArray> m_packets;
    QList<HttpResponse> m_pollResponses;
    QList<HttpResponse> m_postResponses;
    QStringList m_protocolErrors;
    int m_pings = 0;
    int m_webSocketPackets = 0;
    quint64 m_nextAckId = 0;
    QHash<quint64, QJsonArray> m_acks;
    QByteArray m_lastAckPacket;
    QList<QByteArray> m_connectReplies;
    QList<std::pair<QString, QJsonObject>> m_events;
};

// Each update's seq is one more than the previous one's, from `first`: nothing lost, nothing
// twice. Otherwise false, with the first break in `why`.
bool seqIsContiguous(const QList<QJsonObject> &updates, int first, QString *why);

} // namespace Reservo::Test
