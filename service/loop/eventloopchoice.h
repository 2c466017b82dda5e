// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

class QAbstractEventDispatcher;

namespace Reservo {

// Which event loop the threads of a server run: EpollEventDispatcher, or Qt's own for A/B runs.
class EventLoopChoice
{
public:
    enum class Kind { Epoll, Qt };
    using DispatcherFactory = std::function<QAbstractEventDispatcher *()>;

    // Before QCoreApplication exists: epoll on the main thread, unless `kind` is Qt or epoll is
    // unavailable (logged); Qt's UNIX dispatcher otherwise, never its glib one.
    static void installOnMainThread(Kind kind);
    // For threads started later: epoll when the main thread runs it, else empty (Qt's own).
    static DispatcherFactory workerThreadFactory();
};

} // namespace Reservo
