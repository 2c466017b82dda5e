// SPDX-License-Identifier: MIT
#pragma once

#include "eventloopchoice.h"
#include "optiontable.h"
#include "socketbatch.h"

#include <QByteArray>
#include <QHostAddress>
#include <QStringList>

namespace Reservo {

// Everything reservo-ws can be told. The defaults are ConfigLoader::table()'s, read before any
// other source: a member's own value below stands only where the table has no default value.
struct Config
{
    QHostAddress host = QHostAddress::Any; // IPv4 and IPv6; HOST=0.0.0.0 would be IPv4 only
    quint16 port{};
    QStringList natsServers;
    int pingInterval{};
    int pingTimeout{};
    int maxPayload{};
    int maxConnections{};
    int connectTimeout{};
    int handshakeTimeout{};
    int maxRoomsPerConnection{};
    int natsMaxPayload{};
    int natsRequestTimeout{};
    int snapshotRetryMax{};
    int maxDisconnectionDuration{};
    int maxRecoverySessions{};
    int recoveryBuffer{};
    int roomGrace{};
    int presenceInterval{};
    int joinRate{};
    int slowClientBuffer{};
    int maxClientBuffer{};
    int maxRooms{};
    int eventsMaxInFlight{};
    int eventsRequestRate{};
    int eventsRequestBurst{};
    int eventsQueueMax{};
    int unknownEventCache{};
    int unknownEventTtl{};
    int maxUnknownJoins{};
    int workerThreads = -1;     // -1: one per core beyond the first, 1 to 16
    QStringList allowedOrigins; // empty: any
    QByteArray jwtSecret;       // empty: no authentication
    EventLoopChoice::Kind eventLoop{};
    SocketBatch::Method socketWrites{};
};

using ConfigOption = Option<Config>;

// reservo-ws's option table: every setting with its variable, flag, default and validation, read
// from defaults < ./.env < environment < flags. Two are environment only (A/B benchmarks).
class ConfigLoader
{
public:
    static const OptionTable<Config> &table();
    static const QList<ConfigOption> &options() { return table().options(); }
};

} // namespace Reservo
