// SPDX-License-Identifier: MIT
#pragma once

#include "loopbackhttp.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QTcpSocket>
#include <utility>

namespace Reservo::Test {

// One HTTP/1.1 request to 127.0.0.1 with any method, headers and body, answered asynchronously:
// a long-poll GET stays open while the test does other things. `Connection: close`, so the
// answer is complete when the server closes the connection.
class HttpExchange : public QObject
{
    Q_OBJECT
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    HttpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                 const Headers &headers = {}, const QByteArray &body = {},
                 QObject *parent = nullptr);

    bool isFinished() const { return m_finished; }
    // The whole request has been handed to the kernel: the server can see it.
    bool isSent() const { return m_sent; }
    // Valid once finished(): status 0 with an error when there was no complete answer.
    const HttpResponse &response() const { return m_response; }

    // Runs the event loop until the answer is complete, at most timeoutMs.
    bool waitForFinished(int timeoutMs);

signals:
    void finished();

private:
    void finish(const QString &error);

    QTcpSocket m_socket;
    QByteArray m_request;
    QByteArray m_raw;
    HttpResponse m_response;
    bool m_sent = false;
    bool m_finished = false;
};

// A whole exchange at once: what most checks of status and headers need.
HttpResponse httpExchange(quint16 port, const QByteArray &method, const QByteArray &target,
                          const HttpExchange::Headers &headers = {}, const QByteArray &body = {});

} // namespace Reservo::Test
