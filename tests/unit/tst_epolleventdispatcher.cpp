// SPDX-License-Identifier: MIT
#include "epolleventdispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QPointer>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSocketNotifier>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <QWebSocket>
#include <QWebSocketServer>

#include <atomic>
#include <memory>
#include <sys/socket.h>
#include <unistd.h>

using namespace Reservo;

namespace {
// A connected AF_UNIX stream pair: fds[0] is watched, fds[1] written to.
struct SocketPair
{
    int fds[2] = {-1, -1};
    SocketPair() { ::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds); }
    ~SocketPair()
    {
        for (const int fd : fds)
            if (fd >= 0)
                ::close(fd);
    }
    bool send(const QByteArray &data = "x")
    {
        return ::write(fds[1], data.data(), data.size()) > 0;
    }
    QByteArray drain()
    {
        QByteArray all;
        char chunk[4096];
        for (ssize_t n; (n = ::read(fds[0], chunk, sizeof chunk)) > 0;)
            all.append(chunk, n);
        return all;
    }
};

// Runs the event loop for `ms`: how these tests see that something did not happen.
void runLoopFor(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

QAbstractEventDispatcher *dispatcher()
{
    return QAbstractEventDispatcher::instance();
}

// Records the user events it receives, in order.
class EventRecorder : public QObject
{
public:
    QList<int> seen;
    bool event(QEvent *e) override
    {
        if (e->type() < QEvent::User)
            return QObject::event(e);
        seen.append(e->type() - QEvent::User);
        return true;
    }
};
} // namespace

// Reservo::EpollEventDispatcher, installed for this test's QCoreApplication: Qt's timers, socket
// notifiers, posted events, nested loops and threads, and real TCP and WebSocket traffic on it.
class tst_EpollEventDispatcher : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void singleShotTimer_data();
    void singleShotTimer();
    void repeatingTimer_data();
    void repeatingTimer();
    void zeroTimerDoesNotStarve();
    void stopOtherTimerFromInside();
    void restartTimerFromInside();
    void manyTimersFireInDeadlineOrder();
    void remainingTime();
    void registeredTimers_data();
    void registeredTimers();
    void readReadinessIsLevelTriggered();
    void writeReadiness();
    void disableAndEnable();
    void deleteNotifiersInsideActivation();
    void descriptorReusedInsideActivation();
    void twoNotifiersOnOneDescriptor();
    void regularFileIsAlwaysReady();
    void processEventsFlags_data();
    void processEventsFlags();
    void postedEventsInOrder();
    void deleteLater();
    void wakeUpFromAnotherThread_data();
    void wakeUpFromAnotherThread();
    void nestedEventLoops();
    void timerDoesNotRecurseIntoNestedLoop();
    void aboutToBlockAndAwake();
    void tcpRoundTrip();
    void webSocketEcho();
    void threadRunsDispatcher();
};

void tst_EpollEventDispatcher::initTestCase()
{
    QVERIFY(qobject_cast<EpollEventDispatcher *>(dispatcher()));
}

void tst_EpollEventDispatcher::singleShotTimer_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::addColumn<int>("earliest"); // ms: a coarse timer may be 5% early, a very coarse 0.5 s
    QTest::newRow("precise 0") << 0 << Qt::PreciseTimer << 0;
    QTest::newRow("precise 1") << 1 << Qt::PreciseTimer << 1;
    QTest::newRow("precise 30") << 30 << Qt::PreciseTimer << 30;
    QTest::newRow("coarse 10") << 10 << Qt::CoarseTimer << 10;
    QTest::newRow("coarse 100") << 100 << Qt::CoarseTimer << 95;
    QTest::newRow("coarse 250") << 250 << Qt::CoarseTimer << 237;
    QTest::newRow("very coarse 1000") << 1000 << Qt::VeryCoarseTimer << 500;
}

