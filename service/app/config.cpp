// SPDX-License-Identifier: MIT
#include "config.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QUrl>
#include <algorithm>
#include <limits>

namespace Reservo {

namespace {

struct IntField
{
    const char *env;
    int Config::*field;
    int min;
    int max;
};

const IntField intFields[] = {
    {"PING_INTERVAL_MS", &Config::pingInterval, 10, 3600000},
    {"PING_TIMEOUT_MS", &Config::pingTimeout, 10, 3600000},
    {"MAX_PAYLOAD", &Config::maxPayload, 64, 100 * 1024 * 1024},
    {"MAX_CONNECTIONS", &Config::maxConnections, 1, 10000000},
    {"CONNECT_TIMEOUT_MS", &Config::connectTimeout, 10, 3600000},
    {"HANDSHAKE_TIMEOUT_MS", &Config::handshakeTimeout, 10, 3600000},
    {"MAX_ROOMS_PER_CONNECTION", &Config::maxRoomsPerConnection, 1, 100000},
    {"NATS_MAX_PAYLOAD", &Config::natsMaxPayload, 256, 64 * 1024 * 1024},
    {"NATS_REQUEST_TIMEOUT_MS", &Config::natsRequestTimeout, 10, 600000},
    {"SNAPSHOT_RETRY_MAX_MS", &Config::snapshotRetryMax, 10, 3600000},
    {"MAX_DISCONNECTION_DURATION_MS", &Config::maxDisconnectionDuration, 0, 86400000},
    {"MAX_RECOVERY_SESSIONS", &Config::maxRecoverySessions, 1, 10000000},
    {"RECOVERY_BUFFER", &Config::recoveryBuffer, 1, 1000000},
    {"ROOM_GRACE_MS", &Config::roomGrace, 0, 86400000},
    {"PRESENCE_INTERVAL_MS", &Config::presenceInterval, 10, 60000},
    {"JOIN_RATE", &Config::joinRate, 1, 100000},
    {"SLOW_CLIENT_BUFFER", &Config::slowClientBuffer, 1024, 1024 * 1024 * 1024},
    {"MAX_CLIENT_BUFFER", &Config::maxClientBuffer, 4096, 1024 * 1024 * 1024},
    {"WORKER_THREADS", &Config::workerThreads, 0, 256},
};

std::optional<QString> normalizeNatsUrl(QString url)
{
    url = url.trimmed();
    if (url.isEmpty())
        return std::nullopt;
    if (!url.contains(QLatin1String("://")))
        url.prepend(QLatin1String("nats://"));
    const QUrl parsed(url, QUrl::StrictMode);
    const QString scheme = parsed.scheme();
    if (!parsed.isValid() || parsed.host().isEmpty() ||
        (scheme != QLatin1String("nats") && scheme != QLatin1String("tls")) ||
        (!parsed.path().isEmpty() && parsed.path() != QLatin1String("/")))
        return std::nullopt;
    return url;
}

} // namespace

const QList<ConfigOption> &ConfigLoader::options()
{
    static const QList<ConfigOption> list{
        {"PORT", "port", "N", "TCP port for WebSocket and HTTP (default 3000)"},
        {"HOST", "host", "ADDR", "address to listen on (default 0.0.0.0, all interfaces)"},
        {"NATS_SERVER", "nats-server", "URLS",
         "comma-separated NATS URLs of one cluster (default nats://127.0.0.1:4222)"},
        {"PING_INTERVAL_MS", "ping-interval", "MS", "Engine.IO ping interval (default 25000)"},
        {"PING_TIMEOUT_MS", "ping-timeout", "MS", "Engine.IO ping timeout (default 20000)"},
        {"MAX_PAYLOAD", "max-payload", "BYTES",
         "largest message a client may send (default 1000000)"},
        {"MAX_CONNECTIONS", "max-connections", "N",
         "connections beyond this are refused (default 100000)"},
        {"CONNECT_TIMEOUT_MS", "connect-timeout", "MS",
         "time for a client to send its Socket.IO CONNECT (default 45000)"},
        {"HANDSHAKE_TIMEOUT_MS", "handshake-timeout", "MS",
         "time for a client to send its HTTP request head (default 10000)"},
        {"MAX_ROOMS_PER_CONNECTION", "max-rooms-per-connection", "N",
         "rooms one connection may join (default 100)"},
        {"NATS_MAX_PAYLOAD", "nats-max-payload", "BYTES",
         "largest seat update accepted from NATS (default 65536)"},
        {"NATS_REQUEST_TIMEOUT_MS", "nats-request-timeout", "MS",
         "timeout of one request to the events service (default 5000)"},
        {"SNAPSHOT_RETRY_MAX_MS", "snapshot-retry-max", "MS",
         "longest wait between seat-map fetch retries (default 30000)"},
        {"MAX_DISCONNECTION_DURATION_MS", "max-disconnection-duration", "MS",
         "window for connection state recovery; 0 disables it (default 120000)"},
        {"MAX_RECOVERY_SESSIONS", "max-recovery-sessions", "N",
         "disconnected sessions kept for recovery (default 100000)"},
        {"RECOVERY_BUFFER", "recovery-buffer", "N",
         "broadcasts kept per room for recovery (default 1000)"},
        {"ROOM_GRACE_MS", "room-grace", "MS",
         "how long an empty room keeps its seat map (default 30000)"},
        {"PRESENCE_INTERVAL_MS", "presence-interval", "MS",
         "least time between two room-presence messages of a room (default 500)"},
        {"JOIN_RATE", "join-rate", "N", "joins per second one connection may make (default 20)"},
        {"SLOW_CLIENT_BUFFER", "slow-client-buffer", "BYTES",
         "unsent bytes beyond which a client gets only the latest state per seat (default 262144)"},
        {"MAX_CLIENT_BUFFER", "max-client-buffer", "BYTES",
         "unsent bytes beyond which a client is disconnected (default 8388608)"},
        {"WORKER_THREADS", "worker-threads", "N",
         "threads that write to WebSocket clients; 0: all on the main thread (default: one per "
         "core beyond the first, 1 to 16)"},
        {"ALLOWED_ORIGINS", "allowed-origins", "LIST",
         "comma-separated Origin values browsers may connect from (default: any)"},
        {"JWT_SECRET", "jwt-secret", "SECRET",
         "when set, CONNECT needs an HS256 token signed with it (default: none)"},
    };
    return list;
}

QString ConfigLoader::helpText(const QString &program)
{
    QString text =
        QStringLiteral("Usage: %1 [options]\n"
                       "Reservo Live real-time seat service (Socket.IO v5 over WebSocket and HTTP "
                       "long-polling).\n"
                       "Each setting is read from the environment, then ./.env, then the flag;\n"
                       "the environment overrides .env and flags override both.\n\n")
            .arg(program);
    for (const ConfigOption &o : options()) {
        const QString flag = QStringLiteral("  --%1 %2").arg(o.flag, o.valueName);
        text += QStringLiteral("%1 %2 [%3]\n").arg(flag.leftJustified(34), o.description, o.env);
    }
    text += QStringLiteral("  --help                             show this help and exit\n");
    return text;
}

int ConfigLoader::workerThreads(const Config &config, int cores)
{
    return config.workerThreads >= 0 ? config.workerThreads : std::clamp(cores - 1, 1, 16);
}

ConfigLoader::ProcessInputs ConfigLoader::processInputs(int argc, char **argv)
{
    ProcessInputs inputs;
    for (int i = 0; i < argc; ++i)
        inputs.arguments.append(QString::fromLocal8Bit(argv[i]));
    const QProcessEnvironment system = QProcessEnvironment::systemEnvironment();
    for (const QString &key : system.keys())
        inputs.environment.insert(key, system.value(key));
    QFile dotEnv(QStringLiteral(".env"));
    if (dotEnv.open(QIODevice::ReadOnly))
        inputs.dotEnv = dotEnv.readAll();
    return inputs;
}

std::optional<QStringList> ConfigLoader::parseNatsServers(const QString &value, QString *error)
{
    QStringList urls;
    for (const QString &part : value.split(u',')) {
        const std::optional<QString> url = normalizeNatsUrl(part);
        if (!url) {
            if (error)
                *error = QStringLiteral("'%1' is not a nats:// or tls:// URL").arg(part.trimmed());
            return std::nullopt;
        }
        urls.append(*url);
    }
    return urls;
}

std::optional<QMap<QString, QString>> ConfigLoader::parseDotEnv(const QByteArray &text,
                                                                QString *error)
{
    QMap<QString, QString> values;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype n = 0; n < lines.size(); ++n) {
        QString line = QString::fromUtf8(lines[n]).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        if (line.startsWith(QLatin1String("export ")))
            line = line.mid(7).trimmed();
        const qsizetype eq = line.indexOf(u'=');
        const QString key = line.left(eq).trimmed();
        static const QRegularExpression keyRe(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
        if (eq <= 0 || !keyRe.match(key).hasMatch()) {
            if (error)
                *error = QStringLiteral(".env line %1: expected KEY=VALUE").arg(n + 1);
            return std::nullopt;
        }
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') &&
            value.back() == value.front())
            value = value.mid(1, value.size() - 2);
        values.insert(key, value);
    }
    return values;
}

