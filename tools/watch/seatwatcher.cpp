// SPDX-License-Identifier: MIT
#include "seatwatcher.h"

#include "socketiourl.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
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
    connect(&m_socket, &QWebSocket::connected, this, [this] { m_backoffMs = 500; });
    connect(&m_socket, &QWebSocket::disconnected, this, &SeatWatcher::handleDisconnected);
    connect(&m_socket, &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { m_protocol.handleTextFrame(text.toUtf8()); });
    connectProtocol();
    connectReader();
}

void SeatWatcher::connectProtocol()
{
    connect(&m_protocol, &ProtocolClient::frameReady, this, [this](const QByteArray &frame) {
        m_socket.sendTextMessage(QString::fromUtf8(frame));
    });
    connect(&m_protocol, &ProtocolClient::opened, this, [this] { m_protocol.connectNamespace(); });
    connect(&m_protocol, &ProtocolClient::namespaceConnected, this,
            &SeatWatcher::handleNamespaceConnected);
    connect(&m_protocol, &ProtocolClient::namespaceRefused, this,
            [this](const QString &, const QString &message) { scheduleReconnect(message); });
    connect(&m_protocol, &ProtocolClient::eventReceived, this,
            [this](const QString &, const QString &event, const QJsonArray &args) {
                handleEvent(event, args);
            });
    connect(
        &m_protocol, &ProtocolClient::ackReceived, this,
        [this](const QString &, quint64 ackId, const QJsonArray &args) { handleAck(ackId, args); });
    connect(&m_protocol, &ProtocolClient::failed, this, [this](const QString &reason) {
        print(QStringLiteral("connection failed: %1").arg(reason));
        m_socket.abort();
    });
}

void SeatWatcher::connectReader()
{
    connect(&m_reader, &RoomEventReader::seatUpdated, this, &SeatWatcher::handleSeatUpdate);
    connect(&m_reader, &RoomEventReader::snapshotReceived, this, &SeatWatcher::handleSnapshot);
    connect(&m_reader, &RoomEventReader::presenceChanged, this, [](const QString &, int viewers) {
        print(QStringLiteral("viewers: %1").arg(viewers));
    });
    connect(&m_reader, &RoomEventReader::snapshotUndecodable, this,
            [this](const QString &eventId, const QString &reason) {
                print(QStringLiteral("%1; joining again").arg(reason));
                join(eventId);
            });
}

void SeatWatcher::start()
{
    print(QStringLiteral("connecting to %1").arg(m_url.toString()));
    m_protocol.reset();
    m_joinAcks.clear();
    m_socket.open(m_url);
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
        join(id);
}

// Compact, with the layout and the map held: an older server answers as to any join.
void SeatWatcher::join(const QString &eventId)
{
    const Room room = m_rooms.value(eventId);
    std::optional<RoomMessages::RoomPosition> held;
    if (room.whole && room.seq)
        held = RoomMessages::RoomPosition{room.epoch, *room.seq};
    const QJsonObject payload =
        RoomMessages::joinPayload(m_reader.layouts().joinRequest(eventId, held));
    const qint64 ackId =
        m_protocol.emitEvent(QString::fromLatin1(RoomMessages::JoinEvent), {payload}, true);
    m_joinAcks.insert(quint64(ackId), eventId);
}

void SeatWatcher::handleAck(quint64 ackId, const QJsonArray &args)
{
    const QString eventId = m_joinAcks.take(ackId);
    QString error;
    const auto ack = RoomMessages::parseJoinAck(args, &error);
    if (!ack)
        return print(QStringLiteral("join of %1 refused: %2").arg(eventId, error));
    QString line = args.first().toString();
    if (ack->resumed)
        line += QStringLiteral(" (resumed: the changes up to seq %1 follow)").arg(ack->room->seq);
    print(line);
}

void SeatWatcher::handleEvent(const QString &event, const QJsonArray &args)
{
    QString error;
    if (!m_reader.read(event, args, &error))
        return print(QStringLiteral("ignoring malformed %1: %2").arg(event, error));
    using namespace RoomMessages;
    for (const char *known : {SeatUpdateEvent, SnapshotEvent, LayoutEvent, PresenceEvent}) {
        if (event == QLatin1String(known))
            return;
    }
    print(QStringLiteral("%1 %2").arg(
        event, QString::fromUtf8(QJsonDocument(args).toJson(QJsonDocument::Compact))));
}

void SeatWatcher::handleSeatUpdate(const RoomMessages::SeatUpdate &update)
{
    Room &room = m_rooms[update.eventId];
    if (update.seq && room.seq) {
        if (room.whole && *update.seq <= *room.seq)
            return; // already in the map (a rejoin's replay overlapping what arrived)
        if (*update.seq > *room.seq + 1 && room.whole) {
            print(QStringLiteral("missed changes %1-%2; joining again for the whole map")
                      .arg(*room.seq + 1)
                      .arg(*update.seq - 1));
            room.whole = false;
            join(update.eventId);
        }
    }
    if (update.seq)
        room.seq = update.seq;
    Seat &seat = room.seats[update.seatId];
    seat.id = update.seatId;
    if (!update.tag.isEmpty())
        seat.tag = update.tag;
    seat.state = update.state;
    print(QStringLiteral("seat %1 -> %2  (seq %3)")
              .arg(seat.tag.isEmpty() ? seat.id : seat.tag, seatStateName(update.state))
              .arg(update.seq.value_or(0)));
    printMap(update.eventId);
    if (m_maxUpdates > 0 && ++m_updates >= m_maxUpdates)
        emit done();
}

void SeatWatcher::handleSnapshot(const RoomMessages::RoomSnapshot &snapshot)
{
    Room &room = m_rooms[snapshot.eventId];
    room.seats.clear();
    for (const Seat &seat : snapshot.seats)
        room.seats.insert(seat.id, seat);
    room.epoch = snapshot.epoch;
    room.seq = snapshot.seq;
    room.whole = snapshot.complete && !snapshot.epoch.isEmpty();
    print(QStringLiteral("snapshot of %1: %2 seats, seq %3%4%5")
              .arg(snapshot.eventId)
              .arg(room.seats.size())
              .arg(snapshot.seq)
              .arg(snapshot.isCompact() ? QStringLiteral(" (compact)") : QString())
              .arg(snapshot.complete
                       ? QString()
                       : QStringLiteral(" (partial: events service not reached yet)")));
    printMap(snapshot.eventId);
}

// The room's seats as rows of `tag+mark` (`.` available, `P` pending, `X` occupied) and counts.
void SeatWatcher::printMap(const QString &eventId) const
{
    constexpr int MaxSeatsDrawn = 120;
    const QMap<QString, Seat> map = m_rooms.value(eventId).seats;
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