void tst_EpollEventDispatcher::singleShotTimer()
{
    QFETCH(int, interval);
    QFETCH(Qt::TimerType, type);
    QFETCH(int, earliest);
    QTimer timer;
    timer.setSingleShot(true);
    timer.setTimerType(type);
    QSignalSpy spy(&timer, &QTimer::timeout);
    QElapsedTimer clock;
    clock.start();
    timer.start(interval);
    QVERIFY(spy.wait(10000));
    QVERIFY2(clock.elapsed() >= earliest, qPrintable(QString::number(clock.elapsed())));
    runLoopFor(interval + 20);
    QCOMPARE(spy.count(), 1);
}

void tst_EpollEventDispatcher::repeatingTimer_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("zero") << 0 << Qt::PreciseTimer;
    QTest::newRow("precise 5") << 5 << Qt::PreciseTimer;
    QTest::newRow("coarse 40") << 40 << Qt::CoarseTimer;
}

void tst_EpollEventDispatcher::repeatingTimer()
{
    QFETCH(int, interval);
    QFETCH(Qt::TimerType, type);
    QTimer timer;
    timer.setTimerType(type);
    int fired = 0;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++fired == 5)
            timer.stop();
    });
    QElapsedTimer clock;
    clock.start();
    timer.start(interval);
    QTRY_COMPARE_WITH_TIMEOUT(fired, 5, 10000);
    QVERIFY(clock.elapsed() >= 4 * interval * 95 / 100);
    runLoopFor(2 * interval + 10);
    QCOMPARE(fired, 5);
}

void tst_EpollEventDispatcher::zeroTimerDoesNotStarve()
{
    QTimer zero; // re-armed on every pass: sockets, posted events and other timers must still run
    int zeroFired = 0;
    bool socketSeen = false, postedSeen = false, timerSeen = false;
    QEventLoop loop;
    const auto check = [&] {
        if (socketSeen && postedSeen && timerSeen)
            loop.quit();
    };
    connect(&zero, &QTimer::timeout, this, [&] { ++zeroFired; });
    zero.start(0);
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        pair.drain();
        socketSeen = true;
        check();
    });
    QMetaObject::invokeMethod(
        this,
        [&] {
            postedSeen = true;
            check();
        },
        Qt::QueuedConnection);
    QTimer::singleShot(20, this, [&] {
        timerSeen = true;
        check();
    });
    QVERIFY(pair.send());
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    loop.exec();
    QVERIFY(socketSeen);
    QVERIFY(postedSeen);
    QVERIFY(timerSeen);
    QVERIFY(zeroFired > 0);
}

void tst_EpollEventDispatcher::stopOtherTimerFromInside()
{
    // a and b are due in the same pass; whichever fires first stops the other and starts c,
    // which is likely to get the id just freed: neither b nor c may fire in that pass.
    QTimer a, b, c;
    for (QTimer *t : {&a, &b, &c})
        t->setTimerType(Qt::PreciseTimer);
    int firstFired = 0, cFired = 0;
    QElapsedTimer sinceC;
    const auto first = [&] {
        ++firstFired;
        a.stop();
        b.stop();
        sinceC.start();
        c.start(40);
    };
    connect(&a, &QTimer::timeout, this, first);
    connect(&b, &QTimer::timeout, this, first);
    connect(&c, &QTimer::timeout, this, [&] {
        ++cFired;
        c.stop();
        QVERIFY2(sinceC.elapsed() >= 40, qPrintable(QString::number(sinceC.elapsed())));
    });
    a.start(5);
    b.start(5);
    QTRY_COMPARE_WITH_TIMEOUT(cFired, 1, 10000);
    runLoopFor(20);
    QCOMPARE(firstFired, 1);
    QCOMPARE(cFired, 1);
}

void tst_EpollEventDispatcher::restartTimerFromInside()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    QList<qint64> firedAt;
    QElapsedTimer clock;
    connect(&timer, &QTimer::timeout, this, [&] {
        firedAt.append(clock.elapsed());
        if (firedAt.size() == 1)
            timer.start(50); // restarted inside its own event: counts from now, not from before
        else
            timer.stop();
    });
    clock.start();
    timer.start(5);
    QTRY_COMPARE_WITH_TIMEOUT(firedAt.size(), 2, 10000);
    QVERIFY2(firedAt[1] - firedAt[0] >= 49, qPrintable(QString::number(firedAt[1] - firedAt[0])));
    runLoopFor(60);
    QCOMPARE(firedAt.size(), 2);
}