bool ConfigLoader::parseArguments(const QStringList &arguments, QMap<QString, QString> &values)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString arg = arguments[i];
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            m_helpRequested = true;
            continue;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            m_error = QStringLiteral("unexpected argument '%1' (see --help)").arg(arg);
            return false;
        }
        arg = arg.mid(2);
        QString value;
        const qsizetype eq = arg.indexOf(u'=');
        if (eq >= 0) {
            value = arg.mid(eq + 1);
            arg = arg.left(eq);
        } else if (i + 1 < arguments.size()) {
            value = arguments[++i];
        } else {
            m_error = QStringLiteral("--%1 needs a value").arg(arg);
            return false;
        }
        const auto it = std::find_if(options().begin(), options().end(),
                                     [&](const ConfigOption &o) { return o.flag == arg; });
        if (it == options().end()) {
            m_error = QStringLiteral("unknown option --%1 (see --help)").arg(arg);
            return false;
        }
        values.insert(it->env, value);
    }
    return true;
}

bool ConfigLoader::apply(Config &config, const QString &key, const QString &value,
                         const QString &origin)
{
    const auto invalid = [&](const QString &why) {
        m_error = QStringLiteral("invalid %1=%2 (from %3): %4").arg(key, value, origin, why);
        return false;
    };
    if (key == QLatin1String("PORT")) {
        bool ok = false;
        const uint port = value.trimmed().toUInt(&ok);
        if (!ok || port > 65535)
            return invalid(QStringLiteral("expected a port number 0-65535"));
        config.port = quint16(port);
    } else if (key == QLatin1String("HOST")) {
        QHostAddress address;
        if (!address.setAddress(value.trimmed()))
            return invalid(QStringLiteral("expected an IPv4 or IPv6 address"));
        config.host = address;
    } else if (key == QLatin1String("NATS_SERVER")) {
        QString why;
        const std::optional<QStringList> urls = parseNatsServers(value, &why);
        if (!urls)
            return invalid(why);
        config.natsServers = *urls;
    } else if (key == QLatin1String("ALLOWED_ORIGINS")) {
        QStringList origins;
        for (const QString &part : value.split(u',', Qt::SkipEmptyParts)) {
            const QString origin = part.trimmed();
            if (origin == QLatin1String("*"))
                return config.allowedOrigins.clear(), true;
            const QUrl url(origin, QUrl::StrictMode);
            if (!url.isValid() || url.host().isEmpty() || !url.path().isEmpty())
                return invalid(
                    QStringLiteral("'%1' is not an origin like https://host[:port]").arg(origin));
            origins.append(origin);
        }
        config.allowedOrigins = origins;
    } else if (key == QLatin1String("JWT_SECRET")) {
        config.jwtSecret = value.toUtf8();
    } else {
        for (const IntField &f : intFields) {
            if (key != QLatin1String(f.env))
                continue;
            bool ok = false;
            const int n = value.trimmed().toInt(&ok);
            if (!ok || n < f.min || n > f.max)
                return invalid(QStringLiteral("expected an integer %1-%2").arg(f.min).arg(f.max));
            config.*f.field = n;
        }
    }
    return true;
}

std::optional<Config> ConfigLoader::load(const QMap<QString, QString> &environment,
                                         const QByteArray &dotEnv, const QStringList &arguments)
{
    m_error.clear();
    m_helpRequested = false;
    const std::optional<QMap<QString, QString>> fromFile = parseDotEnv(dotEnv, &m_error);
    if (!fromFile)
        return std::nullopt;
    QMap<QString, QString> fromFlags;
    if (!parseArguments(arguments, fromFlags))
        return std::nullopt;
    Config config;
    const std::pair<const QMap<QString, QString> *, QString> layers[] = {
        {&*fromFile, QStringLiteral(".env")},
        {&environment, QStringLiteral("environment")},
        {&fromFlags, QStringLiteral("command line")},
    };
    for (const auto &[values, origin] : layers) {
        for (const ConfigOption &o : options()) {
            if (values->contains(o.env) && !apply(config, o.env, values->value(o.env), origin))
                return std::nullopt;
        }
    }
    return config;
}

} // namespace Reservo
