// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "connectionindicator.h"
#include "eventpicker.h"
#include "eventtab.h"
#include "monitorconnection.h"
#include "socketiourl.h"
#include "watchedevents.h"

#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QPainter>
#include <QPushButton>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace Reservo {

namespace {
QIcon dotIcon(const QColor &color)
{
    QPixmap pixmap(12, 12);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(1, 1, 10, 10));
    return QIcon(pixmap);
}

QString tabTitle(const EventSeatModel *model)
{
    return model->name().isEmpty() ? model->eventId().left(8) + QStringLiteral("…") : model->name();
}
} // namespace

MainWindow::MainWindow(MonitorConnection *connection, WatchedEvents *events,
                       const MonitorSettings &settings, QWidget *parent)
    : QMainWindow(parent), m_connection(connection), m_events(events), m_settings(settings)
{
    setWindowTitle(QStringLiteral("Reservo Live — Monitor"));
    m_tabs = new QTabWidget(this);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    m_tabs->setDocumentMode(true);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(buildEmptyPage());
    m_pages->addWidget(m_tabs);
    setCentralWidget(m_pages);
    m_indicator = new ConnectionIndicator(connection, this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summary"));
    statusBar()->addWidget(m_indicator, 1);
    statusBar()->addPermanentWidget(m_summary);
    buildActions();
    m_summaryTimer.setSingleShot(true);
    m_summaryTimer.setInterval(SummaryIntervalMs);
    connect(&m_summaryTimer, &QTimer::timeout, this, &MainWindow::refreshSummary);
    // At most one refresh per interval, never postponed: every seat update reports a possible
    // sync change, and restarting the timer on each kept a busy room's summary from ever showing.
    connect(events, &WatchedEvents::syncChanged, this, [this] {
        if (!m_summaryTimer.isActive())
            m_summaryTimer.start();
    });
    connect(events, &WatchedEvents::eventAdded, this, &MainWindow::handleEventAdded);
    connect(events, &WatchedEvents::eventRemoved, this, &MainWindow::handleEventRemoved);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        if (auto *tab = qobject_cast<EventTab *>(m_tabs->widget(index)))
            m_events->remove(tab->model()->eventId());
    });
    for (const QString &id : events->eventIds())
        handleEventAdded(events->model(id));
    refreshSummary();
}

void MainWindow::buildActions()
{
    QMenu *menu = menuBar()->addMenu(QStringLiteral("&Monitor"));
    QToolBar *toolbar = addToolBar(QStringLiteral("Monitor"));
    toolbar->setMovable(false);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    const auto add = [&](const QString &text, const QKeySequence &key, auto slot) {
        QAction *action = menu->addAction(text, key, this, slot);
        toolbar->addAction(action);
        return action;
    };
    add(QStringLiteral("&Watch event…"), QKeySequence::New, &MainWindow::pickEvents);
    add(QStringLiteral("&Close event"), QKeySequence::Close, &MainWindow::closeCurrentEvent);
    add(QStringLiteral("&Server…"), QKeySequence(Qt::CTRL | Qt::Key_L), &MainWindow::changeUrl);
    add(QStringLiteral("&Reconnect now"), QKeySequence::Refresh,
        [this] { m_connection->reconnectNow(); });
    menu->addSeparator();
    menu->addAction(QStringLiteral("&Quit"), QKeySequence::Quit, this, &QWidget::close);
}

QWidget *MainWindow::buildEmptyPage()
{
    auto *page = new QWidget(this);
    auto *label = new QLabel(QStringLiteral("No events watched yet."), page);
    auto *button = new QPushButton(QStringLiteral("Watch an event…"), page);
    connect(button, &QPushButton::clicked, this, &MainWindow::pickEvents);
    auto *layout = new QVBoxLayout(page);
    layout->addStretch();
    layout->addWidget(label, 0, Qt::AlignHCenter);
    layout->addWidget(button, 0, Qt::AlignHCenter);
    layout->addStretch();
    return page;
}

