// SPDX-License-Identifier: MIT
#include "eventpicker.h"

#include "monitorconnection.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Reservo {

namespace {
enum Column { NameColumn, DateColumn, TakenColumn, IdColumn };
constexpr int CapacityRole = Qt::UserRole + 1;

QString displayDate(const QString &date)
{
    const QDateTime parsed = QDateTime::fromString(date, Qt::ISODate);
    return parsed.isValid() ? QLocale().toString(parsed.toLocalTime(), QLocale::ShortFormat) : date;
}
} // namespace

EventPicker::EventPicker(MonitorConnection *connection, const QStringList &watched, QWidget *parent)
    : QDialog(parent), m_watched(watched)
{
    setWindowTitle(QStringLiteral("Watch events"));
    resize(760, 460);
    m_status = new QLabel(QStringLiteral("Asking the server for its upcoming events…"), this);
    m_status->setWordWrap(true);
    m_list = new QTreeWidget(this);
    m_list->setHeaderLabels({QStringLiteral("Event"), QStringLiteral("Date"),
                             QStringLiteral("Taken"), QStringLiteral("Id")});
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    m_ids = new QLineEdit(this);
    m_ids->setPlaceholderText(QStringLiteral("Event id(s): type or paste, separated by spaces"));
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Watch"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_list, 1);
    layout->addWidget(new QLabel(QStringLiteral("Or by id:"), this));
    layout->addWidget(m_ids);
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &EventPicker::updateOkButton);
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, &QDialog::accept);
    connect(m_ids, &QLineEdit::textChanged, this, &EventPicker::updateOkButton);
    connect(connection, &MonitorConnection::eventsListed, this, &EventPicker::handleListed);
    connect(connection, &MonitorConnection::eventsListFailed, this, &EventPicker::handleListFailed);
    updateOkButton();
    connection->requestEventList();
}

QStringList EventPicker::parseIds(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[\\s,;]+"));
    QStringList ids;
    for (const QString &id : text.split(separators, Qt::SkipEmptyParts))
        if (!ids.contains(id))
            ids.append(id);
    return ids;
}

QList<EventPicker::Choice> EventPicker::choices() const
{
    QList<Choice> result;
    QStringList taken;
    for (const QTreeWidgetItem *item : m_list->selectedItems()) {
        const QString id = item->text(IdColumn);
        result.append({id, item->text(NameColumn), item->data(NameColumn, CapacityRole).toInt()});
        taken.append(id);
    }
    for (const QString &id : parseIds(m_ids->text()))
        if (!taken.contains(id))
            result.append({id, QString(), 0});
    return result;
}

void EventPicker::handleListed(const QList<NatsWire::EventSummary> &events)
{
    m_list->clear();
    for (const NatsWire::EventSummary &event : events) {
        auto *item = new QTreeWidgetItem(
            m_list,
            {event.name, displayDate(event.date),
             QStringLiteral("%1 / %2").arg(event.occupiedSeats).arg(event.capacity), event.id});
        item->setData(NameColumn, CapacityRole, event.capacity);
        item->setToolTip(NameColumn, event.description);
        if (m_watched.contains(event.id)) {
            item->setFlags(item->flags() & ~Qt::ItemIsSelectable);
            item->setText(NameColumn, QStringLiteral("%1 (watching)").arg(event.name));
        }
    }
    m_status->setText(events.isEmpty()
                          ? QStringLiteral("The server lists no upcoming events; type an id below.")
                          : QStringLiteral("Upcoming events (select one or more):"));
    m_list->resizeColumnToContents(DateColumn);
}

void EventPicker::handleListFailed(const QString &reason)
{
    m_status->setText(
        QStringLiteral("No event list from the server (%1). Type or paste an event id below.")
            .arg(reason));
    m_list->setEnabled(false);
    m_ids->setFocus();
}

void EventPicker::updateOkButton()
{
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!choices().isEmpty());
}

} // namespace Reservo
