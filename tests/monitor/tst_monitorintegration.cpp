// SPDX-License-Identifier: MIT
// The monitor end to end: a real nats-server, reservo-ws and reservo-events-sim, and the
// MonitorConnection + WatchedEvents pair the app runs on. Its model must reach the simulator's
// exact seat map after the snapshot and a burst of changes, and again after reservo-ws restarts.
#include "config.h"
#include "monitorconnection.h"
#include "natsclient.h"
#include "natsserverprocess.h"
#include "natswire.h"
#include "serviceprocess.h"
#include "testhelpers.h"
#include "watchedevents.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Reservo;
using namespace Reservo::Test;
using Sync = EventSeatModel::SyncState;

namespace {
constexpr int Seats = 200;
const QString Seed = QStringLiteral("7");

QString describe(const QHash<QString, SeatState> &seats)
{
    QMap<int, int> counts;
    for (SeatState state : seats)
        ++counts[int(state)];
    return QStringLiteral("%1 seats: %2 available, %3 pending, %4 occupied")
        .arg(seats.size())
        .arg(counts.value(0))
        .arg(counts.value(1))
        .arg(counts.value(2));
}
} // namespace

class tst_MonitorIntegration : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanup();
    void modelFollowsTheSimThroughBurstAndRestart();

private:
    // Starts reservo-events-sim (one event of Seats seats); returns the event id it prints.
    QString startSim(QProcess &sim, const QString &rate, const QString &count);
    // SIGTERM and wait: the simulators, and the restarted reservo-ws.
    bool stopProcess(QProcess &process);
    // Waits for the simulator's "published N changes" line: from then on its map holds still.
    bool waitUntilPublished(QProcess &sim, int count);
    // reservo-ws again on the port the monitor knows. ServiceProcess picks a fresh port on every
    // start, so this restart runs the same binary the same way by hand.
    bool startServiceOnPort(quint16 port);
    // The simulator's current map, asked the way reservo-ws asks it (events.get.id).
    std::optional<QHash<QString, SeatState>> simSeats(const QString &eventId);
    // Waits until the model equals the simulator's map; the sim must have stopped publishing.
    bool reachesSimMap(const EventSeatModel &model, QString &why);

    NatsServerProcess m_nats;
    NatsClient m_requester;
    QProcess m_simA;
    QProcess m_simB;
    QProcess m_restarted;
    QTemporaryDir m_workDir;
};

void tst_MonitorIntegration::initTestCase()
{
    QVERIFY2(!qEnvironmentVariableIsEmpty("RESERVO_SIM_EXE"), "run through ctest");
    QVERIFY2(m_nats.start(), qPrintable(m_nats.errorString()));
    QVERIFY(m_requester.start({m_nats.url()}, QStringLiteral("tst_monitorintegration")));
    QTRY_COMPARE_WITH_TIMEOUT(m_requester.state(), NatsClient::State::Connected, Timeout);
}

void tst_MonitorIntegration::cleanup()
{
    stopProcess(m_simA);
    stopProcess(m_simB);
    if (QTest::currentTestFailed())
        qWarning().noquote() << "restarted reservo-ws output:\n" << m_restarted.readAll();
    stopProcess(m_restarted);
}

bool tst_MonitorIntegration::startServiceOnPort(quint16 port)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const ConfigOption &option : ConfigLoader::options())
        env.remove(option.env); // as ServiceProcess does: no developer settings in a test
    env.insert(QStringLiteral("HOST"), QStringLiteral("127.0.0.1"));
    env.insert(QStringLiteral("PORT"), QString::number(port));
    env.insert(QStringLiteral("NATS_SERVER"), m_nats.url());
    m_restarted.setProcessEnvironment(env);
    m_restarted.setProgram(qEnvironmentVariable("RESERVO_WS_EXE"));
    m_restarted.setWorkingDirectory(m_workDir.path());
    m_restarted.setProcessChannelMode(QProcess::MergedChannels);
    killWithParent(m_restarted);
    m_restarted.start();
    return m_restarted.waitForStarted(Timeout);
}

QString tst_MonitorIntegration::startSim(QProcess &sim, const QString &rate, const QString &count)
{
    sim.setProgram(qEnvironmentVariable("RESERVO_SIM_EXE"));
    sim.setArguments({"--nats-server", m_nats.url(), "--events", "1", "--seats",
                      QString::number(Seats), "--seed", Seed, "--rate", rate, "--count", count});
    killWithParent(sim);
    sim.start();
    if (!QTest::qWaitFor([&] { return sim.canReadLine() || sim.state() == QProcess::NotRunning; },
                         Timeout))
        return {};
    const QList<QByteArray> words = sim.readLine().trimmed().split(' ');
    return words.size() >= 2 && words[0] == "event" ? QString::fromLatin1(words[1]) : QString();
}

