// SPDX-License-Identifier: MIT
#include "simoptions.h"

namespace Reservo {

namespace {
using Read = OptionReaders<SimOptions>;
constexpr double MaxDurationS = 2'000'000; // in milliseconds it still fits a Qt timer's int

// A field of the catalogue's spec, for the readers.
template <typename Field> auto catalogue(Field CatalogueSpec::*member)
{
    return [member](SimOptions &options) -> Field & { return options.catalogue.*member; };
}

QList<Option<SimOptions>> rows()
{
    return {
        {{.flag = "events",
          .valueName = "N",
          .description = "number of events, 1-100000",
          .defaultValue = "3"},
         Read::integer(catalogue(&CatalogueSpec::events), 1, 100000)},
        {{.flag = "seats",
          .valueName = "N",
          .description = "seats per event: 15 is the seed layout A11..C15, other sizes are rows "
                         "A, B, ... Z, AA, ... of 20 seats numbered from 1; 1-100000",
          .defaultValue = "15"},
         Read::integer(catalogue(&CatalogueSpec::seatsPerEvent), 1, 100000)},
        {{.flag = "seed",
          .valueName = "N",
          .description = "seed of the event and seat ids and of the changes, 0-4294967295",
          .defaultValue = "1"},
         Read::integer(catalogue(&CatalogueSpec::seed), 0, 4294967295LL)},
        {{.flag = "initial-occupied",
          .valueName = "PCT",
          .description = "percentage of each event's seats OCCUPIED at start, 0-100; 0: all "
                         "AVAILABLE",
          .defaultValue = "0"},
         Read::integer(catalogue(&CatalogueSpec::initialOccupiedPercent), 0, 100)},
        {{.flag = "rate",
          .valueName = "N",
          .description = "seat changes published per second across all events, 0-10000000; "
                         "0: only answer requests",
          .defaultValue = "2"},
         Read::number(&SimOptions::rate, 0, 1e7)},
        {{.flag = "count",
          .valueName = "N",
          .description = "stop publishing after N changes, keep answering",
          .defaultNote = "never stop"},
         Read::integer(&SimOptions::count, 0, 1'000'000'000'000LL)},
        {{.flag = "duration",
          .valueName = "S",
          .description = "exit 0 after S seconds",
          .defaultNote = "run until SIGINT or SIGTERM"},
         Read::number(&SimOptions::durationS, 0.001, MaxDurationS)},
        {{.flag = "reply-delay",
          .valueName = "MS",
          .description = "delay every events.get.id/upcoming reply by MS milliseconds; the seat "
                         "map is the one when the request arrived; 0-600000",
          .defaultValue = "0"},
         Read::integer(&SimOptions::replyDelayMs, 0, 600000)},
        {{.flag = "print-events",
          .description = "print the events (with seats) as JSON lines and exit",
          .kind = OptionKind::Switch},
         Read::switchOn(&SimOptions::printEvents)},
        {{.env = "NATS_SERVER",
          .flag = "nats-server",
          .valueName = "URLS",
          .description = "comma-separated NATS URLs of one cluster",
          .defaultValue = "nats://127.0.0.1:4222"},
         Read::natsServers(&SimOptions::natsServers)},
    };
}

QString checkTotalSeats(SimOptions &options)
{
    const qint64 totalSeats = qint64(options.catalogue.events) * options.catalogue.seatsPerEvent;
    if (totalSeats <= SimOptionsParser::MaxTotalSeats)
        return {};
    return QStringLiteral("--events x --seats is %1 seats; at most %2 are supported")
        .arg(totalSeats)
        .arg(SimOptionsParser::MaxTotalSeats);
}
} // namespace

const OptionTable<SimOptions> &SimOptionsParser::table()
{
    // %1 stays for the program's name, filled in by helpText().
    static const OptionTable<SimOptions> table(
        {QStringLiteral(
             "Usage: %1 [options]\n"
             "Stand-in for the Reservo events service on NATS: answers events.get.id and\n"
             "events.get.upcoming, publishes seat changes on update.seat.state. Prints one line\n"
             "'event <id> <name> <seatCount>' per event on start. Ids are name-based UUIDs,\n"
             "the same for the same seed: event n (from 1) is uuid5(%2,\n"
             "\"<seed>/event/<n>\"), a seat is uuid5(<event id>, \"<tag>\").\n"
             "NATS_SERVER is read from ./.env, then the environment (which overrides .env), then\n"
             "--nats-server (which overrides both).\n\n")
             .arg(QStringLiteral("%1"), EventCatalogue::Namespace.toString(QUuid::WithoutBraces)),
         {}},
        rows(), checkTotalSeats);
    return table;
}

} // namespace Reservo
