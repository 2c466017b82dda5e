// SPDX-License-Identifier: MIT
#include "config.h"

#include <QUrl>

namespace Reservo {

namespace {
using Read = OptionReaders<Config>;
constexpr qint64 HourMs = 3600000;
constexpr qint64 DayMs = 24 * HourMs;
constexpr qint64 MiB = 1024 * 1024;

OptionReader<Config> hostAddress()
{
    return [](Config &config, const QString &text, QString &why) {
        QHostAddress address;
        if (!address.setAddress(text.trimmed()))
            return (why = QStringLiteral("expected an IPv4 or IPv6 address"), false);
        config.host = address;
        return true;
    };
}

// Origins like https://host[:port]; "*" (anywhere in the list) allows any.
OptionReader<Config> allowedOrigins()
{
    return [](Config &config, const QString &text, QString &why) {
        QStringList origins;
        for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
            const QString origin = part.trimmed();
            if (origin == QLatin1String("*"))
                return config.allowedOrigins.clear(), true;
            const QUrl url(origin, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty()) {
                why = QStringLiteral("'%1' is not an origin like https://host[:port]").arg(origin);
                return false;
            }
            origins.append(origin);
        }
        config.allowedOrigins = origins;
        return true;
    };
}

QList<ConfigOption> rows()
{
    return {
        {{.env = "PORT",
          .flag = "port",
          .valueName = "N",
          .description = "TCP port for WebSocket and HTTP",
          .defaultValue = "3000"},
         Read::integer(&Config::port, 0, 65535)},
        // Its default is QHostAddress::Any (IPv4 and IPv6), which no text reads as.
        {{.env = "HOST",
          .flag = "host",
          .valueName = "ADDR",
          .description = "address to listen on (default 0.0.0.0, all interfaces)"},
         hostAddress()},
        {{.env = "NATS_SERVER",
          .flag = "nats-server",
          .valueName = "URLS",
          .description = "comma-separated NATS URLs of one cluster",
          .defaultValue = "nats://127.0.0.1:4222"},
         Read::natsServers(&Config::natsServers)},
        {{.env = "PING_INTERVAL_MS",
          .flag = "ping-interval",
          .valueName = "MS",
          .description = "Engine.IO ping interval",
          .defaultValue = "25000"},
         Read::integer(&Config::pingInterval, 10, HourMs)},
        {{.env = "PING_TIMEOUT_MS",
          .flag = "ping-timeout",
          .valueName = "MS",
          .description = "Engine.IO ping timeout",
          .defaultValue = "20000"},
         Read::integer(&Config::pingTimeout, 10, HourMs)},
        {{.env = "MAX_PAYLOAD",
          .flag = "max-payload",
          .valueName = "BYTES",
          .description = "largest message a client may send",
          .defaultValue = "1000000"},
         Read::integer(&Config::maxPayload, 64, 100 * MiB)},
        {{.env = "MAX_CONNECTIONS",
          .flag = "max-connections",
          .valueName = "N",
          .description = "connections beyond this are refused",
          .defaultValue = "100000"},
         Read::integer(&Config::maxConnections, 1, 10000000)},
        {{.env = "CONNECT_TIMEOUT_MS",
          .flag = "connect-timeout",
          .valueName = "MS",
          .description = "time for a client to send its Socket.IO CONNECT",
          .defaultValue = "45000"},
         Read::integer(&Config::connectTimeout, 10, HourMs)},
        {{.env = "HANDSHAKE_TIMEOUT_MS",
          .flag = "handshake-timeout",
          .valueName = "MS",
          .description = "time for a client to send its HTTP request head",
          .defaultValue = "10000"},
         Read::integer(&Config::handshakeTimeout, 10, HourMs)},
        {{.env = "MAX_ROOMS_PER_CONNECTION",
          .flag = "max-rooms-per-connection",
          .valueName = "N",
          .description = "rooms one connection may join",
          .defaultValue = "100"},
         Read::integer(&Config::maxRoomsPerConnection, 1, 100000)},
        {{.env = "NATS_MAX_PAYLOAD",
          .flag = "nats-max-payload",
          .valueName = "BYTES",
          .description = "largest seat update accepted from NATS",
          .defaultValue = "65536"},
         Read::integer(&Config::natsMaxPayload, 256, 64 * MiB)},
        {{.env = "NATS_REQUEST_TIMEOUT_MS",
          .flag = "nats-request-timeout",
          .valueName = "MS",
          .description = "timeout of one request to the events service",
          .defaultValue = "5000"},
         Read::integer(&Config::natsRequestTimeout, 10, 600000)},
        {{.env = "SNAPSHOT_RETRY_MAX_MS",
          .flag = "snapshot-retry-max",
          .valueName = "MS",
          .description = "longest wait between seat-map fetch retries",
          .defaultValue = "30000"},
         Read::integer(&Config::snapshotRetryMax, 10, HourMs)},
        {{.env = "MAX_DISCONNECTION_DURATION_MS",
          .flag = "max-disconnection-duration",
          .valueName = "MS",
          .description = "window for connection state recovery; 0 disables it",
          .defaultValue = "120000"},
         Read::integer(&Config::maxDisconnectionDuration, 0, DayMs)},
        {{.env = "MAX_RECOVERY_SESSIONS",
          .flag = "max-recovery-sessions",
          .valueName = "N",
          .description = "disconnected sessions kept for recovery",
          .defaultValue = "100000"},
         Read::integer(&Config::maxRecoverySessions, 1, 10000000)},
        {{.env = "RECOVERY_BUFFER",
          .flag = "recovery-buffer",
          .valueName = "N",
          .description = "broadcasts kept per room for recovery",
          .defaultValue = "1000"},
         Read::integer(&Config::recoveryBuffer, 1, 1000000)},
        {{.env = "ROOM_GRACE_MS",
          .flag = "room-grace",
          .valueName = "MS",
          .description = "how long an empty room keeps its seat map",
          .defaultValue = "30000"},
         Read::integer(&Config::roomGrace, 0, DayMs)},
        {{.env = "PRESENCE_INTERVAL_MS",
          .flag = "presence-interval",
          .valueName = "MS",
          .description = "least time between two room-presence messages of a room",
          .defaultValue = "500"},
         Read::integer(&Config::presenceInterval, 10, 60000)},
        {{.env = "JOIN_RATE",
          .flag = "join-rate",
          .valueName = "N",
          .description = "joins per second one connection may make",
          .defaultValue = "20"},
         Read::integer(&Config::joinRate, 1, 100000)},
        {{.env = "SLOW_CLIENT_BUFFER",
          .flag = "slow-client-buffer",
          .valueName = "BYTES",
          .description = "unsent bytes beyond which a client gets only the latest state per seat",
          .defaultValue = "262144"},
         Read::integer(&Config::slowClientBuffer, 1024, 1024 * MiB)},
        {{.env = "MAX_CLIENT_BUFFER",
          .flag = "max-client-buffer",
          .valueName = "BYTES",
          .description = "unsent bytes beyond which a client is disconnected",
          .defaultValue = "8388608"},
         Read::integer(&Config::maxClientBuffer, 4096, 1024 * MiB)},
        {{.env = "MAX_ROOMS",
          .flag = "max-rooms",
          .valueName = "N",
          .description = "rooms one instance holds; a join that needs another gets an error ack",
          .defaultValue = "10000"},
         Read::integer(&Config::maxRooms, 1, 10000000)},
        {{.env = "EVENTS_MAX_IN_FLIGHT",
          .flag = "events-max-in-flight",
          .valueName = "N",
          .description = "seat-map requests to the events service awaiting their answer at once",
          .defaultValue = "8"},
         Read::integer(&Config::eventsMaxInFlight, 1, 10000)},
        {{.env = "EVENTS_REQUEST_RATE",
          .flag = "events-request-rate",
          .valueName = "N",
          .description = "seat-map requests per second to the events service, on average",
          .defaultValue = "100"},
         Read::integer(&Config::eventsRequestRate, 1, 100000)},
        {{.env = "EVENTS_REQUEST_BURST",
          .flag = "events-request-burst",
          .valueName = "N",
          .description = "requests beyond that rate that rooms with members may borrow",
          .defaultValue = "10"},
         Read::integer(&Config::eventsRequestBurst, 0, 100000)},
        {{.env = "EVENTS_QUEUE_MAX",
          .flag = "events-queue-max",
          .valueName = "N",
          .description = "seat-map requests waiting their turn; more wait for a retry",
          .defaultValue = "10000"},
         Read::integer(&Config::eventsQueueMax, 1, 10000000)},
        {{.env = "UNKNOWN_EVENT_CACHE",
          .flag = "unknown-event-cache",
          .valueName = "N",
          .description = "event ids the events service did not know, remembered; 0: none",
          .defaultValue = "10000"},
         Read::integer(&Config::unknownEventCache, 0, 10000000)},
        {{.env = "UNKNOWN_EVENT_TTL_MS",
          .flag = "unknown-event-ttl",
          .valueName = "MS",
          .description = "how long joins of an unknown event are refused without asking again",
          .defaultValue = "60000"},
         Read::integer(&Config::unknownEventTtl, 10, DayMs)},
        {{.env = "MAX_UNKNOWN_JOINS",
          .flag = "max-unknown-joins",
          .valueName = "N",
          .description = "joins of unknown events beyond which a connection is closed",
          .defaultValue = "20"},
         Read::integer(&Config::maxUnknownJoins, 0, 1000000)},
        {{.env = "WORKER_THREADS",
          .flag = "worker-threads",
          .valueName = "N",
          .description = "threads that carry WebSocket clients; 0: all on the main thread",
          .defaultNote = "one per core beyond the first, 1 to 16"},
         Read::integer(&Config::workerThreads, 0, 256)},
        {{.env = "ALLOWED_ORIGINS",
          .flag = "allowed-origins",
          .valueName = "LIST",
          .description = "comma-separated Origin values browsers may connect from",
          .defaultNote = "any"},
         allowedOrigins()},
        {{.env = "JWT_SECRET",
          .flag = "jwt-secret",
          .valueName = "SECRET",
          .description = "when set, CONNECT needs an HS256 token signed with it",
          .defaultNote = "none"},
         Read::text(&Config::jwtSecret)},
        {{.env = "RESERVO_EVENT_DISPATCHER",
          .valueName = "epoll|qt",
          .description = "event loop of every thread",
          .defaultValue = "epoll"},
         Read::choice(
             &Config::eventLoop,
             QList<std::pair<QString, EventLoopChoice::Kind>>{
                 {"epoll", EventLoopChoice::Kind::Epoll}, {"qt", EventLoopChoice::Kind::Qt}})},
        {{.env = "RESERVO_SOCKET_WRITES",
          .valueName = "io_uring|send",
          .description = "how worker threads write to sockets",
          .defaultValue = "io_uring"},
         Read::choice(&Config::socketWrites,
                      QList<std::pair<QString, SocketBatch::Method>>{
                          {"io_uring", SocketBatch::Method::IoUring},
                          {"send", SocketBatch::Method::Syscalls}})},
    };
}
} // namespace

const OptionTable<Config> &ConfigLoader::table()
{
    static const OptionTable<Config> table(
        {QStringLiteral("Usage: %1 [options]\n"
                        "Reservo Live real-time seat service (Socket.IO v5 over WebSocket and HTTP "
                        "long-polling).\n"
                        "Each setting is read from the environment, then ./.env, then the flag;\n"
                        "the environment overrides .env and flags override both.\n\n"),
         QStringLiteral("Environment only, for A/B benchmarks (docs/BENCHMARKS.md):")},
        rows());
    return table;
}

} // namespace Reservo
