// SPDX-License-Identifier: MIT
// The configuration loader on an arbitrary environment, .env text and command line. A config it
// accepts, given back to it as flags (and environment-only settings as variables), must load to
// the same config; .env and NATS_SERVER values it accepts must survive being written out again.
#include "config.h"
#include "dotenv.h"
#include "fuzzcheck.h"
#include "valuereaders.h"

#include <fuzzer/FuzzedDataProvider.h>

using namespace Reservo;
using Reservo::Fuzz::quoted;

namespace {

// Every setting of a config, keyed by its environment name, in the form the loader reads.
QMap<QString, QString> settings(const Config &c)
{
    const auto n = [](int value) { return QString::number(value); };
    QMap<QString, QString> values{
        {"PORT", n(c.port)},
        {"HOST", c.host.toString()},
        {"NATS_SERVER", c.natsServers.join(u',')},
        {"PING_INTERVAL_MS", n(c.pingInterval)},
        {"PING_TIMEOUT_MS", n(c.pingTimeout)},
        {"MAX_PAYLOAD", n(c.maxPayload)},
        {"MAX_CONNECTIONS", n(c.maxConnections)},
        {"CONNECT_TIMEOUT_MS", n(c.connectTimeout)},
        {"HANDSHAKE_TIMEOUT_MS", n(c.handshakeTimeout)},
        {"MAX_ROOMS_PER_CONNECTION", n(c.maxRoomsPerConnection)},
        {"NATS_MAX_PAYLOAD", n(c.natsMaxPayload)},
        {"NATS_REQUEST_TIMEOUT_MS", n(c.natsRequestTimeout)},
        {"SNAPSHOT_RETRY_MAX_MS", n(c.snapshotRetryMax)},
        {"MAX_DISCONNECTION_DURATION_MS", n(c.maxDisconnectionDuration)},
        {"MAX_RECOVERY_SESSIONS", n(c.maxRecoverySessions)},
        {"RECOVERY_BUFFER", n(c.recoveryBuffer)},
        {"ROOM_GRACE_MS", n(c.roomGrace)},
        {"PRESENCE_INTERVAL_MS", n(c.presenceInterval)},
        {"JOIN_RATE", n(c.joinRate)},
        {"MAX_ROOMS", n(c.maxRooms)},
        {"EVENTS_MAX_IN_FLIGHT", n(c.eventsMaxInFlight)},
        {"EVENTS_REQUEST_RATE", n(c.eventsRequestRate)},
        {"EVENTS_REQUEST_BURST", n(c.eventsRequestBurst)},
        {"EVENTS_QUEUE_MAX", n(c.eventsQueueMax)},
        {"UNKNOWN_EVENT_CACHE", n(c.unknownEventCache)},
        {"UNKNOWN_EVENT_TTL_MS", n(c.unknownEventTtl)},
        {"MAX_UNKNOWN_JOINS", n(c.maxUnknownJoins)},
        {"SLOW_CLIENT_BUFFER", n(c.slowClientBuffer)},
        {"MAX_CLIENT_BUFFER", n(c.maxClientBuffer)},
        {"ALLOWED_ORIGINS", c.allowedOrigins.isEmpty() ? "*" : c.allowedOrigins.join(u',')},
        {"JWT_SECRET", QString::fromUtf8(c.jwtSecret)},
        {"RESERVO_EVENT_DISPATCHER", c.eventLoop == EventLoopChoice::Kind::Qt ? "qt" : "epoll"},
        {"RESERVO_SOCKET_WRITES",
         c.socketWrites == SocketBatch::Method::Syscalls ? "send" : "io_uring"},
    };
    // No value of WORKER_THREADS means its default (-1: one per core): it is given only when set.
    if (c.workerThreads >= 0)
        values.insert("WORKER_THREADS", n(c.workerThreads));
    return values;
}

// The option's flag; empty for an environment-only one.
QString flagOf(const QString &env)
{
    for (const ConfigOption &o : ConfigLoader::options()) {
        if (o.env == env)
            return o.flag;
    }
    FUZZ_CHECK(false, "the harness does not know " + env.toUtf8());
    return {};
}

OptionResult<Config> load(const QMap<QString, QString> &environment, const QByteArray &dotEnv,
                          const QStringList &arguments)
{
    return ConfigLoader::table().read({environment, dotEnv, arguments});
}

QByteArray describe(const QMap<QString, QString> &values)
{
    QByteArray out;
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        out += it.key().toUtf8() + '=' + quoted(it.value().toUtf8()) + ' ';
    return out;
}

void checkConfigRoundTrip(const Config &config)
{
    const QMap<QString, QString> before = settings(config);
    const qsizetype unset = config.workerThreads < 0 ? 1 : 0;
    FUZZ_CHECK(before.size() + unset == ConfigLoader::options().size(), "harness misses an option");
    QStringList arguments{QStringLiteral("reservo-ws")};
    QMap<QString, QString> environment;
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        const QString flag = flagOf(it.key());
        if (flag.isEmpty())
            environment.insert(it.key(), it.value());
        else
            arguments << QStringLiteral("--%1=%2").arg(flag, it.value());
    }
    const OptionResult<Config> again = load(environment, {}, arguments);
    FUZZ_CHECK(again.options.has_value(), describe(before) + "rejected: " + again.error.toUtf8());
    FUZZ_CHECK(settings(*again.options) == before,
               describe(before) + "became " + describe(settings(*again.options)));
}

