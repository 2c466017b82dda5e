// SPDX-License-Identifier: MIT
#include "conformanceprocess.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>

namespace Reservo::Conformance {

namespace {
QString serverExecutable()
{
    const QString fromEnvironment = qEnvironmentVariable("RESERVO_CONFORMANCE_SERVER_EXE");
    return fromEnvironment.isEmpty() ? QStringLiteral(RESERVO_CONFORMANCE_SERVER_EXE)
                                     : fromEnvironment;
}
} // namespace

QByteArray pollingTarget(const QString &path, const QString &sid)
{
    QByteArray target = path.toUtf8() + "?EIO=4&transport=polling";
    if (!sid.isEmpty())
        target += "&sid=" + QUrl::toPercentEncoding(sid);
    return target;
}

bool ConformanceProcess::start(int pingInterval, int pingTimeout, int workerThreads)
{
    m_process.setProgram(serverExecutable());
    // Port 0: the server picks a free one and prints it, so there is no race for a port.
    const bool started = m_process.start(
        {QStringLiteral("--host"), QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
         QStringLiteral("0"), QStringLiteral("--ping-interval"), QString::number(pingInterval),
         QStringLiteral("--ping-timeout"), QString::number(pingTimeout),
         QStringLiteral("--worker-threads"), QString::number(workerThreads)});
    if (!started) {
        m_error = m_process.errorString();
        return false;
    }
    if (waitForPort())
        return true;
    kill();
    return false;
}

bool ConformanceProcess::waitForPort()
{
    static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
    QRegularExpressionMatch match;
    const auto announced = [&] {
        match = listening.match(QString::fromUtf8(m_process.standardOutput()));
        return match.hasMatch();
    };
    if (!m_process.waitUntil(announced, QStringLiteral("a \"listening on\" line"), Timeout)) {
        m_error = m_process.errorString();
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, m_port);
    if (!probe.waitForConnected(Timeout)) {
        m_error = QStringLiteral("port %1 does not accept: %2; output:\n%3")
                      .arg(m_port)
                      .arg(probe.errorString(), QString::fromLocal8Bit(output()));
        return false;
    }
    return true;
}

QUrl ConformanceProcess::webSocketUrl(const QString &path, const QString &query) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1%2?%3").arg(m_port).arg(path, query));
}

HttpResponse ConformanceProcess::request(const QByteArray &method, const QByteArray &target,
                                         const QByteArray &body) const
{
    return Test::httpExchange(m_port, method, target, browserHeaders(method, body), body, Timeout);
}

HttpExchange::Headers ConformanceProcess::browserHeaders(const QByteArray &method,
                                                         const QByteArray &body) const
{
    HttpExchange::Headers headers{{"Host", "127.0.0.1:" + QByteArray::number(m_port)},
                                  {"Accept", "*/*"}};
    if (method != "GET")
        headers += HttpExchange::Headers{{"Content-Type", "text/plain;charset=UTF-8"},
                                         {"Content-Length", QByteArray::number(body.size())}};
    return headers;
}

std::unique_ptr<HttpExchange> ConformanceProcess::startRequest(const QByteArray &method,
                                                               const QByteArray &target,
                                                               const QByteArray &body) const
{
    auto exchange =
        std::make_unique<HttpExchange>(m_port, method, target, browserHeaders(method, body), body);
    exchange->start();
    // On the wire before this returns, so requests started in order reach the server in order.
    exchange->waitForSent(Timeout);
    return exchange;
}

QJsonObject ConformanceProcess::openPollingSession(const QString &path)
{
    const HttpResponse response = request("GET", pollingTarget(path));
    if (response.status != 200 || !response.body.startsWith('0')) {
        m_error = QStringLiteral("handshake failed: %1 %2 %3")
                      .arg(response.status)
                      .arg(QString::fromUtf8(response.body), response.error);
        return {};
    }
    return QJsonDocument::fromJson(response.body.mid(1)).object();
}

void ConformanceProcess::sync() const
{
    request("GET", pollingTarget(QStringLiteral("/engine.io/"), QStringLiteral("sync")));
}

} // namespace Reservo::Conformance
