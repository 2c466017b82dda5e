// SPDX-License-Identifier: MIT
#include "tcprelay.h"

#include <QTcpSocket>

namespace Reservo::Test {

bool TcpRelay::listen(quint16 targetPort)
{
    m_target = targetPort;
    connect(&m_server, &QTcpServer::newConnection, this, &TcpRelay::handleConnection);
    return m_server.listen(QHostAddress::LocalHost);
}

void TcpRelay::handleConnection()
{
    while (QTcpSocket *client = m_server.nextPendingConnection()) {
        ++m_accepted;
        client->setParent(this);
        auto *upstream = new QTcpSocket(this);
        m_pairs.append(qMakePair(client, upstream));
        // The client's bytes wait in its socket until the target has accepted.
        const auto forward = [client, upstream] {
            if (upstream->state() == QAbstractSocket::ConnectedState)
                upstream->write(client->readAll());
        };
        connect(upstream, &QTcpSocket::connected, client, forward);
        connect(client, &QTcpSocket::readyRead, upstream, forward);
        connect(upstream, &QTcpSocket::readyRead, client,
                [client, upstream] { client->write(upstream->readAll()); });
        connect(client, &QTcpSocket::disconnected, upstream, &QTcpSocket::disconnectFromHost);
        connect(upstream, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        connect(upstream, &QTcpSocket::errorOccurred, client, &QTcpSocket::abort);
        upstream->connectToHost(QHostAddress::LocalHost, m_target);
    }
}

void TcpRelay::cutAll()
{
    const auto pairs = std::exchange(m_pairs, {});
    for (const auto &[client, upstream] : pairs) {
        client->abort();
        upstream->abort();
        client->deleteLater();
        upstream->deleteLater();
    }
}

} // namespace Reservo::Test
