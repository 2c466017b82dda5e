// SPDX-License-Identifier: MIT
#include "childprocess.h"

#include <QFile>
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
    static Result run(const Environment &environment, const QStringList &arguments,
                      const QByteArray &dotEnv = {});
};

tst_Startup::Result tst_Startup::run(const Environment &environment, const QStringList &arguments,
                                     const QByteArray &dotEnv)
{
    QTemporaryDir workDir; // no stray .env but this one
    QFile file(workDir.filePath(QStringLiteral(".env")));
    if (!dotEnv.isEmpty() && (!file.open(QIODevice::WriteOnly) || file.write(dotEnv) < 0))
        return {};
    file.close();
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
    QTest::addColumn<QByteArray>("dotEnv");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("named");
    const auto env = [](const char *name, const Environment &environment, const char *named) {
        QTest::newRow(name) << environment << QByteArray() << QStringList() << QByteArray(named);
    };
    env("socket writes", {{"RESERVO_SOCKET_WRITES", "sendfile"}}, "RESERVO_SOCKET_WRITES");
    env("socket writes, upper case", {{"RESERVO_SOCKET_WRITES", "IO_URING"}},
        "RESERVO_SOCKET_WRITES");
    env("event dispatcher", {{"RESERVO_EVENT_DISPATCHER", "glib"}}, "RESERVO_EVENT_DISPATCHER");
    env("port in the environment", {{"PORT", "http"}}, "PORT");
    QTest::newRow("port in .env") << Environment() << QByteArray("PORT=http\n") << QStringList()
                                  << QByteArray("PORT=http (from .env)");
    QTest::newRow("event dispatcher in .env")
        << Environment() << QByteArray("RESERVO_EVENT_DISPATCHER=glib\n") << QStringList()
        << QByteArray("RESERVO_EVENT_DISPATCHER=glib (from .env)");
    QTest::newRow("broken .env") << Environment() << QByteArray("PORT 3000\n") << QStringList()
                                 << QByteArray(".env line 1");
    QTest::newRow("worker threads flag")
        << Environment() << QByteArray() << QStringList{"--worker-threads", "-1"}
        << QByteArray("WORKER_THREADS=-1 (from --worker-threads)");
    QTest::newRow("unknown flag") << Environment() << QByteArray() << QStringList{"--prot", "1"}
                                  << QByteArray("--prot");
}

void tst_Startup::invalidSettingStops()
{
    QFETCH(Environment, environment);
    QFETCH(QByteArray, dotEnv);
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, named);
    const Result r = run(environment, arguments, dotEnv);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.stdErr.startsWith("reservo-ws: "), r.stdErr.constData());
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
