// SPDX-License-Identifier: MIT
#pragma once

#include "httpexchange.h"

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace Reservo::Test {

// The real reservo-ws process (from RESERVO_WS_EXE) on a free loopback port, started in an empty
// working directory so no stray .env is read, awaited until /readyz says 200.
class ServiceProcess
{
public:
    using Environment = QMap<QString, QString>;

    ServiceProcess() = default;
    ~ServiceProcess();
    ServiceProcess(const ServiceProcess &) = delete;
    ServiceProcess &operator=(const ServiceProcess &) = delete;

    // What start() waits for: /readyz 200 (listening, NATS connected) or /healthz 200 (alive,
    // for a service whose NATS is down on purpose).
    enum class WaitFor { Ready, Alive };

    // PORT and NATS_SERVER are set here; extra adds or overrides any other setting.
    bool start(const QString &natsUrl, const Environment &extra = {},
               WaitFor waitFor = WaitFor::Ready);
    // SIGTERM, then waits for the process to exit; false if it does not within timeoutMs.
    bool stop(int timeoutMs);
    void kill();

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    quint16 port() const { return m_port; }
    qint64 pid() const { return m_process.processId(); }
    QUrl socketUrl(const QString &query = QStringLiteral("EIO=4&transport=websocket")) const;
    QString errorString() const { return m_error; }

    // Requests keep the test's event loop running, so its clients still answer pings meanwhile.
    HttpResponse httpRequest(const QByteArray &method, const QByteArray &target,
                             int timeoutMs) const;
    HttpResponse httpGet(const QByteArray &target) const;
    // The value of one series of /metrics, e.g. `reservo_rooms` or `x_total{kind="a"}`; -1 when
    // the series is missing or /metrics does not answer (every series here is >= 0).
    double metric(const QByteArray &series) const;

    QByteArray output();
    // Copies the service's log into the test log when the current test has failed.
    void printOutputIfFailed();

private:
    bool launch(quint16 port, const QString &natsUrl, const Environment &extra);
    bool waitUntilAnswering(const QByteArray &path);

    QProcess m_process;
    QTemporaryDir m_workDir;
    quint16 m_port = 0;
    QByteArray m_output;
    QString m_error;
};

} // namespace Reservo::Test
