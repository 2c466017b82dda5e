// SPDX-License-Identifier: MIT
#pragma once

#include "testhelpers.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QString>
#include <QTcpSocket>
#include <optional>
#include <utility>

namespace Reservo::Test {

// An HTTP answer as read off the wire.
struct HttpResponse
{
    int status = 0; // 0: no complete, well-framed answer (see error)
    QByteArray head;
    QByteArray body;
    QString error;

    // The value of the first header called name, whatever its case; empty if there is none.
    QByteArray header(const QByteArray &name) const;
};

// One HTTP/1.1 request with `Connection: close` to 127.0.0.1, written and read byte for byte, so
// a test sees exactly what the server sends, can hold a request open (a long poll) while it does
// other things, or abandon it. The answer is complete when its Content-Length or last chunk has
// arrived; an unframed answer is read until the server closes, and reported as an error.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    // `Host: 127.0.0.1` and, for a non-empty body, its Content-Length are added unless headers
    // name them: a browser-like caller sends its own.
    HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                 const Headers &headers = {}, const QByteArray &body = {},
                 QObject *parent = nullptr);
    // Closing the socket emits into this object: that must happen while its members still live.
    ~HttpExchange() override;

    // Connects; the request is written from the event loop once connected.
    void start();
    // Blocks, without running the event loop, until the whole request is on the wire: requests
    // started and sent in order reach the server in order. False (see response().error) if not.
    bool waitForSent(int timeoutMs);
    // The whole request has been handed to the kernel: the server can see it.
    bool isSent() const { return m_sent; }
    bool isFinished() const { return m_finished; }
    // Runs the event loop until the answer is complete, at most timeoutMs; false without one.
    bool waitForFinished(int timeoutMs);
    // Closes the connection without waiting for the answer, as a browser cancelling a fetch.
    void abort();
    // Valid once finished().
    const HttpResponse &response() const { return m_response; }

signals:
    void finished();

private:
    void handleConnected();
    void handleBytesWritten();
    void handleReadyRead();
    void handleDisconnected();
    void handleError(QAbstractSocket::SocketError code);
    void finish(const HttpResponse &response);

    quint16 m_port;
    QByteArray m_request;
    QTcpSocket m_socket;
    QByteArray m_raw;
    HttpResponse m_response;
    bool m_sent = false;
    bool m_finished = false;
};

// A whole exchange at once: what most checks of status and headers need. It keeps the caller's
// event loop running, so the test's clients still answer pings meanwhile.
HttpResponse httpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                          const HttpExchange::Headers &headers = {}, const QByteArray &body = {},
                          int timeoutMs = Timeout);

// GET of a JSON document (nats-server's monitoring endpoints); nullopt, with `error`, when the
// answer is not a 200 with a JSON object.
std::optional<QJsonObject> loopbackJson(quint16 port, const QByteArray &target, int timeoutMs,
                                        QString *error = nullptr);

} // namespace Reservo::Test