void tst_EpollEventDispatcher::manyTimersFireInDeadlineOrder()
{
    // 100 distinct intervals in scrambled order, then 20 equal ones: expected deadlines are
    // measured just before each start, so a preempted registration loop cannot fail the test.
    struct Fired
    {
        qint64 deadlineUs;
        int startOrder;
    };
    std::vector<std::unique_ptr<QTimer>> timers;
    QList<Fired> fired;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < 120; ++i) {
        const int interval = i < 100 ? (i * 37) % 100 * 2 + 1 : 150;
        auto timer = std::make_unique<QTimer>();
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        const qint64 deadlineUs = clock.nsecsElapsed() / 1000 + interval * 1000;
        connect(timer.get(), &QTimer::timeout, this, [&fired, deadlineUs, i] {
            fired.append({deadlineUs, i});
        });
        timer->start(interval);
        timers.push_back(std::move(timer));
    }
    QTRY_COMPARE_WITH_TIMEOUT(fired.size(), 120, 20000);
    for (int i = 1; i < fired.size(); ++i) {
        const Fired &before = fired[i - 1], &after = fired[i];
        QVERIFY2(before.deadlineUs <= after.deadlineUs + 1000,
                 qPrintable(QStringLiteral("timer %1 fired before %2")
                                .arg(before.startOrder)
                                .arg(after.startOrder)));
        if (before.startOrder >= 100 && after.startOrder >= 100)
            QVERIFY(before.startOrder < after.startOrder); // equal intervals: in start order
    }
}

void tst_EpollEventDispatcher::remainingTime()
{
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.start(1000);
    const int left = timer.remainingTime();
    QVERIFY2(left > 500 && left <= 1000, qPrintable(QString::number(left)));
    timer.stop();
    QCOMPARE(timer.remainingTime(), -1);

    QObject object;
    const int id = dispatcher()->registerTimer(0, Qt::PreciseTimer, &object);
    QCOMPARE(dispatcher()->remainingTime(id), 0); // due: nothing left
    QVERIFY(dispatcher()->unregisterTimer(id));
    QVERIFY(!dispatcher()->unregisterTimer(id));
    QCOMPARE(dispatcher()->remainingTime(id), -1);
}

void tst_EpollEventDispatcher::registeredTimers_data()
{
    QTest::addColumn<int>("interval");
    QTest::addColumn<Qt::TimerType>("type");
    QTest::newRow("precise") << 50 << Qt::PreciseTimer;
    QTest::newRow("coarse") << 1000 << Qt::CoarseTimer;
    QTest::newRow("coarse, long") << 25000 << Qt::CoarseTimer;
    QTest::newRow("very coarse") << 30000 << Qt::VeryCoarseTimer;
}

void tst_EpollEventDispatcher::registeredTimers()
{
    QFETCH(int, interval);
    QFETCH(Qt::TimerType, type);
    QObject object, other;
    const int id = object.startTimer(interval, type);
    const int otherId = other.startTimer(10, Qt::PreciseTimer);
    const QList<QAbstractEventDispatcher::TimerInfo> timers =
        dispatcher()->registeredTimers(&object);
    QCOMPARE(timers.size(), 1);
    QCOMPARE(timers[0].timerId, id);
    QCOMPARE(timers[0].interval, interval);
    QCOMPARE(timers[0].timerType, type);
    const int left = dispatcher()->remainingTime(id);
    QVERIFY2(left >= interval * 95 / 100 - 500 && left <= interval + 1000,
             qPrintable(QString::number(left)));

    QVERIFY(dispatcher()->unregisterTimers(&object));
    QVERIFY(dispatcher()->registeredTimers(&object).isEmpty());
    QCOMPARE(dispatcher()->remainingTime(id), -1);
    QCOMPARE(dispatcher()->registeredTimers(&other).size(), 1);
    object.killTimer(id);
    other.killTimer(otherId);
    QVERIFY(dispatcher()->registeredTimers(&other).isEmpty());
}

