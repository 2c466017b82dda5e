// SPDX-License-Identifier: MIT
#pragma once

#include "childprocess.h"
#include "httpexchange.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace Reservo::Test {

// The real reservo-ws process (from RESERVO_WS_EXE) on a free loopback port, started in an empty
// working directory without the developer's own settings (so no stray .env or RESERVO_* is read),
// awaited until /readyz says 200.
class ServiceProcess
{
public:
    using Environment = QMap<QString, QString>;

    ServiceProcess() = default;
    ~ServiceProcess();

    // What start() waits for: /readyz 200 (listening, NATS connected) or /healthz 200 (alive,
    // for a service whose NATS is down on purpose).
    enum class WaitFor { Ready, Alive };

    // PORT and NATS_SERVER are set here; extra adds or overrides any other setting.
    bool start(const QString &natsUrl, const Environment &extra = {},
               WaitFor waitFor = WaitFor::Ready);
    // Starts it again (stopping it first if it runs) on the same port with the same settings,
    // awaited as start() was: a restart its clients can reconnect to.
    bool restart();
    // SIGTERM, then waits for the process to exit; false if it does not within timeoutMs (it is
    // killed then).
    bool stop(int timeoutMs);
    void kill() { m_process.kill(); }

    bool isRunning() const { return m_process.isRunning(); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.pid(); }
    QUrl socketUrl(const QString &query = QStringLiteral("EIO=4&transport=websocket")) const;
    QString errorString() const { return m_error; }

    // Requests keep the test's event loop running, so its clients still answer pings meanwhile.
    HttpResponse httpRequest(const QByteArray &method, const QByteArray &target,
                             int timeoutMs) const;
    HttpResponse httpGet(const QByteArray &target) const;
    // The value of one series of /metrics, e.g. `reservo_rooms` or `x_total{kind="a"}`; -1 when
    // the series is missing or /metrics does not answer (every series here is >= 0).
    double metric(const QByteArray &series) const;

    // Everything it logged, across restarts.
    QByteArray output() { return m_process.output(); }
    // Copies the service's log into the test log when the current test has failed.
    void printOutputIfFailed() { m_process.printOutputIfFailed(); }

private:
    bool launch(quint16 port);
    bool waitUntilAnswering();

    ChildProcess m_process{QStringLiteral("reservo-ws")};
    QTemporaryDir m_workDir;
    QString m_natsUrl;
    Environment m_extra;
    WaitFor m_waitFor = WaitFor::Ready;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace Reservo::Test
