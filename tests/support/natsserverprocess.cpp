// SPDX-License-Identifier: MIT
#include "natsserverprocess.h"

#include "httpexchange.h"
#include "testhelpers.h"

#include <QHostAddress>
#include <QTcpSocket>

namespace Reservo::Test {

namespace {
constexpr int StartAttempts = 3;
constexpr int RestartAttempts = 5;
constexpr int ProbeTimeoutMs = 1000;
} // namespace

QString NatsServerProcess::url() const
{
    return QStringLiteral("nats://127.0.0.1:%1").arg(m_port);
}

bool NatsServerProcess::start()
{
    // Debian installs it in /usr/sbin, which is not on an ordinary user's PATH.
    if (!m_process.findProgram(QStringLiteral("NATS_SERVER_EXE"), QStringLiteral("nats-server"),
                               {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/local/sbin")})) {
        m_error = m_process.errorString();
        return false;
    }
    m_process.setChannelMode(QProcess::MergedChannels);
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
    if (!m_process.stop())
        m_error = m_process.errorString(); // killed: it is gone all the same
    return !isRunning();
}

bool NatsServerProcess::kill()
{
    if (m_process.kill())
        return true;
    m_error = m_process.errorString();
    return false;
}

bool NatsServerProcess::restart()
{
    if (m_port == 0) {
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
    if (!m_process.start(arguments(port))) {
        m_error = m_process.errorString();
        return false;
    }
    // Poll like nats.c's _startServer: the server is up when a client gets its INFO line.
    if (m_process.waitUntil([this] { return acceptsClients(); },
                            QStringLiteral("an INFO line on port %1").arg(port)))
        return true;
    m_error = m_process.errorString();
    m_process.kill();
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
