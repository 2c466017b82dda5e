// SPDX-License-Identifier: MIT
#include "paintbenchmark.h"

#include "eventtab.h"
#include "roommessages.h"
#include "seatmapwidget.h"

#include <QApplication>
#include <QEventLoop>
#include <QJsonObject>
#include <QPaintEvent>
#include <algorithm>
#include <sys/resource.h>

namespace Reservo {

namespace {
constexpr int TickMs = 5;
constexpr int WarmUpMs = 500;

double cpuSeconds()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Rows A, B, ... of 20 seats, as the simulator lays out events that are not the seed one.
QString tagOf(int index)
{
    QString row;
    for (int r = index / 20; r >= 0; r = r / 26 - 1)
        row.prepend(QChar(u'A' + r % 26));
    return row + QString::number(index % 20 + 1);
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values[qsizetype(p * double(values.size() - 1))];
}
} // namespace

PaintBenchmark::PaintBenchmark(const Options &options, QObject *parent)
    : QObject(parent), m_options(options), m_model(QStringLiteral("bench-event"))
{
    RoomMessages::RoomSnapshot snapshot{QStringLiteral("bench-event"), 0, {}, 1, true};
    for (int i = 0; i < options.seats; ++i)
        snapshot.seats.append({QStringLiteral("seat-%1").arg(i), tagOf(i), SeatState::Available});
    m_model.setName(
        QStringLiteral("Benchmark: %1 seats, %2 changes/s").arg(options.seats).arg(options.rate));
    m_model.applySnapshot(snapshot);
    m_tab = std::make_unique<EventTab>(&m_model);
    m_tab->seatMap()->setPartialRepaints(options.partialRepaints);
    m_tab->seatMap()->installEventFilter(this);
    m_tab->resize(options.windowSize);
    m_driver.setInterval(TickMs);
    m_driver.setTimerType(Qt::PreciseTimer);
    connect(&m_driver, &QTimer::timeout, this, &PaintBenchmark::handleTick);
}

PaintBenchmark::~PaintBenchmark() = default;

PaintBenchmark::Result PaintBenchmark::run()
{
    m_tab->show();
    QEventLoop loop;
    QTimer::singleShot(WarmUpMs, &loop, &QEventLoop::quit); // first layout and full paint
    loop.exec();
    m_paintMs.clear();
    m_rects = 0;
    const double cpuStart = cpuSeconds();
    m_clock.start();
    m_lastTickNs = 0;
    m_driver.start();
    QTimer::singleShot(int(m_options.seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    m_driver.stop();
    return summarize(double(m_clock.nsecsElapsed()) / 1e9, cpuSeconds() - cpuStart);
}

bool PaintBenchmark::saveScreenshot(const QString &file) const
{
    return m_tab->grab().save(file, "PNG");
}

void PaintBenchmark::handleTick()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastTickNs > 0)
        m_maxLagMs = std::max(m_maxLagMs, double(now - m_lastTickNs) / 1e6 - TickMs);
    m_lastTickNs = now;
    const qint64 due = qint64(m_options.rate * double(now) / 1e9);
    while (m_updates < due)
        applyOneUpdate();
}

// The same path as a received frame after the socket: parse the payload, apply to the model.
void PaintBenchmark::applyOneUpdate()
{
    const int index = int(m_random.bounded(m_options.seats));
    const Seat &seat = m_model.seats()[index];
    const SeatState next = SeatState((int(seat.state) + 1 + int(m_random.bounded(2))) % 3);
    const QJsonObject payload{{QStringLiteral("id"), seat.id},
                              {QStringLiteral("state"), QString(seatStateName(next))},
                              {QStringLiteral("eventId"), m_model.eventId()},
                              {QStringLiteral("tag"), seat.tag},
                              {QStringLiteral("seq"), double(++m_seq)}};
    if (const auto update = RoomMessages::parseSeatUpdate(payload))
        m_model.applyUpdate(*update);
    ++m_updates;
}

bool PaintBenchmark::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::Paint || !m_clock.isValid())
        return QObject::eventFilter(watched, event);
    // Deliver the paint event ourselves to time it, then stop it going further.
    m_rects += static_cast<QPaintEvent *>(event)->region().rectCount();
    QElapsedTimer timer;
    timer.start();
    watched->event(event); // QObject::event is public; it dispatches to paintEvent()
    m_paintMs.append(double(timer.nsecsElapsed()) / 1e6);
    return true;
}

PaintBenchmark::Result PaintBenchmark::summarize(double wallSeconds, double cpu) const
{
    Result r;
    r.updates = m_updates;
    r.frames = int(m_paintMs.size());
    double total = 0;
    for (double ms : m_paintMs)
        total += ms;
    r.paintMeanMs = r.frames > 0 ? total / r.frames : 0;
    r.paintP50Ms = percentile(m_paintMs, 0.50);
    r.paintP99Ms = percentile(m_paintMs, 0.99);
    r.paintMaxMs = percentile(m_paintMs, 1.0);
    r.rectsPerFrame = r.frames > 0 ? double(m_rects) / r.frames : 0;
    r.maxLoopLagMs = m_maxLagMs;
    r.cpuPercent = 100.0 * cpu / wallSeconds;
    r.seconds = wallSeconds;
    return r;
}

} // namespace Reservo