void tst_EpollEventDispatcher::readReadinessIsLevelTriggered()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this,
            [&](QSocketDescriptor socket, QSocketNotifier::Type type) {
                QCOMPARE(qintptr(socket), qintptr(pair.fds[0]));
                QCOMPARE(type, QSocketNotifier::Read);
                ++activations;
            });
    runLoopFor(10);
    QCOMPARE(activations, 0);
    QVERIFY(pair.send("abc"));
    QTRY_VERIFY(activations >= 3); // nothing read: reported again on every pass, as by poll()
    QCOMPARE(pair.drain(), QByteArray("abc"));
    activations = 0;
    runLoopFor(20);
    QCOMPARE(activations, 0);
}

void tst_EpollEventDispatcher::writeReadiness()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Write);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        ++activations;
        notifier.setEnabled(false); // as QAbstractSocket does once its buffer is flushed
    });
    QTRY_COMPARE(activations, 1);
    runLoopFor(20);
    QCOMPARE(activations, 1);
    notifier.setEnabled(true);
    QTRY_COMPARE(activations, 2);
}

void tst_EpollEventDispatcher::disableAndEnable()
{
    SocketPair pair;
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] { ++activations; });
    notifier.setEnabled(false);
    QVERIFY(pair.send());
    runLoopFor(20);
    QCOMPARE(activations, 0);
    // Many toggles within one pass, as on a busy write path: only the last state counts.
    for (int i = 0; i < 1000; ++i)
        notifier.setEnabled(i % 2 == 0);
    QVERIFY(!notifier.isEnabled());
    runLoopFor(20);
    QCOMPARE(activations, 0);
    notifier.setEnabled(true);
    QTRY_VERIFY(activations > 0);
    notifier.setEnabled(false);
    activations = 0;
    runLoopFor(20);
    QCOMPARE(activations, 0);
}

void tst_EpollEventDispatcher::deleteNotifiersInsideActivation()
{
    // Read and write are ready in the same epoll event; the read handler deletes both.
    SocketPair pair;
    QVERIFY(pair.send());
    auto *read = new QSocketNotifier(pair.fds[0], QSocketNotifier::Read);
    auto *write = new QSocketNotifier(pair.fds[0], QSocketNotifier::Write);
    int reads = 0, writes = 0;
    connect(read, &QSocketNotifier::activated, this, [&] {
        ++reads;
        delete write;
        delete read;
    });
    connect(write, &QSocketNotifier::activated, this, [&] { ++writes; });
    QTRY_COMPARE(reads, 1);
    runLoopFor(20);
    QCOMPARE(reads, 1);
    QCOMPARE(writes, 0);
}

void tst_EpollEventDispatcher::descriptorReusedInsideActivation()
{
    // Two readable pairs reported in one batch. The first handler to run closes the other pair
    // and opens a new one, which gets the freed descriptor numbers: the old pair's event still
    // in the batch must not reach the new, idle socket's notifier.
    auto first = std::make_unique<SocketPair>(), second = std::make_unique<SocketPair>();
    QVERIFY(first->send());
    QVERIFY(second->send());
    std::unique_ptr<SocketPair> fresh;
    std::unique_ptr<QSocketNotifier> notifiers[2], freshNotifier;
    int oldActivations = 0, freshActivations = 0;
    for (int i = 0; i < 2; ++i) {
        auto &mine = i == 0 ? first : second, &theirs = i == 0 ? second : first;
        notifiers[i] = std::make_unique<QSocketNotifier>(mine->fds[0], QSocketNotifier::Read);
        connect(notifiers[i].get(), &QSocketNotifier::activated, this,
                [&, i, &mine = mine, &theirs = theirs] {
                    ++oldActivations;
                    mine->drain();
                    if (fresh)
                        return;
                    const int freedNumber = theirs->fds[0];
                    notifiers[1 - i]->setEnabled(false);
                    theirs.reset();
                    fresh = std::make_unique<SocketPair>();
                    QCOMPARE(fresh->fds[0], freedNumber);
                    freshNotifier =
                        std::make_unique<QSocketNotifier>(fresh->fds[0], QSocketNotifier::Read);
                    connect(freshNotifier.get(), &QSocketNotifier::activated, this, [&] {
                        ++freshActivations;
                        fresh->drain();
                    });
                });
    }
    QTRY_VERIFY(freshNotifier);
    runLoopFor(20);
    QCOMPARE(oldActivations, 1);
    QCOMPARE(freshActivations, 0);
    QVERIFY(fresh->send());
    QTRY_COMPARE(freshActivations, 1);
}

