// SPDX-License-Identifier: MIT
#include "serverprobe.h"

#include <QTest>
#include <unistd.h>

using namespace Reservo::Bench;

// Reading a process's CPU time and RSS from /proc text, command names with spaces included.
class tst_ServerProbe : public QObject
{
    Q_OBJECT

private slots:
    void parseStat();
    void parseStatus();
    void rejectsGarbage();
    void samplesItself();
};

void tst_ServerProbe::parseStat()
{
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
    // stime cutime cstime priority nice num_threads ...
    const char *stat = "4242 (reservo (ws) x) S 1 4242 4242 0 -1 4194560 1500 0 0 0 "
                       "250 50 0 0 20 0 9 0 12345 100000000 5000";
    ServerProbe::Sample s;
    QVERIFY(ServerProbe::parseStat(stat, 100, s));
    QCOMPARE(s.cpuUs, qint64(3'000'000)); // (250 + 50) ticks at 100 Hz
    QCOMPARE(s.threads, 9);
}

void tst_ServerProbe::parseStatus()
{
    const char *status = "Name:\treservo-ws\nVmPeak:\t  999 kB\nVmHWM:\t   51200 kB\n"
                         "VmRSS:\t   40960 kB\nThreads:\t9\n";
    ServerProbe::Sample s;
    QVERIFY(ServerProbe::parseStatus(status, s));
    QCOMPARE(s.rssKb, qint64(40960));
    QCOMPARE(s.hwmKb, qint64(51200));
}

void tst_ServerProbe::rejectsGarbage()
{
    ServerProbe::Sample s;
    QVERIFY(!ServerProbe::parseStat("no parenthesis here", 100, s));
    QVERIFY(!ServerProbe::parseStat("1 (x) S 1 2", 100, s));
    QVERIFY(!ServerProbe::parseStatus("Name:\tx\n", s));
}

void tst_ServerProbe::samplesItself()
{
    const ServerProbe probe(::getpid());
    const ServerProbe::Sample s = probe.sample();
    QVERIFY(s.ok);
    QVERIFY(s.rssKb > 0);
    QVERIFY(s.threads >= 1);
    QVERIFY(!ServerProbe(0).sample().ok);
}

QTEST_GUILESS_MAIN(tst_ServerProbe)
#include "tst_serverprobe.moc"
