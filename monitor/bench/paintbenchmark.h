// SPDX-License-Identifier: MIT
#pragma once

#include "eventseatmodel.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QRandomGenerator>
#include <QSize>
#include <QTimer>
#include <memory>

namespace Reservo {

class EventTab;

// Drives one EventTab with a synthetic event as the connection would (N seats from a snapshot,
// then R seat updates a second), and measures every paint of its seat map, how late the event
// loop runs, and the CPU the whole process uses.
class PaintBenchmark : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int seats = 2000;
        double rate = 200; // updates per second
        double seconds = 10;
        bool partialRepaints = true;
        QSize windowSize{1280, 800};
    };
    struct Result
    {
        qint64 updates = 0;
        int frames = 0;
        double paintMeanMs = 0;
        double paintP50Ms = 0;
        double paintP99Ms = 0;
        double paintMaxMs = 0;
        double rectsPerFrame = 0;
        double maxLoopLagMs = 0; // worst lateness of the 5 ms driver timer
        double cpuPercent = 0;   // user + system time of the process over wall time
        double seconds = 0;
    };

    explicit PaintBenchmark(const Options &options, QObject *parent = nullptr);
    ~PaintBenchmark() override;
    Result run();
    // The tab as it looks now, for a picture of the run.
    bool saveScreenshot(const QString &file) const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void handleTick();
    void applyOneUpdate();
    Result summarize(double wallSeconds, double cpuSeconds) const;

    Options m_options;
    EventSeatModel m_model;
    std::unique_ptr<EventTab> m_tab;
    QRandomGenerator m_random{20241125};
    QList<double> m_paintMs;
    qint64 m_rects = 0;
    qint64 m_updates = 0;
    qint64 m_seq = 0;
    double m_maxLagMs = 0;
    QElapsedTimer m_clock;
    qint64 m_lastTickNs = 0;
    QTimer m_driver;
};

} // namespace Reservo
