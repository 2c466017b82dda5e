// SPDX-License-Identifier: MIT
#pragma once

#include "eventcatalogue.h"

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

namespace Reservo {

// Everything reservo-events-sim can be told, with defaults that run the demo with no arguments.
struct SimOptions
{
    CatalogueSpec catalogue;
    double rate = 2;      // seat changes per second across all events; 0: only answer
    qint64 count = -1;    // stop publishing after this many changes; -1: never
    double durationS = 0; // exit after this many seconds; 0: run until signalled
    int replyDelayMs = 0; // delay of every events.get.* reply
    bool printEvents = false;
    QStringList natsServers{QStringLiteral("nats://127.0.0.1:4222")};
};

// Builds SimOptions from NATS_SERVER (./.env < environment) and command-line flags.
class SimOptionsParser
{
public:
    static QString helpText(const QString &program);

    // Fails with one line naming the flag or variable at fault.
    std::optional<SimOptions> parse(const QMap<QString, QString> &environment,
                                    const QByteArray &dotEnv, const QStringList &arguments);
    bool helpRequested() const { return m_helpRequested; }
    QString errorString() const { return m_error; }

private:
    bool applyNatsServer(SimOptions &options, const QString &value, const QString &origin);
    bool applyFlag(SimOptions &options, const QString &flag, const QString &value);
    bool parseArguments(SimOptions &options, const QStringList &arguments);

    bool m_helpRequested = false;
    QString m_error;
};

} // namespace Reservo
