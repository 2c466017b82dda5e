// SPDX-License-Identifier: MIT
// ChildProcess with real children (sh, cat, sleep): what a test fixture relies on when it starts
// a server. Above all, stop() is bounded even for a process that ignores SIGTERM.
#include "childprocess.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace Reservo::Test;

namespace {
constexpr int GraceMs = 500;

// A shell that runs `script` (via findProgram's PATH lookup, as fixtures find nats-server).
bool startShell(ChildProcess &process, const QString &script)
{
    return process.findProgram({}, QStringLiteral("sh")) &&
           process.start({QStringLiteral("-c"), script});
}
} // namespace

class tst_ChildProcess : public QObject
{
    Q_OBJECT

private slots:
    void findsProgram_data();
    void findsProgram();
    void stopEndsAProcessThatHonoursSigterm();
    void stopKillsAProcessThatIgnoresSigterm();
    void killEndsAProcessAtOnce();
    void waitUntilSeesOutput();
    void waitUntilEndsWhenTheProcessExits();
    void waitUntilIsBounded();
    void runsWithEnvironmentDirectoryAndInput();
    void missingProgramCannotStart();
};

void tst_ChildProcess::findsProgram_data()
{
    QTest::addColumn<QString>("variableValue"); // empty: unset
    QTest::addColumn<QString>("fallback");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("error");
    QTest::newRow("variable wins") << "/bin/true"
                                   << "sh" << true << "";
    QTest::newRow("fallback on PATH") << ""
                                      << "sh" << true << "";
    QTest::newRow("variable only, unset")
        << ""
        << "" << false << "TST_CHILD_EXE is not set: run the test through ctest";
    QTest::newRow("neither") << ""
                             << "no-such-program-here" << false
                             << "no-such-program-here not found: install it or set TST_CHILD_EXE";
}

void tst_ChildProcess::findsProgram()
{
    QFETCH(QString, variableValue);
    QFETCH(QString, fallback);
    QFETCH(bool, found);
    QFETCH(QString, error);
    if (variableValue.isEmpty())
        qunsetenv("TST_CHILD_EXE");
    else
        qputenv("TST_CHILD_EXE", variableValue.toUtf8());
    ChildProcess process(QStringLiteral("child"));
    QCOMPARE(process.findProgram(QStringLiteral("TST_CHILD_EXE"), fallback), found);
    QCOMPARE(process.errorString(), error);
    if (!variableValue.isEmpty())
        QCOMPARE(process.program(), variableValue);
    else if (found)
        QVERIFY2(process.program().endsWith(QStringLiteral("/sh")), qPrintable(process.program()));
    qunsetenv("TST_CHILD_EXE");
}

void tst_ChildProcess::stopEndsAProcessThatHonoursSigterm()
{
    ChildProcess process(QStringLiteral("sleeper"));
    QVERIFY2(startShell(process, QStringLiteral("exec sleep 30")),
             qPrintable(process.errorString()));
    QVERIFY(process.isRunning());
    QVERIFY2(process.stop(Timeout), qPrintable(process.errorString()));
    QVERIFY(!process.isRunning());
    QCOMPARE(process.errorString(), QString());
}

void tst_ChildProcess::stopKillsAProcessThatIgnoresSigterm()
{
    ChildProcess process(QStringLiteral("stubborn"));
    // exec keeps the ignored disposition, so the sleep itself ignores SIGTERM: no grandchild.
    QVERIFY2(startShell(process, QStringLiteral("trap '' TERM; echo ready; exec sleep 30")),
             qPrintable(process.errorString()));
    QVERIFY2(process.waitUntil([&] { return process.standardOutput().contains("ready\n"); },
                               QStringLiteral("its ready line")),
             qPrintable(process.errorString()));
    QElapsedTimer clock;
    clock.start();

    QVERIFY(!process.stop(GraceMs));

    const qint64 tookMs = clock.elapsed();
    qInfo("stop() of a child that ignores SIGTERM took %lld ms (grace %d ms)", tookMs, GraceMs);
    QVERIFY(!process.isRunning());
    QCOMPARE(process.exitStatus(), QProcess::CrashExit); // SIGKILL, not an exit of its own
    QCOMPARE(process.errorString(),
             QStringLiteral("stubborn still running %1 ms after SIGTERM: killed").arg(GraceMs));
    // It did wait the grace period, and then no longer than the kill takes: far from the 30 s
    // the child would have slept.
    QVERIFY2(tookMs >= GraceMs && tookMs < GraceMs + 5000, qPrintable(QString::number(tookMs)));
}