void tst_EpollEventDispatcher::twoNotifiersOnOneDescriptor()
{
    SocketPair pair;
    auto read = std::make_unique<QSocketNotifier>(pair.fds[0], QSocketNotifier::Read);
    QSocketNotifier write(pair.fds[0], QSocketNotifier::Write);
    int reads = 0, writes = 0;
    connect(read.get(), &QSocketNotifier::activated, this, [&] {
        ++reads;
        pair.drain();
    });
    connect(&write, &QSocketNotifier::activated, this, [&] {
        ++writes;
        write.setEnabled(false);
    });
    QTRY_COMPARE(writes, 1);
    QCOMPARE(reads, 0);
    QVERIFY(pair.send());
    QTRY_COMPARE(reads, 1);
    write.setEnabled(true); // read stays registered while write comes and goes
    QTRY_COMPARE(writes, 2);
    QVERIFY(pair.send());
    QTRY_COMPARE(reads, 2);
    read.reset(); // write alone keeps working
    write.setEnabled(true);
    QTRY_COMPARE(writes, 3);
    QCOMPARE(reads, 2);
}

void tst_EpollEventDispatcher::regularFileIsAlwaysReady()
{
    // epoll refuses regular files; poll() calls them always ready, and so does the dispatcher.
    QTemporaryFile file;
    QVERIFY(file.open());
    QSocketNotifier notifier(file.handle(), QSocketNotifier::Read);
    int activations = 0;
    connect(&notifier, &QSocketNotifier::activated, this, [&] {
        if (++activations == 3)
            notifier.setEnabled(false);
    });
    QTRY_COMPARE(activations, 3);
    runLoopFor(20);
    QCOMPARE(activations, 3);
}

void tst_EpollEventDispatcher::processEventsFlags_data()
{
    QTest::addColumn<QEventLoop::ProcessEventsFlags>("flags");
    QTest::addColumn<bool>("socket");
    QTest::addColumn<bool>("timer");
    using F = QEventLoop;
    QTest::newRow("all") << F::ProcessEventsFlags(F::AllEvents) << true << true;
    QTest::newRow("user input excluded")
        << F::ProcessEventsFlags(F::ExcludeUserInputEvents) << true << true;
    QTest::newRow("sockets excluded")
        << F::ProcessEventsFlags(F::ExcludeSocketNotifiers) << false << true;
    QTest::newRow("sockets excluded, wait")
        << (F::ExcludeSocketNotifiers | F::WaitForMoreEvents) << false << true;
    QTest::newRow("timers excluded") << F::ProcessEventsFlags(F::X11ExcludeTimers) << true << false;
    QTest::newRow("exec") << (F::WaitForMoreEvents | F::EventLoopExec) << true << true;
}

void tst_EpollEventDispatcher::processEventsFlags()
{
    QFETCH(QEventLoop::ProcessEventsFlags, flags);
    QFETCH(bool, socket);
    QFETCH(bool, timer);
    SocketPair pair;
    QVERIFY(pair.send());
    QSocketNotifier notifier(pair.fds[0], QSocketNotifier::Read);
    bool socketSeen = false, timerSeen = false, postedSeen = false;
    connect(&notifier, &QSocketNotifier::activated, this, [&] { socketSeen = true; });
    QTimer zero;
    zero.setSingleShot(true);
    connect(&zero, &QTimer::timeout, this, [&] { timerSeen = true; });
    zero.start(0);
    QMetaObject::invokeMethod(
        this, [&] { postedSeen = true; }, Qt::QueuedConnection);
    dispatcher()->processEvents(flags); // one pass: posted events first, then sockets, timers
    QVERIFY(postedSeen);
    QCOMPARE(socketSeen, socket);
    QCOMPARE(timerSeen, timer);
}

