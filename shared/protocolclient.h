// SPDX-License-Identifier: MIT
#pragma once

#include "enginepacket.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

namespace Reservo {

// The client side of one Engine.IO v4 / Socket.IO v5 connection, independent of the transport:
// answers pings, notices a silent server, connects namespaces, emits events and matches acks.
class ProtocolClient : public QObject
{
    Q_OBJECT
public:
    explicit ProtocolClient(QObject *parent = nullptr);

    bool isOpen() const { return m_open; }
    const EngineIo::OpenInfo &openInfo() const { return m_openInfo; }

    // Call when the transport (re)connects, before any frame arrives.
    void reset();
    void handleTextFrame(const QByteArray &frame);
    void connectNamespace(const QString &nsp = QStringLiteral("/"), const QJsonObject &auth = {});
    // Returns the ack id if wantAck, else -1.
    qint64 emitEvent(const QString &event, const QJsonArray &args, bool wantAck = false,
                     const QString &nsp = QStringLiteral("/"));

signals:
    void frameReady(const QByteArray &frame);
    void opened(const Reservo::EngineIo::OpenInfo &info);
    void namespaceConnected(const QString &nsp, const QJsonObject &reply);
    void namespaceRefused(const QString &nsp, const QString &message);
    void namespaceDisconnected(const QString &nsp);
    void eventReceived(const QString &nsp, const QString &event, const QJsonArray &args);
    void ackReceived(const QString &nsp, quint64 ackId, const QJsonArray &args);
    // The connection is unusable: a malformed packet, a server close or no ping in time.
    void failed(const QString &reason);

private:
    void handleSocketPacket(const QByteArray &text);
    void handleSilence();
    void fail(const QString &reason);

    bool m_open = false;
    EngineIo::OpenInfo m_openInfo;
    quint64 m_nextAckId = 0;
    QTimer m_silenceTimer;
};

} // namespace Reservo
