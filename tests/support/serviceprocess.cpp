// SPDX-License-Identifier: MIT
#include "serviceprocess.h"

#include "config.h"
#include "testhelpers.h"

#include <QProcessEnvironment>
#include <QTest>

namespace Reservo::Test {

namespace {
constexpr int StartAttempts = 3;
constexpr int ProbeTimeoutMs = 2000;
} // namespace

ServiceProcess::~ServiceProcess()
{
    printOutputIfFailed();
    kill();
}

bool ServiceProcess::start(const QString &natsUrl, const Environment &extra, WaitFor waitFor)
{
    if (qEnvironmentVariableIsEmpty("RESERVO_WS_EXE")) {
        m_error = QStringLiteral("RESERVO_WS_EXE is not set: run the test through ctest");
        return false;
    }
    if (!m_workDir.isValid()) {
        m_error = QStringLiteral("no temporary working directory: %1").arg(m_workDir.errorString());
        return false;
    }
    const QByteArray probe = waitFor == WaitFor::Ready ? "/readyz" : "/healthz";
    for (int attempt = 0; attempt < StartAttempts; ++attempt) {
        const quint16 port = freeLoopbackPort();
        if (port == 0 || !launch(port, natsUrl, extra))
            return false;
        if (waitUntilAnswering(probe))
            return true;
        if (!m_output.contains("cannot listen")) // only a lost port race is worth a retry
            return false;
    }
    return false;
}

bool ServiceProcess::launch(quint16 port, const QString &natsUrl, const Environment &extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const ConfigOption &option : ConfigLoader::options())
        env.remove(option.env); // the developer's own settings must not leak into a test
    env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORT"), QString::number(port));
    env.insert(QStringLiteral("NATS_SERVER"), natsUrl);
    for (auto it = extra.cbegin(); it != extra.cend(); ++it)
        env.insert(it.key(), it.value());

    m_port = port;
    m_output.clear();
    m_process.setProgram(qEnvironmentVariable("RESERVO_WS_EXE"));
    m_process.setProcessEnvironment(env);
    m_process.setWorkingDirectory(m_workDir.path());
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    killWithParent(m_process);
    m_process.start();
    if (!m_process.waitForStarted(Timeout)) {
        m_error =
            QStringLiteral("cannot run %1: %2").arg(m_process.program(), m_process.errorString());
        return false;
    }
    return true;
}

bool ServiceProcess::waitUntilAnswering(const QByteArray &path)
{
    const auto answering = [&] {
        return !isRunning() || httpRequest("GET", path, ProbeTimeoutMs).status == 200;
    };
    if (QTest::qWaitFor(answering, Timeout) && isRunning())
        return true;
    m_error = isRunning() ? QStringLiteral("reservo-ws: no 200 from %1 within %2 ms")
                                .arg(QString::fromLatin1(path))
                                .arg(Timeout)
                          : QStringLiteral("reservo-ws exited with code %1").arg(exitCode());
    kill();
    m_error += QStringLiteral("; output:\n") + QString::fromLocal8Bit(output());
    return false;
}

bool ServiceProcess::stop(int timeoutMs)
{
    if (!isRunning())
        return true;
    m_process.terminate();
    if (QTest::qWaitFor([this] { return !isRunning(); }, timeoutMs))
        return true;
    m_error = QStringLiteral("reservo-ws still running %1 ms after SIGTERM").arg(timeoutMs);
    return false;
}

void ServiceProcess::kill()
{
    if (!isRunning())
        return;
    m_process.kill();
    m_process.waitForFinished(Timeout);
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

QByteArray ServiceProcess::output()
{
    m_output += m_process.readAll();
    return m_output;
}

void ServiceProcess::printOutputIfFailed()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "reservo-ws output:\n" << QString::fromLocal8Bit(output());
}

} // namespace Reservo::Test