bool tst_MonitorIntegration::stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return true;
    process.terminate();
    return QTest::qWaitFor([&] { return process.state() == QProcess::NotRunning; }, Timeout);
}

bool tst_MonitorIntegration::waitUntilPublished(QProcess &sim, int count)
{
    const QByteArray line = "published " + QByteArray::number(count) + " changes";
    QByteArray log;
    return QTest::qWaitFor([&] { return (log += sim.readAllStandardError()).contains(line); },
                           Timeout);
}

std::optional<QHash<QString, SeatState>> tst_MonitorIntegration::simSeats(const QString &eventId)
{
    std::optional<NatsReply> reply;
    m_requester.request(NatsWire::EventByIdSubject,
                        NatsWire::encodeEventByIdRequest(eventId, newId()), 5000,
                        [&](const NatsReply &r) { reply = r; });
    if (!QTest::qWaitFor([&] { return reply.has_value(); }, Timeout) ||
        reply->status != NatsReply::Status::Ok)
        return std::nullopt;
    const auto parsed = NatsWire::parseEventByIdReply(reply->payload);
    if (!parsed || !parsed.value->value)
        return std::nullopt;
    QHash<QString, SeatState> seats;
    for (const Seat &seat : parsed.value->value->seats)
        seats.insert(seat.id, seat.state);
    return seats;
}

bool tst_MonitorIntegration::reachesSimMap(const EventSeatModel &model, QString &why)
{
    const auto sameAsSim = [&] {
        const auto expected = simSeats(model.eventId());
        if (!expected) {
            why = QStringLiteral("the simulator did not answer");
            return false;
        }
        QHash<QString, SeatState> actual;
        for (const Seat &seat : model.seats())
            actual.insert(seat.id, seat.state);
        why = QStringLiteral("model %1 (%2), sim %3")
                  .arg(describe(actual), QVariant::fromValue(model.syncState()).toString(),
                       describe(*expected));
        return actual == *expected && model.syncState() == Sync::Live;
    };
    return QTest::qWaitFor(sameAsSim, Timeout);
}

void tst_MonitorIntegration::modelFollowsTheSimThroughBurstAndRestart()
{
    ServiceProcess service;
    QVERIFY2(service.start(m_nats.url()), qPrintable(service.errorString()));
    MonitorConnection connection;
    WatchedEvents events(&connection);
    connection.start(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(service.port())));

    // 1. Snapshot and a burst: 600 changes at 300/s while the monitor joins and loads the map.
    const QString eventId = startSim(m_simA, "300", "600");
    QVERIFY2(!eventId.isEmpty(), "reservo-events-sim printed no event");
    EventSeatModel *model = events.add(eventId);
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Live, Timeout);
    QCOMPARE(model->seats().size(), Seats);
    QVERIFY(waitUntilPublished(m_simA, 600));
    // Nearly all of the burst came after the room existed, as seat updates in sequence.
    QTRY_VERIFY2_WITH_TIMEOUT(model->seq().value_or(0) >= 400,
                              qPrintable(QString::number(model->seq().value_or(-1))), Timeout);
    QString why;
    QVERIFY2(reachesSimMap(*model, why), qPrintable(why));

    // 2. reservo-ws restarts on the same port while the seats change under it: a new simulator
    // (same seed, so back to the initial map) makes 300 changes the old connection never saw.
    QVERIFY2(service.stop(Timeout), qPrintable(service.errorString()));
    QTRY_COMPARE_WITH_TIMEOUT(model->syncState(), Sync::Stale, Timeout);
    QVERIFY(stopProcess(m_simA));
    QCOMPARE(startSim(m_simB, "300", "300"), eventId);
    QVERIFY(startServiceOnPort(service.port()));
    QTRY_COMPARE_WITH_TIMEOUT(connection.state(), MonitorConnection::State::Live, Timeout);
    QVERIFY(waitUntilPublished(m_simB, 300));
    QVERIFY2(reachesSimMap(*model, why), qPrintable(why));
    QCOMPARE(events.unroutedUpdates(), 0);
}

QTEST_GUILESS_MAIN(tst_MonitorIntegration)
#include "tst_monitorintegration.moc"
