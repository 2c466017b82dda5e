// SPDX-License-Identifier: MIT
#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;

namespace Reservo {

class MonitorConnection;

// The connection state for the status bar, always in view: a coloured dot and a sentence
// (connecting, live, reconnecting with a countdown, error with its reason).
class ConnectionIndicator : public QWidget
{
    Q_OBJECT
public:
    explicit ConnectionIndicator(MonitorConnection *connection, QWidget *parent = nullptr);

    QString text() const;

private:
    void refresh();

    MonitorConnection *m_connection;
    QLabel *m_dot = nullptr;
    QLabel *m_text = nullptr;
    QTimer m_countdown;
};

} // namespace Reservo
