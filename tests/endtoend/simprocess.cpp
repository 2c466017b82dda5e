// SPDX-License-Identifier: MIT
#include "simprocess.h"

#include <QJsonDocument>

namespace Reservo::Test {

namespace {
const QString SimVariable = QStringLiteral("RESERVO_SIM_EXE");
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
    m_process.kill(); // before its working directory goes
}

bool SimProcess::start(const QString &natsUrl, const Options &options)
{
    if (!m_process.findProgram(SimVariable)) {
        m_error = m_process.errorString();
        return false;
    }
    m_process.clearOutput();
    m_eventIds.clear();
    m_process.setWorkingDirectory(m_workDir.path()); // no stray .env
    if (!m_process.start(options.arguments() << QStringLiteral("--nats-server") << natsUrl)) {
        m_error = m_process.errorString();
        return false;
    }
    const auto printed = [&] {
        readEventLines();
        return m_eventIds.size() >= options.events;
    };
    if (!m_process.waitUntil(printed, QStringLiteral("%1 event lines").arg(options.events))) {
        m_error = m_process.errorString();
        return false;
    }
    if (m_eventIds.size() == options.events)
        return true;
    m_error = QStringLiteral("reservo-events-sim printed %1 event lines, not %2; output:\n%3")
                  .arg(m_eventIds.size())
                  .arg(options.events)
                  .arg(QString::fromLocal8Bit(output()));
    return false;
}

bool SimProcess::stop()
{
    if (!m_process.stop())
        m_error = m_process.errorString(); // killed: it is gone all the same
    return !isRunning();
}

QList<QJsonObject> SimProcess::describeEvents(const Options &options, QString *error)
{
    ChildProcess process(QStringLiteral("reservo-events-sim --print-events"));
    const bool ran = process.findProgram(SimVariable) &&
                     process.start(options.arguments() << QStringLiteral("--print-events")) &&
                     process.waitForExit();
    if (!ran || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        if (error)
            *error = ran ? QStringLiteral("reservo-events-sim --print-events failed: %1")
                               .arg(QString::fromLocal8Bit(process.standardError()))
                         : process.errorString();
        return {};
    }
    QList<QJsonObject> events;
    for (const QByteArray &line : process.standardOutput().split('\n')) {
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
    const auto logged = [&] { return m_process.standardError().contains(text); };
    if (m_process.waitUntil(logged,
                            QStringLiteral("the log line \"%1\"").arg(QString::fromLatin1(text))))
        return true;
    m_error = m_process.errorString();
    return false;
}

void SimProcess::readEventLines()
{
    QStringList ids;
    const QList<QByteArray> lines = m_process.standardOutput().split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i) { // the last piece may be an unfinished line
        const QList<QByteArray> fields = lines[i].split(' ');
        if (fields.size() == 4 && fields[0] == "event")
            ids.append(QString::fromLatin1(fields[1]));
    }
    m_eventIds = ids;
}

} // namespace Reservo::Test
