// SPDX-License-Identifier: MIT
#include "eventloopchoice.h"
#include "epolleventdispatcher.h"

#include <QCoreApplication>
#include <memory>

namespace Reservo {

void EventLoopChoice::installOnMainThread(Kind kind)
{
    // Qt's glib dispatcher caps socket fan-out; Qt's UNIX one is the fallback to epoll. Either
    // must be chosen before the app exists.
    qputenv("QT_NO_GLIB", "1");
    if (kind == Kind::Qt)
        return;
    auto dispatcher = std::make_unique<EpollEventDispatcher>();
    if (dispatcher->isValid())
        QCoreApplication::setEventDispatcher(dispatcher.release()); // the main thread owns it
    else
        qCWarning(lcLoop) << "epoll unavailable:" << dispatcher->errorString();
}

EventLoopChoice::DispatcherFactory EventLoopChoice::workerThreadFactory()
{
    if (!qobject_cast<EpollEventDispatcher *>(QCoreApplication::eventDispatcher()))
        return {};
    return []() -> QAbstractEventDispatcher * {
        auto dispatcher = std::make_unique<EpollEventDispatcher>();
        if (dispatcher->isValid())
            return dispatcher.release();
        qCWarning(lcLoop) << "epoll unavailable for a worker thread:" << dispatcher->errorString();
        return nullptr; // Qt's own
    };
}

} // namespace Reservo
