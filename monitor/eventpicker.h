// SPDX-License-Identifier: MIT
#pragma once

#include "natswire.h"

#include <QDialog>
#include <QStringList>

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QTreeWidget;

namespace Reservo {

class MonitorConnection;

// Lets staff choose events to watch: from the server's `list-events` when it answers in time,
// or by typing or pasting ids (one or several, separated by spaces, commas or new lines).
class EventPicker : public QDialog
{
    Q_OBJECT
public:
    struct Choice
    {
        QString id;
        QString name;
        int capacity = 0;
    };

    EventPicker(MonitorConnection *connection, const QStringList &watched,
                QWidget *parent = nullptr);

    // The selected listed events, then the typed ids not among them.
    QList<Choice> choices() const;
    static QStringList parseIds(const QString &text);

private:
    void handleListed(const QList<NatsWire::EventSummary> &events);
    void handleListFailed(const QString &reason);
    void updateOkButton();

    QStringList m_watched;
    QTreeWidget *m_list = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_ids = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Reservo
