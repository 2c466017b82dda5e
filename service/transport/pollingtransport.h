// SPDX-License-Identifier: MIT
#pragma once

#include "httprequest.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QPointer>

class QTcpSocket;

namespace Reservo {

// The HTTP long-polling side of one Engine.IO connection (EngineConnection): packets wait for the
// next GET and leave together, one response per event-loop pass of at most maxPayload bytes; POST
// bodies are read within requestTimeoutMs. One GET waits and one POST is read at a time: a second
// of either, or a waiting GET the client cancels, fails the connection.
class PollingTransport : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        qint64 maxPayload = 1000000;  // bytes per response and per POST body
        int requestTimeoutMs = 10000; // to receive a POST body
        // Extra response headers (CORS), from the opening request.
        QList<std::pair<QByteArray, QByteArray>> responseHeaders;
    };

    // Sockets of requests not answered yet are its children: they go with it.
    explicit PollingTransport(const Options &options, QObject *parent = nullptr);

    // One packet, encoded for polling, for the next response.
    void queue(const QByteArray &packet);
    qint64 queuedBytes() const { return m_queuedBytes; }
    // Answers the waiting GET, if any, now: with the queued packets, or a noop.
    void endPoll();
    // The connection leaves long-polling (upgraded): the waiting GET, if any, ends with a noop;
    // the packets still queued are returned in order.
    QList<QByteArray> takeQueueForUpgrade();

    void handlePoll(QTcpSocket *socket, const HttpRequest &request);
    void handlePost(QTcpSocket *socket, const HttpRequest &request);
    // A request for a connection that no longer polls (closed or upgraded): 400, unknown sid.
    void refuse(QTcpSocket *socket, const HttpRequest &request);
    // Answers a request (`body` is text/plain if status is 200, JSON otherwise) and lets go of
    // its socket.
    void respond(QTcpSocket *socket, int status, const QByteArray &body);

signals:
    // A complete POST body: the receiver answers it with respond().
    void postReceived(QTcpSocket *socket, const QByteArray &body);
    // A poll response took queued packets.
    void bytesWritten();
    // The client broke the rules above (two GETs or two POSTs at once) or cancelled its GET.
    void failed(const QString &why);

private:
    void scheduleAnswer();
    void answerPoll();
    void handlePostBody(QTcpSocket *socket);

    Options m_options;
    QList<QByteArray> m_queue; // encoded packets for the next response
    qint64 m_queuedBytes = 0;
    QPointer<QTcpSocket> m_poll; // the waiting GET
    QPointer<QTcpSocket> m_post; // the POST being read
    bool m_answerScheduled = false;
};

} // namespace Reservo
