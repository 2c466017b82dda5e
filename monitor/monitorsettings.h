// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

class QSettings;

namespace Reservo {

// What the monitor remembers between runs: the service URL and the watched events (with their
// names, so tabs are labelled before the server answers).
class MonitorSettings
{
public:
    struct Event
    {
        QString id;
        QString name;
        int capacity = 0;
        friend bool operator==(const Event &, const Event &) = default;
    };

    // nullptr remembers nothing (a --screenshot run must not change what staff see next time).
    explicit MonitorSettings(QSettings *settings = nullptr) : m_settings(settings) {}

    bool isPersistent() const { return m_settings != nullptr; }
    QUrl url(const QUrl &fallback) const;
    void setUrl(const QUrl &url);
    QList<Event> events() const;
    static QList<Event> eventsFromIds(const QStringList &ids);
    void setEvents(const QList<Event> &events);

private:
    QSettings *m_settings;
};

} // namespace Reservo
