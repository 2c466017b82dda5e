// SPDX-License-Identifier: MIT
#include "changelogview.h"

#include <QFontDatabase>
#include <QTime>

namespace Reservo {

ChangeLogView::ChangeLogView(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setMaximumBlockCount(MaxLines);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setUndoRedoEnabled(false);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(font.pointSizeF() * 0.9);
    setFont(font);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &ChangeLogView::flush);
}

void ChangeLogView::addLine(const QString &line)
{
    m_pending.append(QTime::currentTime().toString(QStringLiteral("hh:mm:ss  ")) + line);
    if (m_pending.size() > MaxLines)
        m_pending.remove(0, m_pending.size() - MaxLines);
    if (!m_flushTimer.isActive())
        m_flushTimer.start();
}

void ChangeLogView::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty())
        return;
    appendPlainText(m_pending.join(QLatin1Char('\n')));
    m_pending.clear();
}

} // namespace Reservo
