// SPDX-License-Identifier: MIT
#include "seatwatcher.h"

#include "socketiourl.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>
#include <cstdio>

namespace Reservo {

namespace {
constexpr int MaxBackoffMs = 10000;

void print(const QString &line)
{
    const QString stamp = QTime::currentTime().toString(QStringLiteral("hh:mm:ss.zzz"));
    std::printf("%s  %s\n", qPrintable(stamp), qPrintable(line));
    std::fflush(stdout);
}
} // namespace

SeatWatcher::SeatWatcher(const QUrl &serviceUrl, const QStringList &eventIds, int maxUpdates,
                         QObject *parent)
    : QObject(parent), m_url(socketIoUrl(serviceUrl)), m_eventIds(eventIds),
      m_maxUpdates(maxUpdates)
{
    m_reconnectTimer.setSingleShot(true);
    connect(&m_reconnectTimer, &QTimer::timeout, this, &SeatWatcher::start);
    connect(&m_socket, &QWebSocket::connected, this, &SeatWatcher::handleConnected);
    connect(&m_socket, &QWebSocket::disconnected, this, &SeatWatcher::handleDisconnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_protocol.handleTextFrame(text.toUtf8()); });
    connect(&m_protocol, &ProtocolClient::frameReady, this, [this](const QByteArray &frame) {
        m_socket.sendTextMessage(QString::fromUtf8(frame));
    });
    connect(&m_protocol, &ProtocolClient::opened, this, [this] { m_protocol.connectNamespace(); });
    connect(&m_protocol, &ProtocolClient::namespaceConnected, this,
            &SeatWatcher::handleNamespaceConnected);
    connect(&m_protocol, &ProtocolClient::namespaceRefused, this,
            [this](const QString &, const QString &message) { scheduleReconnect(message); });
    connect(&m_protocol, &ProtocolClient::eventReceived, this, &SeatWatcher::handleEvent);
    connect(&m_protocol, &ProtocolClient::ackReceived, this, &SeatWatcher::handleAck);
    connect(&m_protocol, &ProtocolClient::failed, this, [this](const QString &reason) {
        print(QStringLiteral("connection failed: %1").arg(reason));
        m_socket.abort();
    });
}

void SeatWatcher::start()
{
    print(QStringLiteral("connecting to %1").arg(m_url.toString()));
    m_protocol.reset();
    m_socket.open(m_url);
}

void SeatWatcher::handleConnected()
{
    m_backoffMs = 500;
}

void SeatWatcher::handleDisconnected()
{
    scheduleReconnect(m_socket.closeReason().isEmpty() ? m_socket.errorString()
                                                       : m_socket.closeReason());
}

void SeatWatcher::scheduleReconnect(const QString &why)
{
    if (m_reconnectTimer.isActive())
        return;
    print(QStringLiteral("disconnected (%1); retrying in %2 ms").arg(why).arg(m_backoffMs));
    m_reconnectTimer.start(m_backoffMs);
    m_backoffMs = std::min(m_backoffMs * 2, MaxBackoffMs);
}

void SeatWatcher::handleNamespaceConnected()
{
    print(QStringLiteral("connected; joining %1 room(s)").arg(m_eventIds.size()));
    for (const QString &id : std::as_const(m_eventIds))
        m_protocol.emitEvent(QStringLiteral("join-event-room"),
                             {QJsonObject{{QStringLiteral("eventId"), id}}}, true);
}

void SeatWatcher::handleAck(const QString &, quint64, const QJsonArray &args)
{
    const QJsonValue first = args.first();
    print(first.isString() ? first.toString()
                           : QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact)));
}

void SeatWatcher::handleEvent(const QString &, const QString &event, const QJsonArray &args)
{
    const QJsonObject payload = args.first().toObject();
    if (event == QLatin1String("room-snapshot"))
        return handleSnapshot(payload);
    if (event == QLatin1String("room-presence"))
        return print(
            QStringLiteral("viewers: %1").arg(payload.value(QStringLiteral("viewers")).toInt()));
    if (event != QLatin1String("update-seat-status"))
        return print(QStringLiteral("%1 %2").arg(
            event, QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))));
    const QString eventId = payload.value(QStringLiteral("eventId")).toString();
    const QString seatId = payload.value(QStringLiteral("id")).toString();
    const QString state = payload.value(QStringLiteral("state")).toString();
    Seat &seat = m_maps[eventId][seatId];
    seat.id = seatId;
    if (payload.contains(QStringLiteral("tag")))
        seat.tag = payload.value(QStringLiteral("tag")).toString();
    seat.state = seatStateFromName(state).value_or(SeatState::Available);
    print(QStringLiteral("seat %1 -> %2  (seq %3)")
              .arg(seat.tag.isEmpty() ? seatId : seat.tag, state)
              .arg(payload.value(QStringLiteral("seq")).toInteger()));
    printMap(eventId);
    if (m_maxUpdates > 0 && ++m_updates >= m_maxUpdates)
        emit done();
}

void SeatWatcher::handleSnapshot(const QJsonObject &snapshot)
{
    const QString eventId = snapshot.value(QStringLiteral("eventId")).toString();
    QMap<QString, Seat> &map = m_maps[eventId];
    map.clear();
    for (const QJsonValue &v : snapshot.value(QStringLiteral("seats")).toArray()) {
        const QJsonObject o = v.toObject();
        const QString id = o.value(QStringLiteral("id")).toString();
        map.insert(id, {id, o.value(QStringLiteral("tag")).toString(),
                        seatStateFromName(o.value(QStringLiteral("state")).toString())
                            .value_or(SeatState::Available)});
    }
    print(QStringLiteral("snapshot of %1: %2 seats, seq %3%4")
              .arg(eventId)
              .arg(map.size())
              .arg(snapshot.value(QStringLiteral("seq")).toInteger())
              .arg(snapshot.value(QStringLiteral("complete")).toBool()
                       ? QString()
                       : QStringLiteral(" (partial: events service not reached yet)")));
    printMap(eventId);
}

// The room's seats as rows of `tag+mark` (`.` available, `P` pending, `X` occupied) and counts.
void SeatWatcher::printMap(const QString &eventId) const
{
    constexpr int MaxSeatsDrawn = 120;
    const QMap<QString, Seat> map = m_maps.value(eventId);
    QMap<QString, QMap<int, QChar>> rows;
    int counts[3] = {0, 0, 0};
    for (const Seat &seat : map) {
        ++counts[int(seat.state)];
        const SeatTag tag = SeatTag::parse(seat.tag);
        const QChar mark = QStringLiteral(".PX").at(int(seat.state));
        QMap<int, QChar> &row = rows[tag.isValid() ? tag.row : QStringLiteral("?")];
        row.insert(tag.isValid() ? tag.number : int(row.size()), mark);
    }
    if (map.size() <= MaxSeatsDrawn) {
        for (auto row = rows.cbegin(); row != rows.cend(); ++row) {
            QString line = QStringLiteral("    %1 ").arg(row.key(), -3);
            for (auto seat = row->cbegin(); seat != row->cend(); ++seat)
                line += QStringLiteral(" %1%2").arg(seat.key()).arg(seat.value());
            std::printf("%s\n", qPrintable(line));
        }
    }
    std::printf(
        "    available %d  pending %d  occupied %d   (. available, P pending, X occupied)\n",
        counts[0], counts[1], counts[2]);
    std::fflush(stdout);
}

} // namespace Reservo
