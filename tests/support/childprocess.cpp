// SPDX-License-Identifier: MIT
#include "childprocess.h"

#include <QStandardPaths>
#include <QTest>
#include <csignal>
#include <sys/prctl.h>

namespace Reservo::Test {

ChildProcess::~ChildProcess()
{
    kill();
}

bool ChildProcess::findProgram(const QString &variable, const QString &fallback,
                               const QStringList &moreDirs)
{
    QString program = variable.isEmpty() ? QString() : qEnvironmentVariable(qPrintable(variable));
    if (program.isEmpty() && !fallback.isEmpty())
        program = QStandardPaths::findExecutable(fallback);
    if (program.isEmpty() && !fallback.isEmpty() && !moreDirs.isEmpty())
        program = QStandardPaths::findExecutable(fallback, moreDirs);
    m_process.setProgram(program);
    if (!program.isEmpty())
        return true;
    if (fallback.isEmpty())
        m_error = QStringLiteral("%1 is not set: run the test through ctest").arg(variable);
    else if (variable.isEmpty())
        m_error = QStringLiteral("%1 not found: install it").arg(fallback);
    else
        m_error = QStringLiteral("%1 not found: install it or set %2").arg(fallback, variable);
    return false;
}

bool ChildProcess::start(const QStringList &arguments)
{
    if (program().isEmpty()) {
        m_error = QStringLiteral("%1: no program to run").arg(m_name);
        return false;
    }
    standardOutput(); // keep what an earlier run said: start() empties QProcess's buffers
    standardError();
    m_process.setArguments(arguments);
    // The child dies with the test process, so a crashed or killed test leaves no server behind.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
    m_process.start();
    if (!m_process.waitForStarted(Timeout)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(program(), m_process.errorString());
        return false;
    }
    if (!m_input.isNull()) {
        m_process.write(m_input);
        m_process.closeWriteChannel();
    }
    return true;
}

bool ChildProcess::waitUntil(const std::function<bool()> &ready, const QString &awaited,
                             int timeoutMs)
{
    bool held = false;
    const auto heldOrEnded = [&] {
        held = ready();
        return held || !isRunning();
    };
    if (QTest::qWaitFor(heldOrEnded, timeoutMs) && held)
        return true;
    m_error = withOutput(
        isRunning()
            ? QStringLiteral("%1: still waiting for %2 after %3 ms")
                  .arg(m_name, awaited)
                  .arg(timeoutMs)
            : QStringLiteral("%1 %2 while waiting for %3").arg(m_name, describeExit(), awaited));
    return false;
}

bool ChildProcess::waitForExit(int timeoutMs)
{
    if (QTest::qWaitFor([this] { return !isRunning(); }, timeoutMs))
        return true;
    m_error = withOutput(QStringLiteral("%1 still running after %2 ms").arg(m_name).arg(timeoutMs));
    return false;
}

bool ChildProcess::stop(int graceMs)
{
    if (!isRunning())
        return true;
    m_process.terminate();
    if (QTest::qWaitFor([this] { return !isRunning(); }, graceMs))
        return true;
    const bool killed = kill();
    m_error = QStringLiteral("%1 still running %2 ms after SIGTERM: %3")
                  .arg(m_name)
                  .arg(graceMs)
                  .arg(killed ? QStringLiteral("killed") : QStringLiteral("even SIGKILL failed"));
    return false;
}

bool ChildProcess::kill()
{
    if (!isRunning())
        return true;
    m_process.kill();
    m_process.waitForFinished(Timeout);
    if (!isRunning())
        return true;
    m_error = QStringLiteral("%1 still running %2 ms after SIGKILL").arg(m_name).arg(Timeout);
    return false;
}

QByteArray ChildProcess::standardOutput()
{
    if (m_process.isOpen()) // else QIODevice warns about reading a closed device
        m_stdout += m_process.readAllStandardOutput();
    return m_stdout;
}

QByteArray ChildProcess::standardError()
{
    if (m_process.isOpen() && m_process.processChannelMode() != QProcess::MergedChannels)
        m_stderr += m_process.readAllStandardError();
    return m_stderr;
}

void ChildProcess::clearOutput()
{
    standardOutput();
    standardError();
    m_stdout.clear();
    m_stderr.clear();
}

void ChildProcess::printOutputIfFailed()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << m_name + QStringLiteral(" output:\n") +
                                    QString::fromLocal8Bit(output());
}

QString ChildProcess::describeExit() const
{
    if (m_process.exitStatus() == QProcess::CrashExit)
        return QStringLiteral("died of a signal");
    return QStringLiteral("exited with code %1").arg(m_process.exitCode());
}

QString ChildProcess::withOutput(const QString &error)
{
    const QByteArray said = output();
    if (said.isEmpty())
        return error + QStringLiteral("; no output");
    return error + QStringLiteral("; output:\n") + QString::fromLocal8Bit(said);
}

} // namespace Reservo::Test
