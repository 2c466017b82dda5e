// SPDX-License-Identifier: MIT
#include "natsserverprocess.h"

#include "httpexchange.h"
#include "testhelpers.h"

#include <QHostAddress>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

namespace Reservo::Test {

namespace {
constexpr int StartAttempts = 3;
constexpr int RestartAttempts = 5;
constexpr int ProbeTimeoutMs = 1000;
} // namespace

NatsServerProcess::~NatsServerProcess()
{
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(Timeout);
    }
}

QString NatsServerProcess::url() const
{
    return QStringLiteral("nats://127.0.0.1:%1").arg(m_port);
}

QByteArray NatsServerProcess::output()
{
    m_output += m_process.readAll();
    return m_output;
}

bool NatsServerProcess::findProgram()
{
    m_program = qEnvironmentVariable("NATS_SERVER_EXE");
    if (m_program.isEmpty())
        m_program = QStandardPaths::findExecutable(QStringLiteral("nats-server"));
    // Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
    if (m_program.isEmpty())
        m_program = QStandardPaths::findExecutable(
            QStringLiteral("nats-server"),
            {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")});
    if (m_program.isEmpty())
        m_error = QStringLiteral("nats-server not found: install it or set NATS_SERVER_EXE");
    return !m_program.isEmpty();
}

bool NatsServerProcess::start()
{
    if (!findProgram())
        return false;
    for (int attempt = 0; attempt < StartAttempts; ++attempt) {
        const quint16 port = freeLoopbackPort();
        m_monitorPort = m_options.monitor ? freeLoopbackPort() : 0;
        if (port != 0 && (!m_options.monitor || m_monitorPort != 0) && launch(port))
            return true;
    }
    return false;
}

bool NatsServerProcess::stop()
{
    if (!isRunning())
        return true;
    m_process.terminate();
    if (!QTest::qWaitFor([this] { return !isRunning(); }, Timeout)) {
        m_process.kill();
        m_process.waitForFinished(Timeout);
    }
    output();
    return !isRunning();
}

bool NatsServerProcess::kill()
{
    if (!isRunning())
        return true;
    m_process.kill();
    m_process.waitForFinished(Timeout);
    output();
    if (isRunning())
        m_error = QStringLiteral("nats-server still running after SIGKILL");
    return !isRunning();
}

bool NatsServerProcess::restart()
{
    if (m_program.isEmpty() || m_port == 0) {
        m_error = QStringLiteral("restart() before a successful start()");
        return false;
    }
    if (!stop())
        return false;
    for (int attempt = 0; attempt < RestartAttempts; ++attempt) {
        if (launch(m_port))
            return true;
    }
    return false;
}

bool NatsServerProcess::launch(quint16 port)
{
    m_port = port;
    m_process.setProgram(m_program);
    m_process.setArguments(arguments(port));
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    killWithParent(m_process);
    m_process.start();
    if (!m_process.waitForStarted(Timeout)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(m_program, m_process.errorString());
        return false;
    }
    // Poll like nats.c's _startServer: the server is up when a client gets its INFO line.
    const bool up = QTest::qWaitFor([this] { return !isRunning() || acceptsClients(); }, Timeout);
    if (up && isRunning())
        return true;
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(Timeout);
    }
    m_error = QStringLiteral("nats-server did not accept on port %1 within %2 ms; output:\n%3")
                  .arg(port)
                  .arg(Timeout)
                  .arg(QString::fromLocal8Bit(output()));
    return false;
}

QStringList NatsServerProcess::arguments(quint16 port) const
{
    QStringList args{QStringLiteral("-a"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"),
                     QString::number(port)};
    const Options &o = m_options;
    if (!o.name.isEmpty())
        args << QStringLiteral("-n") << o.name;
    if (m_monitorPort != 0)
        args << QStringLiteral("-m") << QString::number(m_monitorPort);
    if (o.routePort != 0)
        args << QStringLiteral("--cluster")
             << QStringLiteral("nats://127.0.0.1:%1").arg(o.routePort);
    if (!o.clusterName.isEmpty())
        args << QStringLiteral("--cluster_name") << o.clusterName;
    if (!o.routes.isEmpty())
        args << QStringLiteral("--routes") << o.routes.join(u',');
    if (o.noAdvertise)
        args << QStringLiteral("--no_advertise");
    return args;
}

std::optional<QJsonObject> NatsServerProcess::monitor(const QByteArray &target)
{
    if (m_monitorPort == 0) {
        m_error = QStringLiteral("nats-server started without a monitoring port");
        return std::nullopt;
    }
    return loopbackJson(m_monitorPort, target, ProbeTimeoutMs, &m_error);
}

bool NatsServerProcess::acceptsClients() const
{
    QTcpSocket probe;
    probe.connectToHost(QHostAddress::LocalHost, m_port);
    if (!probe.waitForConnected(ProbeTimeoutMs))
        return false;
    while (probe.bytesAvailable() < 5 && probe.waitForReadyRead(ProbeTimeoutMs)) {
    }
    return probe.peek(5) == "INFO ";
}

} // namespace Reservo::Test
