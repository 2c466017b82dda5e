// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace Reservo {

// How an option takes its text on the command line.
enum class OptionKind {
    Value,  // --flag VALUE or --flag=VALUE
    Switch, // --flag alone: no value
    Preset, // a value read before every other flag, wherever it stands: it sets their defaults
    Rest,   // --flag A B ...: every later argument is its value, one per line
};

// What one option of a program is called and how --help shows it; Option<T> adds how it reads.
struct OptionSpec
{
    QString env{};          // environment and ./.env name; empty: a command-line flag only
    QString flag{};         // --flag on the command line; empty: environment only
    QString valueName{};    // --help's placeholder: N, MS, URLS, epoll|qt
    QString description{};  // --help's sentence, without the default
    QString defaultValue{}; // read before any other source; empty: the options' own value stands
    QString defaultNote{};  // --help's words for a default that is not a value ("any")
    OptionKind kind = OptionKind::Value;
};

} // namespace Reservo
