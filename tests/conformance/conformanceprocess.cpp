// SPDX-License-Identifier: MIT
#include "conformanceprocess.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <csignal>
#include <sys/prctl.h>

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

ConformanceProcess::~ConformanceProcess()
{
    kill();
}

bool ConformanceProcess::start(int pingInterval, int pingTimeout, int workerThreads)
{
    m_process.setProgram(serverExecutable());
    // Port 0: the server picks a free one and prints it, so there is no race for a port.
    m_process.setArguments({QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                            QStringLiteral("--port"), QStringLiteral("0"),
                            QStringLiteral("--ping-interval"), QString::number(pingInterval),
                            QStringLiteral("--ping-timeout"), QString::number(pingTimeout),
                            QStringLiteral("--worker-threads"), QString::number(workerThreads)});
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    // The server dies with the test, even when the test crashes.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start();
    if (!m_process.waitForStarted(Timeout)) {
        m_error =
            QStringLiteral("cannot run %1: %2").arg(m_process.program(), m_process.errorString());
        return false;
    }
    if (waitForPort())
        return true;
    kill();
    m_error += QStringLiteral("; output:\n") + QString::fromLocal8Bit(output());
    return false;
}

bool ConformanceProcess::waitForPort()
{
    static const QRegularExpression listening(QStringLiteral("listening on \\S+ port (\\d+)"));
    QRegularExpressionMatch match;
    const bool announced = QTest::qWaitFor(
        [&] {
            m_stdout += m_process.readAllStandardOutput();
            match = listening.match(QString::fromUtf8(m_stdout));
            return match.hasMatch() || !isRunning();
        },
        Timeout);
    if (!announced || !match.hasMatch()) {
        m_error = isRunning()
                      ? QStringLiteral("no port announced within %1 ms").arg(Timeout)
                      : QStringLiteral("the server exited with code %1").arg(m_process.exitCode());
        return false;
    }
    m_port = quint16(match.captured(1).toUInt());
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, m_port);
    if (!probe.waitForConnected(Timeout)) {
        m_error =
            QStringLiteral("port %1 does not accept: %2").arg(m_port).arg(probe.errorString());
        return false;
    }
    return true;
}

void ConformanceProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(Timeout);
}

QByteArray ConformanceProcess::output()
{
    return m_stdout + m_process.readAllStandardOutput() + m_process.readAllStandardError();
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
