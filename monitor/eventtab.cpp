// SPDX-License-Identifier: MIT
#include "eventtab.h"

#include "capacitybar.h"
#include "changelogview.h"
#include "seatmapwidget.h"
#include "seatpalette.h"

#include <QDateTime>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace Reservo {

namespace {
constexpr int SidePanelWidth = 330;
constexpr int SwatchSize = 22;

QLabel *makeLabel(const QString &text, const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setObjectName(objectName);
    return label;
}

QString percent(int part, int whole)
{
    return whole > 0 ? QStringLiteral("%1%").arg(qRound(100.0 * part / whole)) : QString();
}
} // namespace

EventTab::EventTab(EventSeatModel *model, QWidget *parent) : QWidget(parent), m_model(model)
{
    m_map = new SeatMapWidget(this);
    m_map->setModel(model);
    auto *frame = new QFrame(this);
    frame->setFrameShape(QFrame::StyledPanel);
    auto *frameLayout = new QVBoxLayout(frame);
    frameLayout->setContentsMargins(1, 1, 1, 1);
    frameLayout->addWidget(m_map);
    auto *body = new QHBoxLayout;
    body->addWidget(frame, 1);
    body->addWidget(buildSidePanel());
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildHeader());
    layout->addLayout(body, 1);
    m_statusTimer.setSingleShot(true);
    m_statusTimer.setInterval(StatusIntervalMs);
    connect(&m_statusTimer, &QTimer::timeout, this, &EventTab::refreshStatus);
    connect(model, &EventSeatModel::seatChanged, this, &EventTab::handleSeatChanged);
    connect(model, &EventSeatModel::statusChanged, this, &EventTab::handleStatusChanged);
    connect(model, &EventSeatModel::seatsReset, this, &EventTab::handleStatusChanged);
    refreshStatus();
}

QString EventTab::stateText(EventSeatModel::SyncState state)
{
    using S = EventSeatModel::SyncState;
    switch (state) {
    case S::Joining:
        return QStringLiteral("JOINING");
    case S::AwaitingSnapshot:
        return QStringLiteral("LOADING");
    case S::Live:
        return QStringLiteral("LIVE");
    case S::Partial:
        return QStringLiteral("PARTIAL");
    case S::Stale:
        return QStringLiteral("STALE");
    case S::Refused:
        return QStringLiteral("REFUSED");
    }
    return {};
}

QColor EventTab::stateColor(EventSeatModel::SyncState state)
{
    using S = EventSeatModel::SyncState;
    switch (state) {
    case S::Live:
        return QColor(0x1b, 0x8a, 0x4c);
    case S::Partial:
        return QColor(0xb2, 0x6b, 0x00);
    case S::Stale:
    case S::Refused:
        return QColor(0xc0, 0x2b, 0x2b);
    case S::Joining:
    case S::AwaitingSnapshot:
        break;
    }
    return QColor(0x6b, 0x72, 0x80);
}

QWidget *EventTab::buildHeader()
{
    auto *header = new QWidget(this);
    m_title = makeLabel(QString(), QStringLiteral("title"), header);
    QFont titleFont = m_title->font();
    titleFont.setPixelSize(20);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_eventId = makeLabel(m_model->eventId(), QStringLiteral("eventId"), header);
    m_eventId->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_eventId->setStyleSheet(QStringLiteral("color: #6b7280;"));
    m_badge = makeLabel(QString(), QStringLiteral("syncBadge"), header);
    m_banner = makeLabel(QString(), QStringLiteral("syncBanner"), header);
    m_banner->setWordWrap(true);
    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title);
    titleRow->addSpacing(10);
    titleRow->addWidget(m_eventId, 0, Qt::AlignBottom);
    titleRow->addStretch(1);
    titleRow->addWidget(m_badge);
    auto *layout = new QVBoxLayout(header);
    layout->setContentsMargins(2, 0, 2, 0);
    layout->addLayout(titleRow);
    layout->addWidget(m_banner);
    return header;
}

QWidget *EventTab::buildSidePanel()
{
    auto *panel = new QWidget(this);
    panel->setFixedWidth(SidePanelWidth);
    m_capacity = new CapacityBar(panel);
    m_capacityText = makeLabel(QString(), QStringLiteral("capacityText"), panel);
    m_log = new ChangeLogView(panel);
    auto *logTitle = new QLabel(QStringLiteral("<b>Changes</b> (newest last)"), panel);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 0, 0, 0);
    layout->addWidget(buildLegend());
    layout->addSpacing(6);
    layout->addWidget(m_capacity);
    layout->addWidget(m_capacityText);
    layout->addSpacing(6);
    layout->addWidget(buildFacts());
    layout->addSpacing(6);
    layout->addWidget(logTitle);
    layout->addWidget(m_log, 1);
    return panel;
}

QWidget *EventTab::buildLegend()
{
    auto *legend = new QWidget(this);
    auto *grid = new QGridLayout(legend);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setColumnStretch(1, 1);
    QFont countFont = font();
    countFont.setPixelSize(17);
    countFont.setBold(true);
    for (SeatState state : SeatPalette::States) {
        const int row = int(state);
        const QString name = QString::fromLatin1(seatStateName(state)).toLower();
        auto *swatch = new QLabel(legend);
        swatch->setPixmap(SeatPalette::swatch(state, SwatchSize, devicePixelRatioF()));
        m_counts[row] = makeLabel(QStringLiteral("0"), QStringLiteral("count_") + name, legend);
        m_counts[row]->setFont(countFont);
        m_shares[row] = makeLabel(QString(), QStringLiteral("share_") + name, legend);
        m_shares[row]->setMinimumWidth(44);
        m_shares[row]->setStyleSheet(QStringLiteral("color: #6b7280;"));
        grid->addWidget(swatch, row, 0);
        grid->addWidget(new QLabel(SeatPalette::label(state), legend), row, 1);
        grid->addWidget(m_counts[row], row, 2, Qt::AlignRight);
        grid->addWidget(m_shares[row], row, 3, Qt::AlignRight);
    }
    return legend;
}