void tst_ChildProcess::killEndsAProcessAtOnce()
{
    ChildProcess process(QStringLiteral("sleeper"));
    QVERIFY2(startShell(process, QStringLiteral("trap '' TERM; exec sleep 30")),
             qPrintable(process.errorString()));
    QVERIFY(process.kill());
    QVERIFY(!process.isRunning());
    QCOMPARE(process.exitStatus(), QProcess::CrashExit);
}

void tst_ChildProcess::waitUntilSeesOutput()
{
    ChildProcess process(QStringLiteral("talker"));
    QVERIFY2(startShell(process, QStringLiteral("echo out; echo err >&2; exec sleep 30")),
             qPrintable(process.errorString()));
    QVERIFY2(
        process.waitUntil(
            [&] { return process.output().contains("out") && process.output().contains("err"); },
            QStringLiteral("both lines")),
        qPrintable(process.errorString()));
    QCOMPARE(process.standardOutput(), QByteArray("out\n"));
    QCOMPARE(process.standardError(), QByteArray("err\n"));
    process.clearOutput();
    QCOMPARE(process.output(), QByteArray());
}

void tst_ChildProcess::waitUntilEndsWhenTheProcessExits()
{
    ChildProcess process(QStringLiteral("quitter"));
    QVERIFY2(startShell(process, QStringLiteral("echo giving up; exit 3")),
             qPrintable(process.errorString()));
    QElapsedTimer clock;
    clock.start();
    QVERIFY(!process.waitUntil([] { return false; }, QStringLiteral("a miracle")));
    QVERIFY2(clock.elapsed() < Timeout / 2, "waited on after the process had exited");
    QCOMPARE(process.errorString(), QStringLiteral("quitter exited with code 3 while waiting for "
                                                   "a miracle; output:\ngiving up\n"));
}

void tst_ChildProcess::waitUntilIsBounded()
{
    ChildProcess process(QStringLiteral("sleeper"));
    QVERIFY2(startShell(process, QStringLiteral("exec sleep 30")),
             qPrintable(process.errorString()));
    QVERIFY(!process.waitUntil([] { return false; }, QStringLiteral("a miracle"), GraceMs));
    QVERIFY(process.isRunning()); // a failed wait leaves the process to its owner
    QCOMPARE(
        process.errorString(),
        QStringLiteral("sleeper: still waiting for a miracle after %1 ms; no output").arg(GraceMs));
    QVERIFY(!process.waitForExit(GraceMs));
    QVERIFY(process.errorString().startsWith(QStringLiteral("sleeper still running after")));
}

void tst_ChildProcess::runsWithEnvironmentDirectoryAndInput()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("PATH"), qEnvironmentVariable("PATH"));
    environment.insert(QStringLiteral("GREETING"), QStringLiteral("hello"));
    ChildProcess process(QStringLiteral("echoer"));
    process.setEnvironment(environment);
    process.setWorkingDirectory(dir.path());
    process.setInput("from stdin\n");
    process.setChannelMode(QProcess::MergedChannels);
    QVERIFY2(startShell(process, QStringLiteral("echo \"$GREETING\"; pwd; cat; echo done >&2")),
             qPrintable(process.errorString()));
    QVERIFY2(process.waitForExit(), qPrintable(process.errorString()));
    QCOMPARE(process.exitStatus(), QProcess::NormalExit);
    QCOMPARE(process.exitCode(), 0);
    QCOMPARE(process.standardOutput(), "hello\n" +
                                           QFileInfo(dir.path()).canonicalFilePath().toUtf8() +
                                           "\nfrom stdin\ndone\n");
    QCOMPARE(process.standardError(), QByteArray());
}

void tst_ChildProcess::missingProgramCannotStart()
{
    ChildProcess process(QStringLiteral("ghost"));
    process.setProgram(QStringLiteral("/no/such/program"));
    QVERIFY(!process.start());
    QVERIFY2(process.errorString().startsWith(QStringLiteral("cannot run /no/such/program: ")),
             qPrintable(process.errorString()));
    QVERIFY(!process.isRunning());
    QVERIFY(process.stop()); // nothing to stop
}

QTEST_GUILESS_MAIN(tst_ChildProcess)
#include "tst_childprocess.moc"
