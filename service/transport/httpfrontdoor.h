// SPDX-License-Identifier: MIT
#pragma once

#include "httprequest.h"

#include <QHash>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QObject>
#include <QTcpServer>
#include <functional>

Q_DECLARE_LOGGING_CATEGORY(lcHttp)

class QTcpSocket;

namespace Reservo {

// A complete HTTP answer: to a plain request, or a socket handler's refusal.
struct HttpReply
{
    int status = 200;
    QByteArray contentType = "text/plain; charset=utf-8";
    QByteArray body;
    QList<std::pair<QByteArray, QByteArray>> headers = {}; // extra response headers
};

// The one listening port: reads each connection's request head (bounded in size and time) and
// hands it to the prefix handler that claims its path, or answers 404.
class HttpFrontDoor : public QObject
{
    Q_OBJECT
public:
    // Takes the socket (returns nullopt) or answers it (returns the reply to send).
    using SocketHandler =
        std::function<std::optional<HttpReply>(QTcpSocket *, const HttpRequest &)>;
    using Handler = std::function<HttpReply(const HttpRequest &)>;

    struct Limits
    {
        int headTimeoutMs = 10000;
        qsizetype maxHeadBytes = 16384;
    };

    explicit HttpFrontDoor(const Limits &limits, QObject *parent = nullptr);

    void setSocketHandler(const QString &pathPrefix, SocketHandler handler);
    void setHandler(const QString &path, Handler handler);

    bool listen(const QHostAddress &address, quint16 port);
    void stopListening() { m_server.close(); }
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }
    bool isListening() const { return m_server.isListening(); }
    quint64 badRequests() const { return m_badRequests; }

private:
    void handleNewConnections();
    void handleReadyRead(QTcpSocket *socket);
    void route(QTcpSocket *socket, const HttpRequest &request);
    void reply(QTcpSocket *socket, const HttpReply &reply);
    void refuse(QTcpSocket *socket, int status, const QString &why);

    Limits m_limits;
    QTcpServer m_server;
    QList<std::pair<QString, SocketHandler>> m_socketHandlers;
    QHash<QString, Handler> m_handlers;
    quint64 m_badRequests = 0;
};

} // namespace Reservo