void tst_EpollEventDispatcher::postedEventsInOrder()
{
    EventRecorder recorder;
    for (int i = 1; i <= 3; ++i)
        QCoreApplication::postEvent(&recorder, new QEvent(QEvent::Type(QEvent::User + i)));
    QMetaObject::invokeMethod(
        &recorder,
        [&] { // posted from inside a posted event: delivered on a later pass
            QCoreApplication::postEvent(&recorder, new QEvent(QEvent::Type(QEvent::User + 5)));
            recorder.seen.append(4);
        },
        Qt::QueuedConnection);
    QTRY_COMPARE(recorder.seen, QList<int>({1, 2, 3, 4, 5}));
}

void tst_EpollEventDispatcher::deleteLater()
{
    QPointer<QObject> object = new QObject;
    QEventLoop loop;
    connect(object, &QObject::destroyed, &loop, &QEventLoop::quit);
    QTimer::singleShot(10000, &loop, &QEventLoop::quit);
    object->deleteLater();
    loop.exec();
    QVERIFY(object.isNull());
}

void tst_EpollEventDispatcher::wakeUpFromAnotherThread_data()
{
    QTest::addColumn<QString>("how");
    QTest::newRow("wakeUp") << "wakeUp";
    QTest::newRow("posted event") << "post";
    QTest::newRow("interrupt") << "interrupt";
}

void tst_EpollEventDispatcher::wakeUpFromAnotherThread()
{
    QFETCH(QString, how);
    while (dispatcher()->processEvents(QEventLoop::AllEvents)) {
    }
    QSemaphore blocking;
    const QMetaObject::Connection connection = connect(
        dispatcher(), &QAbstractEventDispatcher::aboutToBlock, this, [&] { blocking.release(); },
        Qt::DirectConnection);
    bool posted = false;
    // Taken here: in the other thread, instance() would be that thread's dispatcher.
    QAbstractEventDispatcher *mainDispatcher = dispatcher();
    std::unique_ptr<QThread> other(QThread::create([&, mainDispatcher] {
        blocking.acquire();
        if (how == QLatin1String("wakeUp"))
            mainDispatcher->wakeUp();
        else if (how == QLatin1String("interrupt"))
            mainDispatcher->interrupt();
        else
            QMetaObject::invokeMethod(
                this, [&] { posted = true; }, Qt::QueuedConnection);
    }));
    other->start();
    QTimer failsafe;
    failsafe.start(20000);
    QElapsedTimer clock;
    clock.start();
    mainDispatcher->processEvents(QEventLoop::WaitForMoreEvents);
    QVERIFY2(clock.elapsed() < 10000, "the wait did not end");
    disconnect(connection);
    QVERIFY(other->wait(10000));
    if (how == QLatin1String("post"))
        QTRY_VERIFY(posted);
}

void tst_EpollEventDispatcher::nestedEventLoops()
{
    QEventLoop outer;
    int innerResult = -1;
    QTimer::singleShot(0, this, [&] {
        QEventLoop inner;
        QTimer::singleShot(10, &inner, [&] { inner.exit(3); });
        innerResult = inner.exec();
        outer.exit(7);
    });
    QTimer::singleShot(10000, &outer, [&] { outer.exit(-1); });
    QCOMPARE(outer.exec(), 7);
    QCOMPARE(innerResult, 3);
}

void tst_EpollEventDispatcher::timerDoesNotRecurseIntoNestedLoop()
{
    // A zero timer whose first event runs a nested loop: it must not fire again inside it.
    QTimer timer;
    int fired = 0, firedDuringNested = -1;
    connect(&timer, &QTimer::timeout, this, [&] {
        if (++fired > 1)
            return;
        QEventLoop nested;
        QTimer::singleShot(30, &nested, &QEventLoop::quit);
        nested.exec();
        firedDuringNested = fired;
        timer.stop();
    });
    timer.start(0);
    QTRY_VERIFY(firedDuringNested != -1);
    QCOMPARE(firedDuringNested, 1);
}

void tst_EpollEventDispatcher::aboutToBlockAndAwake()
{
    QSignalSpy aboutToBlock(dispatcher(), &QAbstractEventDispatcher::aboutToBlock);
    QSignalSpy awake(dispatcher(), &QAbstractEventDispatcher::awake);
    runLoopFor(20);
    QVERIFY(aboutToBlock.count() > 0);
    QVERIFY(awake.count() >= aboutToBlock.count());
}

