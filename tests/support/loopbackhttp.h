// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <optional>

namespace Reservo::Test {

// A complete HTTP answer as read off the wire.
struct HttpResponse
{
    int status = 0; // 0: no answer (see error)
    QByteArray head;
    QByteArray body;
    QString error;

    QByteArray header(const QByteArray &name) const;
};

// One HTTP/1.1 request with `Connection: close` to 127.0.0.1:port, read until the server closes.
// It keeps the caller's event loop running, so the test's clients still answer pings meanwhile.
HttpResponse loopbackHttpRequest(quint16 port, const QByteArray &method, const QByteArray &target,
                                 int timeoutMs);

// GET of a JSON document (nats-server's monitoring endpoints); nullopt, with `error`, when the
// answer is not a 200 with a JSON object.
std::optional<QJsonObject> loopbackJson(quint16 port, const QByteArray &target, int timeoutMs,
                                        QString *error = nullptr);

} // namespace Reservo::Test
