// SPDX-License-Identifier: MIT
#pragma once

#include "testhelpers.h"

#include <QByteArray>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>

namespace Reservo::Test {

// One process a test starts: found, started with its arguments, environment and working
// directory, killed with the test process, awaited until a caller's condition holds, stopped in
// bounded time (SIGTERM, then SIGKILL), its output kept for the message of a failing test. Every
// wait runs the event loop, so the test's own clients and servers keep working meanwhile.
class ChildProcess
{
public:
    // `name` says which program this is in every error message ("nats-server", "reservo-ws").
    explicit ChildProcess(const QString &name) : m_name(name) {}
    ~ChildProcess();
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    // The program: the path in the environment variable `variable` when it is set, else
    // `fallback` on PATH or in `moreDirs`. False (see errorString()) when none names one.
    bool findProgram(const QString &variable, const QString &fallback = {},
                     const QStringList &moreDirs = {});
    void setProgram(const QString &program) { m_process.setProgram(program); }
    QString program() const { return m_process.program(); }
    // The child's whole environment (default: the test's own).
    void setEnvironment(const QProcessEnvironment &environment)
    {
        m_process.setProcessEnvironment(environment);
    }
    void setWorkingDirectory(const QString &path) { m_process.setWorkingDirectory(path); }
    // MergedChannels: stderr goes into standardOutput() (default: kept apart).
    void setChannelMode(QProcess::ProcessChannelMode mode)
    {
        m_process.setProcessChannelMode(mode);
    }
    // Written to the child's stdin once it runs, which is then closed.
    void setInput(const QByteArray &input) { m_input = input; }

    // Starts the program with these arguments; false (see errorString()) when it cannot run.
    bool start(const QStringList &arguments = {});
    // Waits until `ready` holds, at most timeoutMs and no longer than the process runs. False
    // when it does not hold by then; errorString() names `awaited` (what ready() checks, e.g.
    // "a 200 from /readyz"), how the wait ended and the output so far.
    bool waitUntil(const std::function<bool()> &ready, const QString &awaited,
                   int timeoutMs = Timeout);
    // Waits until the process has exited by itself; false (see errorString()) after timeoutMs.
    bool waitForExit(int timeoutMs = Timeout);
    // SIGTERM, then waits up to graceMs; a process still running then is killed (SIGKILL). True
    // when it exited on SIGTERM within graceMs; false (see errorString()) when it had to be
    // killed. Either way it has ended when this returns, unless even SIGKILL failed.
    bool stop(int graceMs = Timeout);
    // SIGKILL and wait: a crash, with no goodbye to anyone. False only if it still runs after.
    bool kill();

    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    int exitCode() const { return m_process.exitCode(); }
    QProcess::ExitStatus exitStatus() const { return m_process.exitStatus(); }
    QString name() const { return m_name; }
    QString errorString() const { return m_error; }

    // Everything the process wrote to stdout (and, merged, stderr) since the last clearOutput().
    QByteArray standardOutput();
    QByteArray standardError();
    QByteArray output() { return standardOutput() + standardError(); }
    void clearOutput();
    // Copies the output into the test log when the current test has failed.
    void printOutputIfFailed();

private:
    QString describeExit() const;
    QString withOutput(const QString &error);

    QString m_name;
    QProcess m_process;
    QByteArray m_input;
    QByteArray m_stdout;
    QByteArray m_stderr;
    QString m_error;
};

} // namespace Reservo::Test