void tst_EpollEventDispatcher::tcpRoundTrip()
{
    QTcpServer server;
    QVERIFY2(server.listen(QHostAddress::LocalHost), qPrintable(server.errorString()));
    connect(&server, &QTcpServer::newConnection, this, [&] {
        QTcpSocket *peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [peer] { peer->write(peer->readAll()); });
        connect(peer, &QTcpSocket::disconnected, peer, &QObject::deleteLater);
    });
    QTcpSocket client;
    QSignalSpy connected(&client, &QTcpSocket::connected);
    QByteArray received;
    connect(&client, &QTcpSocket::readyRead, this, [&] { received += client.readAll(); });
    client.connectToHost(QHostAddress::LocalHost, server.serverPort());
    QVERIFY(connected.wait(10000));
    // Larger than the socket buffers: writes are partial and the write notifiers come and go.
    QByteArray payload(8 * 1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < payload.size(); ++i)
        payload[i] = char(i * 7 + i / 4096);
    client.write(payload);
    QTRY_COMPARE_WITH_TIMEOUT(received.size(), payload.size(), 30000);
    QVERIFY(received == payload);
    client.disconnectFromHost();
}

void tst_EpollEventDispatcher::webSocketEcho()
{
    QWebSocketServer server(QStringLiteral("echo"), QWebSocketServer::NonSecureMode);
    QVERIFY2(server.listen(QHostAddress::LocalHost), qPrintable(server.errorString()));
    connect(&server, &QWebSocketServer::newConnection, this, [&] {
        QWebSocket *peer = server.nextPendingConnection();
        connect(peer, &QWebSocket::textMessageReceived, peer,
                [peer](const QString &message) { peer->sendTextMessage(message); });
        connect(peer, &QWebSocket::disconnected, peer, &QObject::deleteLater);
    });
    QWebSocket client;
    QSignalSpy connected(&client, &QWebSocket::connected);
    QStringList echoed;
    connect(&client, &QWebSocket::textMessageReceived, this,
            [&](const QString &message) { echoed.append(message); });
    client.open(QUrl(QStringLiteral("ws://127.0.0.1:%1/").arg(server.serverPort())));
    QVERIFY(connected.wait(10000));
    QStringList sent;
    for (int i = 0; i < 500; ++i)
        sent.append(QStringLiteral("message %1").arg(i));
    sent.append(QString(1024 * 1024, QLatin1Char('z')));
    for (const QString &message : sent)
        client.sendTextMessage(message);
    QTRY_COMPARE_WITH_TIMEOUT(echoed.size(), sent.size(), 30000);
    QVERIFY(echoed == sent);
    client.close();
    QTRY_COMPARE_WITH_TIMEOUT(client.state(), QAbstractSocket::UnconnectedState, 5000);
}

void tst_EpollEventDispatcher::threadRunsDispatcher()
{
    QThread thread;
    thread.setEventDispatcher(new EpollEventDispatcher); // the thread owns it
    auto *worker = new QObject;
    worker->moveToThread(&thread);
    connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
    std::atomic<bool> onEpoll{false};
    std::atomic<int> ticks{0};
    thread.start();
    QMetaObject::invokeMethod(worker, [&, worker] {
        onEpoll =
            qobject_cast<EpollEventDispatcher *>(QAbstractEventDispatcher::instance()) != nullptr;
        auto *timer = new QTimer(worker);
        connect(timer, &QTimer::timeout, worker, [&, timer] {
            if (++ticks == 5)
                timer->stop();
        });
        timer->start(2);
    });
    QTRY_COMPARE_WITH_TIMEOUT(ticks.load(), 5, 10000);
    QVERIFY(onEpoll);
    thread.quit();
    QVERIFY(thread.wait(10000));
}

int main(int argc, char *argv[])
{
    // Installed before the application exists, as reservo-ws does: every test runs on it.
    QCoreApplication::setEventDispatcher(new EpollEventDispatcher); // the application owns it
    QCoreApplication app(argc, argv);
    tst_EpollEventDispatcher test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_epolleventdispatcher.moc"
