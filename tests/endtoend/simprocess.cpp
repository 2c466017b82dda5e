// SPDX-License-Identifier: MIT
#include "simprocess.h"

#include "testhelpers.h"

#include <QJsonDocument>
#include <QTest>

namespace Reservo::Test {

namespace {
QString simProgram(QString *error)
{
    const QString program = qEnvironmentVariable("RESERVO_SIM_EXE");
    if (program.isEmpty() && error)
        *error = QStringLiteral("RESERVO_SIM_EXE is not set: run the test through ctest");
    return program;
}
} // namespace

QStringList SimProcess::Options::arguments() const
{
    QStringList args{QStringLiteral("--events"),
                     QString::number(events),
                     QStringLiteral("--seats"),
                     QString::number(seats),
                     QStringLiteral("--seed"),
                     QString::number(seed),
                     QStringLiteral("--initial-occupied"),
                     QString::number(initialOccupiedPercent),
                     QStringLiteral("--rate"),
                     QString::number(rate),
                     QStringLiteral("--reply-delay"),
                     QString::number(replyDelayMs)};
    if (count >= 0)
        args << QStringLiteral("--count") << QString::number(count);
    return args;
}

SimProcess::~SimProcess()
{
    printOutputIfFailed();
    if (isRunning()) {
        m_process.kill();
        m_process.waitForFinished(Timeout);
    }
}

bool SimProcess::start(const QString &natsUrl, const Options &options)
{
    const QString program = simProgram(&m_error);
    if (program.isEmpty())
        return false;
    m_stdout.clear();
    m_log.clear();
    m_eventIds.clear();
    m_process.setProgram(program);
    m_process.setArguments(options.arguments() << QStringLiteral("--nats-server") << natsUrl);
    m_process.setWorkingDirectory(m_workDir.path()); // no stray .env
    killWithParent(m_process);
    m_process.start();
    if (!m_process.waitForStarted(Timeout)) {
        m_error = QStringLiteral("cannot run %1: %2").arg(program, m_process.errorString());
        return false;
    }
    const auto printed = [&] {
        readEventLines();
        return !isRunning() || m_eventIds.size() >= options.events;
    };
    if (QTest::qWaitFor(printed, Timeout) && m_eventIds.size() == options.events)
        return true;
    m_error = QStringLiteral("reservo-events-sim printed %1 of %2 event lines; output:\n%3")
                  .arg(m_eventIds.size())
                  .arg(options.events)
                  .arg(QString::fromLocal8Bit(output()));
    return false;
}

bool SimProcess::stop()
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

QList<QJsonObject> SimProcess::describeEvents(const Options &options, QString *error)
{
    QProcess process;
    process.setProgram(simProgram(error));
    if (process.program().isEmpty())
        return {};
    process.setArguments(options.arguments() << QStringLiteral("--print-events"));
    killWithParent(process);
    process.start();
    if (!process.waitForFinished(Timeout) || process.exitCode() != 0) {
        if (error)
            *error = QStringLiteral("reservo-events-sim --print-events failed: %1")
                         .arg(QString::fromLocal8Bit(process.readAllStandardError()));
        process.kill();
        process.waitForFinished(Timeout);
        return {};
    }
    QList<QJsonObject> events;
    for (const QByteArray &line : process.readAllStandardOutput().split('\n')) {
        if (!line.trimmed().isEmpty())
            events.append(QJsonDocument::fromJson(line).object());
    }
    return events;
}

bool SimProcess::waitUntilAnswering()
{
    return waitForLogLine("answering events.get.id");
}

bool SimProcess::waitUntilPublished(qint64 count)
{
    return waitForLogLine("published " + QByteArray::number(count) + " changes");
}

bool SimProcess::hasFinishedPublishing()
{
    return output().contains("changes; still answering requests");
}

bool SimProcess::waitForLogLine(const QByteArray &text)
{
    if (QTest::qWaitFor([&] { return output().contains(text) || !isRunning(); }, Timeout) &&
        m_log.contains(text))
        return true;
    m_error = QStringLiteral("reservo-events-sim did not log \"%1\" within %2 ms")
                  .arg(QString::fromLatin1(text))
                  .arg(Timeout);
    return false;
}

QByteArray SimProcess::output()
{
    readEventLines();
    m_log += m_process.readAllStandardError();
    return m_stdout + m_log;
}

void SimProcess::readEventLines()
{
    m_stdout += m_process.readAllStandardOutput();
    QStringList ids;
    const QList<QByteArray> lines = m_stdout.split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the last piece may be an unfinished line
        const QList<QByteArray> fields = lines[i].split(' ');
        if (fields.size() == 4 && fields[0] == "event")
            ids.append(QString::fromLatin1(fields[1]));
    }
    m_eventIds = ids;
}

void SimProcess::printOutputIfFailed()
{
    if (QTest::currentTestFailed())
        qWarning().noquote() << "reservo-events-sim output:\n" << QString::fromLocal8Bit(output());
}

} // namespace Reservo::Test
