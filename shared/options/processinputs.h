// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>
#include <QStringList>

namespace Reservo {

// What a program reads its options from: its environment, ./.env and its command line.
struct ProcessInputs
{
    QMap<QString, QString> environment;
    QByteArray dotEnv; // the text of ./.env; empty when there is none
    QStringList arguments;

    static ProcessInputs read(int argc, char **argv);
};

} // namespace Reservo
