// SPDX-License-Identifier: MIT
#include "childprocess.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Reservo::Test;
using Environment = QMap<QString, QString>;

// How reservo-ws starts, or refuses to: an invalid setting stops it with exit code 2 and one line
// naming the setting, before it listens or connects to anything; --help lists every setting.
class tst_Startup : public QObject
{
    Q_OBJECT

private slots:
    void invalidSettingStops_data();
    void invalidSettingStops();
    void helpNamesTheEnvironmentSwitches();

private:
    struct Result
    {
        int exitCode = -1;
        QByteArray stdOut;
        QByteArray stdErr;
    };
    static Result run(const Environment &environment, const QStringList &arguments);
};

tst_Startup::Result tst_Startup::run(const Environment &environment, const QStringList &arguments)
{
    QTemporaryDir workDir; // no stray .env
    ChildProcess process(QStringLiteral("reservo-ws"));
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (auto it = environment.cbegin(); it != environment.cend(); ++it)
        env.insert(it.key(), it.value());
    process.setEnvironment(env);
    process.setWorkingDirectory(workDir.path());
    if (!process.findProgram(QStringLiteral("RESERVO_WS_EXE")) || !process.start(arguments) ||
        !process.waitForExit()) {
        qWarning().noquote() << process.errorString();
        return {};
    }
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1,
            process.standardOutput(), process.standardError()};
}

void tst_Startup::invalidSettingStops_data()
{
    QTest::addColumn<Environment>("environment");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("named");
    QTest::newRow("socket writes") << Environment{{"RESERVO_SOCKET_WRITES", "sendfile"}}
                                   << QStringList{} << QByteArray("RESERVO_SOCKET_WRITES");
    QTest::newRow("socket writes, upper case")
        << Environment{{"RESERVO_SOCKET_WRITES", "IO_URING"}} << QStringList{}
        << QByteArray("RESERVO_SOCKET_WRITES");
    QTest::newRow("event dispatcher") << Environment{{"RESERVO_EVENT_DISPATCHER", "glib"}}
                                      << QStringList{} << QByteArray("RESERVO_EVENT_DISPATCHER");
    QTest::newRow("port in the environment")
        << Environment{{"PORT", "http"}} << QStringList{} << QByteArray("PORT");
    QTest::newRow("worker threads flag")
        << Environment{} << QStringList{"--worker-threads", "-1"} << QByteArray("WORKER_THREADS");
}

void tst_Startup::invalidSettingStops()
{
    QFETCH(Environment, environment);
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, named);
    const Result r = run(environment, arguments);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.contains(named), r.stdErr.constData());
    QCOMPARE(r.stdErr.count('\n'), 1); // one clear line
    QVERIFY(r.stdOut.isEmpty());
}

void tst_Startup::helpNamesTheEnvironmentSwitches()
{
    const Result r = run({}, {"--help"});
    QCOMPARE(r.exitCode, 0);
    for (const char *name : {"--port", "WORKER_THREADS", "RESERVO_EVENT_DISPATCHER",
                             "RESERVO_SOCKET_WRITES", "io_uring|send"})
        QVERIFY2(r.stdOut.contains(name), name);
}

QTEST_GUILESS_MAIN(tst_Startup)
#include "tst_startup.moc"
