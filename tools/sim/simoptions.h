// SPDX-License-Identifier: MIT
#pragma once

#include "eventcatalogue.h"
#include "optiontable.h"

#include <QStringList>

namespace Reservo {

// Everything reservo-events-sim can be told. The defaults are SimOptionsParser::table()'s: a
// member's own value below stands only where the table has no default value.
struct SimOptions
{
    CatalogueSpec catalogue;
    double rate{};        // seat changes per second across all events; 0: only answer
    qint64 count = -1;    // stop publishing after this many changes; -1: never
    double durationS = 0; // exit after this many seconds; 0: run until signalled
    int replyDelayMs{};   // delay of every events.get.* reply
    bool printEvents = false;
    QStringList natsServers;
};

// reservo-events-sim's option table: NATS_SERVER from defaults < ./.env < environment <
// --nats-server, the other settings from flags; at most MaxTotalSeats seats in all.
class SimOptionsParser
{
public:
    static constexpr qint64 MaxTotalSeats = 10'000'000;
    static const OptionTable<SimOptions> &table();
};

} // namespace Reservo
