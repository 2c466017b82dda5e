// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <optional>

namespace Reservo {

// The ./.env file's syntax: KEY=VALUE lines, `#` comments, optional `export ` and quotes.
class DotEnv
{
public:
    // The values by key, or nullopt and `error` (".env line N: ...").
    static std::optional<QMap<QString, QString>> parse(const QByteArray &text, QString *error);
};

} // namespace Reservo