void checkDotEnv(const QByteArray &text)
{
    QString error;
    const std::optional<QMap<QString, QString>> values = DotEnv::parse(text, &error);
    if (!values) {
        FUZZ_CHECK(!error.isEmpty(), "rejected without a reason");
        return;
    }
    QByteArray written;
    for (auto it = values->cbegin(); it != values->cend(); ++it)
        written += it.key().toUtf8() + "=\"" + it.value().toUtf8() + "\"\n";
    const std::optional<QMap<QString, QString>> again = DotEnv::parse(written, &error);
    FUZZ_CHECK(again && *again == *values, "re-read .env " + quoted(written) + " as " +
                                               (again ? describe(*again) : error.toUtf8()));
}

void checkNatsServers(const QString &value)
{
    QString error;
    QStringList urls;
    if (!ValueReaders::natsServers(value, urls, error)) {
        FUZZ_CHECK(!error.isEmpty(), "rejected without a reason");
        return;
    }
    FUZZ_CHECK(!urls.isEmpty(), "no URL accepted from " + quoted(value.toUtf8()));
    QStringList again;
    FUZZ_CHECK(ValueReaders::natsServers(urls.join(u','), again, error) && again == urls,
               "NATS_SERVER not stable: " + quoted(value.toUtf8()));
}

QString consumeString(FuzzedDataProvider &fdp)
{
    return QString::fromStdString(fdp.ConsumeRandomLengthString(96));
}

// A command-line argument: usually a known flag (with `=value` or the value as the next word);
// an environment-only setting has none, and gets a stray argument instead.
void consumeArgument(FuzzedDataProvider &fdp, QStringList &arguments)
{
    const QList<ConfigOption> &options = ConfigLoader::options();
    const int pick = fdp.ConsumeIntegralInRange<int>(0, int(options.size()) + 1);
    if (pick >= options.size() || options[pick].flag.isEmpty()) {
        arguments << consumeString(fdp);
    } else if (fdp.ConsumeBool()) {
        arguments << QStringLiteral("--%1=%2").arg(options[pick].flag, consumeString(fdp));
    } else {
        arguments << QStringLiteral("--") + options[pick].flag << consumeString(fdp);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FuzzedDataProvider fdp(data, size);
    const QList<ConfigOption> &options = ConfigLoader::options();
    QMap<QString, QString> environment;
    for (int n = fdp.ConsumeIntegralInRange(0, 4); n > 0; --n) {
        const qsizetype pick = fdp.ConsumeIntegralInRange<qsizetype>(0, options.size() - 1);
        environment.insert(options[pick].env, consumeString(fdp));
    }
    QStringList arguments{QStringLiteral("reservo-ws")};
    for (int n = fdp.ConsumeIntegralInRange(0, 4); n > 0; --n)
        consumeArgument(fdp, arguments);
    const QString natsServers = consumeString(fdp);
    const std::string rest = fdp.ConsumeRemainingBytesAsString();
    const QByteArray dotEnv(rest.data(), qsizetype(rest.size()));

    const OptionResult<Config> loaded = load(environment, dotEnv, arguments);
    FUZZ_CHECK(loaded.options.has_value() == loaded.error.isEmpty(), loaded.error.toUtf8());
    FUZZ_CHECK(!loaded.error.contains(u'\n'), "a two-line error: " + loaded.error.toUtf8());
    if (loaded.options)
        checkConfigRoundTrip(*loaded.options);
    checkDotEnv(dotEnv);
    checkNatsServers(natsServers);
    return 0;
}
