// SPDX-License-Identifier: MIT
#pragma once

#include <QPlainTextEdit>
#include <QStringList>
#include <QTimer>

namespace Reservo {

// A scrolling, bounded log of timestamped lines. Lines are batched and appended a few times a
// second, so a burst of changes costs one layout instead of hundreds.
class ChangeLogView : public QPlainTextEdit
{
    Q_OBJECT
public:
    static constexpr int MaxLines = 500;
    static constexpr int FlushIntervalMs = 150;

    explicit ChangeLogView(QWidget *parent = nullptr);

    // Prefixes the current time (hh:mm:ss).
    void addLine(const QString &line);
    void flush();
    int pendingLines() const { return int(m_pending.size()); }

private:
    QStringList m_pending;
    QTimer m_flushTimer;
};

} // namespace Reservo
