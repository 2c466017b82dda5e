// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>

class QTcpSocket;

namespace Reservo::Test {

// A TCP relay from a free loopback port to a local target port whose connections can be cut at
// will: a network drop between a client and a server that both stay up.
class TcpRelay : public QObject
{
public:
    explicit TcpRelay(QObject *parent = nullptr) : QObject(parent) {}

    bool listen(quint16 targetPort);
    quint16 port() const { return m_server.serverPort(); }
    // Aborts both sides of every connection relayed so far.
    void cutAll();
    int accepted() const { return m_accepted; }

private:
    void handleConnection();

    QTcpServer m_server;
    quint16 m_target = 0;
    int m_accepted = 0;
    QList<QPair<QTcpSocket *, QTcpSocket *>> m_pairs;
};

} // namespace Reservo::Test