QWidget *EventTab::buildFacts()
{
    auto *facts = new QWidget(this);
    auto *grid = new QGridLayout(facts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setColumnStretch(1, 1);
    m_viewers = makeLabel(QString(), QStringLiteral("viewers"), facts);
    m_seq = makeLabel(QString(), QStringLiteral("seq"), facts);
    m_lastChange = makeLabel(QString(), QStringLiteral("lastChange"), facts);
    const std::pair<QString, QLabel *> rows[] = {{QStringLiteral("Viewers"), m_viewers},
                                                 {QStringLiteral("Room seq"), m_seq},
                                                 {QStringLiteral("Last change"), m_lastChange}};
    int row = 0;
    for (const auto &[name, value] : rows) {
        grid->addWidget(new QLabel(name, facts), row, 0);
        grid->addWidget(value, row++, 1, Qt::AlignRight);
    }
    return facts;
}

void EventTab::handleSeatChanged(int index, std::optional<SeatState> previous, bool fromSnapshot)
{
    const Seat &seat = m_model->seats()[index];
    const QString who = seat.tag.isEmpty() ? seat.id.left(8) : seat.tag;
    const QString from = previous ? SeatPalette::label(*previous) : QStringLiteral("(new)");
    const QString how = fromSnapshot     ? QStringLiteral("resync")
                        : m_model->seq() ? QStringLiteral("#%1").arg(*m_model->seq())
                                         : QString();
    m_log->addLine(QStringLiteral("%1 %2 → %3  %4")
                       .arg(who.leftJustified(5), from, SeatPalette::label(seat.state), how)
                       .trimmed());
    m_lastChangeTime = QTime::currentTime();
}

void EventTab::handleStatusChanged()
{
    if (!m_statusTimer.isActive())
        m_statusTimer.start();
}

void EventTab::refreshStatus()
{
    m_statusTimer.stop();
    if (!m_model)
        return;
    // Without a name (an older server lists no events) the id is the title.
    const QString title = m_model->name().isEmpty() ? m_model->eventId() : m_model->name();
    if (title != m_title->text()) {
        m_title->setText(title);
        m_eventId->setVisible(!m_model->name().isEmpty());
        emit titleChanged(title);
    }
    refreshCounts();
    refreshSync();
    const auto viewers = m_model->viewers();
    m_viewers->setText(viewers ? QString::number(*viewers) : QStringLiteral("—"));
    const auto seq = m_model->seq();
    m_seq->setText(seq ? QString::number(*seq) : QStringLiteral("—"));
    m_lastChange->setText(m_lastChangeTime.isValid()
                              ? m_lastChangeTime.toString(QStringLiteral("hh:mm:ss"))
                              : QStringLiteral("—"));
}

void EventTab::refreshCounts()
{
    int known = 0;
    for (SeatState state : SeatPalette::States)
        known += m_model->count(state);
    const int capacity = std::max(m_model->capacity(), known);
    for (SeatState state : SeatPalette::States) {
        m_counts[int(state)]->setText(QString::number(m_model->count(state)));
        m_shares[int(state)]->setText(percent(m_model->count(state), capacity));
    }
    const int available = m_model->count(SeatState::Available);
    const int pending = m_model->count(SeatState::Pending);
    const int occupied = m_model->count(SeatState::Occupied);
    m_capacity->setCounts(available, pending, occupied, capacity);
    if (capacity == 0)
        return m_capacityText->setText(QStringLiteral("No seats known yet"));
    QString text = QStringLiteral("%1 of %2 seats taken (%3)")
                       .arg(occupied + pending)
                       .arg(capacity)
                       .arg(percent(occupied + pending, capacity));
    if (known < capacity)
        text += QStringLiteral(" · %1 not seen yet").arg(capacity - known);
    m_capacityText->setText(text);
}

void EventTab::refreshSync()
{
    const EventSeatModel::SyncState state = m_model->syncState();
    const QColor color = stateColor(state);
    m_badge->setText(QStringLiteral(" ● %1 ").arg(stateText(state)));
    m_badge->setStyleSheet(QStringLiteral("color: white; background: %1; border-radius: 9px; "
                                          "padding: 3px 10px; font-weight: bold;")
                               .arg(color.name()));
    const QString detail = m_model->syncDetail();
    m_banner->setVisible(!detail.isEmpty());
    m_banner->setText(detail);
    m_banner->setStyleSheet(QStringLiteral("background: %1; color: %2; border: 1px solid %2; "
                                           "border-radius: 4px; padding: 6px;")
                                .arg(color.lighter(190).name(), color.darker(130).name()));
    logSyncChange();
}

void EventTab::logSyncChange()
{
    const EventSeatModel::SyncState state = m_model->syncState();
    if (m_loggedState == state)
        return;
    m_loggedState = state;
    QString line = QStringLiteral("— %1").arg(stateText(state).toLower());
    if (state == EventSeatModel::SyncState::Live && m_model->seq())
        line += QStringLiteral(": %1 seats at seq %2")
                    .arg(m_model->seats().size())
                    .arg(*m_model->seq());
    m_log->addLine(line);
    emit syncStateChanged(state);
}

} // namespace Reservo
