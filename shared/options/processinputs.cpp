// SPDX-License-Identifier: MIT
#include "processinputs.h"

#include <QFile>
#include <QProcessEnvironment>

namespace Reservo {

ProcessInputs ProcessInputs::read(int argc, char **argv)
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

} // namespace Reservo
