// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QTcpSocket>

namespace Reservo::Conformance {

// Every wait in these tests is bounded by this many milliseconds: generous, because CI runs
// them on two shared cores.
inline constexpr int Timeout = 10000;

// An HTTP answer as read off the wire.
struct HttpResponse
{
    int status = 0;                       // 0: no complete answer (see error)
    QMap<QByteArray, QByteArray> headers; // names lower-cased
    QByteArray body;
    QString error;

    QByteArray header(const QByteArray &lowerName) const { return headers.value(lowerName); }
};

// One HTTP/1.1 request on its own TCP connection, written and read byte for byte, so a test sees
// exactly what the server sends, and can hold a request open (a long poll) or abandon it.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                 const QByteArray &body = {}, QObject *parent = nullptr);

    // Connects and writes the request; false if that failed (see response().error).
    bool start();
    bool isFinished() const { return m_finished; }
    bool waitForFinished(int timeoutMs = Timeout);
    // Closes the connection without waiting for the answer, as a browser cancelling a fetch.
    void abort();
    const HttpResponse &response() const { return m_response; }

    // start() and waitForFinished() in one.
    static HttpResponse run(quint16 port, const QByteArray &method, const QByteArray &target,
                            const QByteArray &body = {});

signals:
    void finished();

private:
    void handleReadyRead();
    void finish(const QString &error = QString());
    bool parseHead();

    quint16 m_port;
    QByteArray m_request;
    QTcpSocket m_socket;
    QByteArray m_received;
    qsizetype m_headSize = 0;
    qint64 m_contentLength = -1;
    HttpResponse m_response;
    bool m_finished = false;
};

} // namespace Reservo::Conformance
