// SPDX-License-Identifier: MIT
#include "serviceprocess.h"

#include "config.h"
#include "testhelpers.h"

#include <QProcessEnvironment>

namespace Reservo::Test {

namespace {
constexpr int StartAttempts = 3;
constexpr int ProbeTimeoutMs = 2000;
} // namespace

ServiceProcess::~ServiceProcess()
{
    printOutputIfFailed();
    kill(); // before its working directory goes
}

bool ServiceProcess::start(const QString &natsUrl, const Environment &extra, WaitFor waitFor)
{
    if (!m_process.findProgram(QStringLiteral("RESERVO_WS_EXE"))) {
        m_error = m_process.errorString();
        return false;
    }
    if (!m_workDir.isValid()) {
        m_error = QStringLiteral("no temporary working directory: %1").arg(m_workDir.errorString());
        return false;
    }
    m_natsUrl = natsUrl;
    m_extra = extra;
    m_waitFor = waitFor;
    m_process.setWorkingDirectory(m_workDir.path());
    m_process.setChannelMode(QProcess::MergedChannels);
    for (int attempt = 0; attempt < StartAttempts; ++attempt) {
        const quint16 port = freeLoopbackPort();
        if (port == 0) {
            m_error = QStringLiteral("no free loopback port");
            return false;
        }
        m_process.clearOutput();
        if (!launch(port))
            return false;
        if (waitUntilAnswering())
            return true;
        if (!output().contains("cannot listen")) // only a lost port race is worth a retry
            return false;
    }
    return false;
}

bool ServiceProcess::restart()
{
    if (m_port == 0) {
        m_error = QStringLiteral("restart() before a successful start()");
        return false;
    }
    return stop(Timeout) && launch(m_port) && waitUntilAnswering();
}

bool ServiceProcess::launch(quint16 port)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const ConfigOption &option : ConfigLoader::options())
        env.remove(option.env); // the developer's own settings must not leak into a test
    env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORT"), QString::number(port));
    env.insert(QStringLiteral("NATS_SERVER"), m_natsUrl);
    for (auto it = m_extra.cbegin(); it != m_extra.cend(); ++it)
        env.insert(it.key(), it.value());

    m_port = port;
    m_process.setEnvironment(env);
    if (m_process.start())
        return true;
    m_error = m_process.errorString();
    return false;
}

bool ServiceProcess::waitUntilAnswering()
{
    const QByteArray path = m_waitFor == WaitFor::Ready ? "/readyz" : "/healthz";
    const auto answering = [&] { return httpRequest("GET", path, ProbeTimeoutMs).status == 200; };
    if (m_process.waitUntil(answering,
                            QStringLiteral("a 200 from %1").arg(QString::fromLatin1(path))))
        return true;
    m_error = m_process.errorString();
    m_process.kill();
    return false;
}

bool ServiceProcess::stop(int timeoutMs)
{
    if (m_process.stop(timeoutMs))
        return true;
    m_error = m_process.errorString();
    return false;
}

QUrl ServiceProcess::socketUrl(const QString &query) const
{
    return QUrl(QStringLiteral("ws://127.0.0.1:%1/socket.io/?%2").arg(m_port).arg(query));
}

HttpResponse ServiceProcess::httpRequest(const QByteArray &method, const QByteArray &target,
                                         int timeoutMs) const
{
    return httpExchange(m_port, method, target, {}, {}, timeoutMs);
}

HttpResponse ServiceProcess::httpGet(const QByteArray &target) const
{
    return httpRequest("GET", target, Timeout);
}

double ServiceProcess::metric(const QByteArray &series) const
{
    const HttpResponse response = httpGet("/metrics");
    if (response.status != 200)
        return -1;
    for (const QByteArray &line : response.body.split('\n')) {
        if (line.startsWith(series + ' ')) {
            bool ok = false;
            const double value = line.mid(series.size() + 1).trimmed().toDouble(&ok);
            return ok ? value : -1;
        }
    }
    return -1;
}

} // namespace Reservo::Test