EventTab *MainWindow::tabFor(const QString &eventId) const
{
    for (int i = 0; i < m_tabs->count(); ++i) {
        auto *tab = qobject_cast<EventTab *>(m_tabs->widget(i));
        if (tab && tab->model()->eventId() == eventId)
            return tab;
    }
    return nullptr;
}

void MainWindow::handleEventAdded(EventSeatModel *model)
{
    if (tabFor(model->eventId()))
        return;
    auto *tab = new EventTab(model, m_tabs);
    const int index = m_tabs->addTab(tab, tabTitle(model));
    m_tabs->setTabToolTip(index, model->eventId());
    handleTabSyncChanged(tab, model->syncState());
    connect(tab, &EventTab::syncStateChanged, this,
            [this, tab](EventSeatModel::SyncState state) { handleTabSyncChanged(tab, state); });
    connect(tab, &EventTab::titleChanged, this, [this, tab] {
        m_tabs->setTabText(m_tabs->indexOf(tab), tabTitle(tab->model()));
        save(); // names learnt from list-events label the tabs next time, before connecting
    });
    m_pages->setCurrentWidget(m_tabs);
    save();
}

void MainWindow::handleEventRemoved(const QString &eventId)
{
    EventTab *tab = tabFor(eventId);
    if (!tab)
        return;
    m_tabs->removeTab(m_tabs->indexOf(tab));
    delete tab; // before WatchedEvents deletes the model it shows
    if (m_tabs->count() == 0)
        m_pages->setCurrentIndex(0);
    save();
}

void MainWindow::handleTabSyncChanged(EventTab *tab, EventSeatModel::SyncState state)
{
    const int index = m_tabs->indexOf(tab);
    if (index < 0)
        return;
    m_tabs->setTabIcon(index, dotIcon(EventTab::stateColor(state)));
}

void MainWindow::pickEvents()
{
    EventPicker picker(m_connection, m_events->eventIds(), this);
    if (picker.exec() != QDialog::Accepted)
        return;
    const QList<EventPicker::Choice> choices = picker.choices();
    for (const EventPicker::Choice &choice : choices)
        m_events->add(choice.id, choice.name, choice.capacity);
    if (!choices.isEmpty())
        m_tabs->setCurrentWidget(tabFor(choices.last().id));
}

void MainWindow::closeCurrentEvent()
{
    if (auto *tab = qobject_cast<EventTab *>(m_tabs->currentWidget()))
        m_events->remove(tab->model()->eventId());
}

void MainWindow::changeUrl()
{
    bool ok = false;
    const QString text = QInputDialog::getText(
        this, QStringLiteral("Server"), QStringLiteral("reservo-ws URL (http://host:port):"),
        QLineEdit::Normal, m_connection->serviceUrl().toString(), &ok);
    if (!ok || text.trimmed().isEmpty())
        return;
    m_connection->start(QUrl::fromUserInput(text.trimmed()));
    save();
}

void MainWindow::refreshSummary()
{
    int inSync = 0;
    for (const QString &id : m_events->eventIds())
        inSync += m_events->model(id)->isInSync() ? 1 : 0;
    const int total = int(m_events->eventIds().size());
    QString text =
        QStringLiteral("%1 event%2 · %3 in sync").arg(total).arg(total == 1 ? "" : "s").arg(inSync);
    if (m_events->unroutedUpdates() > 0)
        text += QStringLiteral(" · %1 updates without a room").arg(m_events->unroutedUpdates());
    m_summary->setText(text);
}

void MainWindow::save()
{
    if (!m_settings.isPersistent())
        return;
    QList<MonitorSettings::Event> events;
    for (const QString &id : m_events->eventIds()) {
        const EventSeatModel *model = m_events->model(id);
        events.append({id, model->name(), model->capacity()});
    }
    m_settings.setEvents(events);
    if (!socketIoUrl(m_connection->serviceUrl()).isEmpty())
        m_settings.setUrl(m_connection->serviceUrl());
}

} // namespace Reservo
