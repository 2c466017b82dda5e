// SPDX-License-Identifier: MIT
#pragma once

#include <QHostAddress>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo {

// Everything reservo-ws can be told, with defaults that run the demo with no file at all.
struct Config
{
    QHostAddress host = QHostAddress::Any;
    quint16 port = 3000;
    QStringList natsServers{QStringLiteral("nats://127.0.0.1:4222")};
    int pingInterval = 25000;
    int pingTimeout = 20000;
    int maxPayload = 1000000;
    int maxConnections = 100000;
    int connectTimeout = 45000;
    int handshakeTimeout = 10000;
    int maxRoomsPerConnection = 100;
    int natsMaxPayload = 65536;
    int natsRequestTimeout = 5000;
    int snapshotRetryMax = 30000;
    int maxDisconnectionDuration = 120000;
    int maxRecoverySessions = 100000;
    int recoveryBuffer = 1000;
    int roomGrace = 30000;
    int presenceInterval = 500;
    int joinRate = 20;
    int slowClientBuffer = 256 * 1024;
    int maxClientBuffer = 8 * 1024 * 1024;
    int workerThreads = -1;     // -1: one per core beyond the first (at least 1, at most 16)
    QStringList allowedOrigins; // empty: any
    QByteArray jwtSecret;       // empty: no authentication
};

// One configuration key: its environment name, its flag and what it means.
struct ConfigOption
{
    QString env;
    QString flag;
    QString valueName;
    QString description;
};

// Builds a Config from defaults < .env file < environment < command-line flags.
class ConfigLoader
{
public:
    static const QList<ConfigOption> &options();
    static QString helpText(const QString &program);

    // Fails with one line naming the variable or flag at fault.
    std::optional<Config> load(const QMap<QString, QString> &environment, const QByteArray &dotEnv,
                               const QStringList &arguments);
    bool helpRequested() const { return m_helpRequested; }
    QString errorString() const { return m_error; }

    // `NATS_SERVER`'s syntax: comma-separated nats:// or tls:// URLs (bare host:port allowed).
    static std::optional<QStringList> parseNatsServers(const QString &value, QString *error);
    // What a process reads before its flags: its environment and ./.env (empty if absent).
    struct ProcessInputs
    {
        QMap<QString, QString> environment;
        QByteArray dotEnv;
        QStringList arguments;
    };
    static ProcessInputs processInputs(int argc, char **argv);

    // WORKER_THREADS resolved: -1 becomes one per core beyond the first, 1 to 16.
    static int workerThreads(const Config &config, int cores);

    static std::optional<QMap<QString, QString>> parseDotEnv(const QByteArray &text,
                                                             QString *error);

private:
    bool apply(Config &config, const QString &key, const QString &value, const QString &origin);
    bool parseArguments(const QStringList &arguments, QMap<QString, QString> &values);

    bool m_helpRequested = false;
    QString m_error;
};

} // namespace Reservo
