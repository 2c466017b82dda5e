// SPDX-License-Identifier: MIT
#pragma once

#include "childprocess.h"
#include "conformancetimeout.h"
#include "httpexchange.h"

#include <QJsonObject>
#include <QUrl>
#include <memory>

namespace Reservo::Conformance {

using Reservo::Test::HttpExchange;
using Reservo::Test::HttpResponse;

// One reservo-conformance-server process on a free loopback port: started by the test, awaited
// until it accepts connections, killed with the test.
class ConformanceProcess
{
public:
    // The server's heartbeat (the defaults are the published suites' values) and its WebSocket
    // shards (reservo-ws's default: one worker thread).
    bool start(int pingInterval = 300, int pingTimeout = 200, int workerThreads = 1);
    void kill() { m_process.kill(); }
    bool isRunning() const { return m_process.isRunning(); }
    quint16 port() const { return m_port; }
    QString errorString() const { return m_error; }
    QByteArray output() { return m_process.output(); }

    QUrl webSocketUrl(const QString &path, const QString &query) const;
    HttpResponse request(const QByteArray &method, const QByteArray &target,
                         const QByteArray &body = {}) const;
    std::unique_ptr<HttpExchange> startRequest(const QByteArray &method, const QByteArray &target,
                                               const QByteArray &body = {}) const;
    // A long-polling handshake: the open packet's JSON, or an empty object (see errorString()).
    QJsonObject openPollingSession(const QString &path);
    // A round trip through the server: when it returns, the server has read every request that
    // was written before it (one event loop; each request's bytes were already there).
    void sync() const;

private:
    bool waitForPort();
    // What fetch() sends besides the defaults: the port in Host, and a length even for an empty
    // body on anything but a GET.
    HttpExchange::Headers browserHeaders(const QByteArray &method, const QByteArray &body) const;

    Test::ChildProcess m_process{QStringLiteral("reservo-conformance-server")};
    quint16 m_port = 0;
    QString m_error;
};

// The target of a long-polling request for sid (none: a handshake).
QByteArray pollingTarget(const QString &path, const QString &sid = QString());

} // namespace Reservo::Conformance
