// SPDX-License-Identifier: MIT
#include "monitorsettings.h"

#include <QSettings>

namespace Reservo {

namespace {
const QString UrlKey = QStringLiteral("url");
const QString EventsKey = QStringLiteral("events");
} // namespace

QUrl MonitorSettings::url(const QUrl &fallback) const
{
    if (!m_settings)
        return fallback;
    const QUrl url(m_settings->value(UrlKey).toString());
    return url.isValid() && !url.host().isEmpty() ? url : fallback;
}

void MonitorSettings::setUrl(const QUrl &url)
{
    if (m_settings)
        m_settings->setValue(UrlKey, url.toString());
}

QList<MonitorSettings::Event> MonitorSettings::events() const
{
    QList<Event> events;
    if (!m_settings)
        return events;
    const int n = m_settings->beginReadArray(EventsKey);
    for (int i = 0; i < n; ++i) {
        m_settings->setArrayIndex(i);
        const QString id = m_settings->value(QStringLiteral("id")).toString();
        if (!id.isEmpty())
            events.append({id, m_settings->value(QStringLiteral("name")).toString(),
                           m_settings->value(QStringLiteral("capacity")).toInt()});
    }
    m_settings->endArray();
    return events;
}

QList<MonitorSettings::Event> MonitorSettings::eventsFromIds(const QStringList &ids)
{
    QList<Event> events;
    for (const QString &id : ids)
        events.append({id, QString(), 0});
    return events;
}

void MonitorSettings::setEvents(const QList<Event> &events)
{
    if (!m_settings)
        return;
    m_settings->remove(EventsKey);
    m_settings->beginWriteArray(EventsKey, int(events.size()));
    for (int i = 0; i < events.size(); ++i) {
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("id"), events[i].id);
        m_settings->setValue(QStringLiteral("name"), events[i].name);
        m_settings->setValue(QStringLiteral("capacity"), events[i].capacity);
    }
    m_settings->endArray();
}

} // namespace Reservo
