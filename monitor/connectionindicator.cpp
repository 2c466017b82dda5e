// SPDX-License-Identifier: MIT
#include "connectionindicator.h"

#include "monitorconnection.h"

#include <QHBoxLayout>
#include <QLabel>

namespace Reservo {

namespace {
QColor colorOf(MonitorConnection::State state)
{
    using S = MonitorConnection::State;
    switch (state) {
    case S::Live:
        return QColor(0x1b, 0x8a, 0x4c);
    case S::Connecting:
    case S::Reconnecting:
        return QColor(0xd9, 0x8a, 0x00);
    case S::Error:
        return QColor(0xc0, 0x2b, 0x2b);
    case S::Idle:
        break;
    }
    return QColor(0x6b, 0x72, 0x80);
}
} // namespace

ConnectionIndicator::ConnectionIndicator(MonitorConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection)
{
    m_dot = new QLabel(QStringLiteral("●"), this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("connectionText"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 0, 6, 0);
    layout->addWidget(m_dot);
    layout->addWidget(m_text, 1);
    m_countdown.setInterval(250);
    connect(&m_countdown, &QTimer::timeout, this, &ConnectionIndicator::refresh);
    connect(connection, &MonitorConnection::stateChanged, this, &ConnectionIndicator::refresh);
    refresh();
}

QString ConnectionIndicator::text() const
{
    using S = MonitorConnection::State;
    const QString url = m_connection->serviceUrl().toString();
    switch (m_connection->state()) {
    case S::Idle:
        return QStringLiteral("Not connected");
    case S::Connecting:
        return m_connection->attempt() > 1 ? QStringLiteral("Connecting to %1 (attempt %2)…")
                                                 .arg(url)
                                                 .arg(m_connection->attempt())
                                           : QStringLiteral("Connecting to %1…").arg(url);
    case S::Live:
        return QStringLiteral("Live — %1").arg(url);
    case S::Reconnecting: {
        const int seconds = (m_connection->retryRemainingMs() + 999) / 1000;
        return QStringLiteral("Reconnecting in %1 s — %2 (%3)")
            .arg(seconds)
            .arg(m_connection->errorString(), url);
    }
    case S::Error:
        return QStringLiteral("Error — %1").arg(m_connection->errorString());
    }
    return {};
}

void ConnectionIndicator::refresh()
{
    const MonitorConnection::State state = m_connection->state();
    m_dot->setStyleSheet(QStringLiteral("color: %1; font-size: 15px;").arg(colorOf(state).name()));
    m_text->setText(text());
    if (state == MonitorConnection::State::Reconnecting)
        m_countdown.start();
    else
        m_countdown.stop();
}

} // namespace Reservo
