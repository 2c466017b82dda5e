// SPDX-License-Identifier: MIT
#include "benchoptions.h"

#include <QRegularExpression>
#include <algorithm>
#include <cmath>
#include <ctime>
#include <unistd.h>

namespace Reservo::Bench {

namespace {
using Scenario = BenchOptions::Scenario;
constexpr double MaxSeconds = 600;
constexpr qsizetype HelpIndent = 30;
constexpr qsizetype HelpWidth = 100;

bool readNumber(const QString &value, double min, double max, double &out, QString &why)
{
    bool ok = false;
    out = value.trimmed().toDouble(&ok);
    if (ok && std::isfinite(out) && out >= min && out <= max)
        return true;
    why = QStringLiteral("expected a number from %1 to %2").arg(min).arg(max);
    return false;
}

template <typename T>
bool readInt(const QString &value, qint64 min, qint64 max, T &out, QString &why)
{
    bool ok = false;
    const qint64 n = value.trimmed().toLongLong(&ok);
    if (ok && n >= min && n <= max) {
        out = T(n);
        return true;
    }
    why = QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(max);
    return false;
}

bool readRamp(const QString &value, BenchOptions::Ramp &ramp, QString &why)
{
    const QStringList parts = value.split(u':');
    BenchOptions::Ramp r;
    if (parts.size() != 4 || !readNumber(parts[0], 1, 1e8, r.from, why) ||
        !readNumber(parts[1], r.from, 1e8, r.to, why) ||
        !readNumber(parts[2], 1, 1e8, r.step, why) ||
        !readNumber(parts[3], 0.5, MaxSeconds, r.stepSeconds, why)) {
        why = QStringLiteral("expected FROM:TO:STEP:SECONDS, e.g. 10000:200000:10000:3");
        return false;
    }
    ramp = r;
    return true;
}

struct Flag
{
    const char *name;
    const char *valueName; // nullptr for a switch
    const char *help;
    bool (*apply)(BenchOptions &, const QString &, QString &);
};

const Flag flags[] = {
    {"scenario", "NAME",
     "idle | fanout | ramp | hot-room | slow-readers: sets the defaults below (default fanout). "
     "idle: connect and join, publish nothing, report server RSS per connection and idle CPU; "
     "fanout: a fixed rate; ramp: rising rates until p99 passes --p99-bound or deliveries fall "
     "behind; hot-room: 5000 clients in one room; slow-readers: --slow 10, slow clients stop "
     "reading during the window",
     nullptr},
    {"url", "URL",
     "Socket.IO server, ws:// or http:// on 127.0.0.0/8 only "
     "(default ws://127.0.0.1:3000/socket.io/)",
     [](BenchOptions &o, const QString &v, QString &) { return (o.url = v, true); }},
    {"nats-server", "URL",
     "NATS server for the changes, on 127.0.0.0/8 only "
     "(default nats://127.0.0.1:4222)",
     [](BenchOptions &o, const QString &v, QString &) { return (o.natsServer = v, true); }},
    {"server-pid", "PID", "the server's process: its RSS and CPU time are read from /proc",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 1, 1 << 30, o.serverPid, w);
     }},
    {"clients", "N", "Socket.IO clients (1-1000000, default 1000; hot-room 5000)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 1, 1000000, o.clients, w);
     }},
    {"rooms", "R", "rooms (events) the clients are spread over evenly (default 10; hot-room 1)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 1, 1000000, o.rooms, w);
     }},
    {"seats", "N", "seats per room the changes cycle over (1-100000, default 100)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 1, 100000, o.seats, w);
     }},
    {"rate", "N",
     "target deliveries per second, all clients together (default 10000; hot-room "
     "50000); changes per second = N * rooms / clients",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0, 1e8, o.rate, w);
     }},
    {"ramp", "FROM:TO:STEP:SECONDS",
     "ramp deliveries per second from FROM to TO by STEP, "
     "SECONDS per step (default 10000:200000:10000:3)",
     [](BenchOptions &o, const QString &v, QString &w) { return readRamp(v, o.ramp, w); }},
    {"p99-bound", "MS", "ramp: a step whose p99 exceeds this is saturated (default 50)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0.1, 60000, o.p99BoundMs, w);
     }},
    {"slow", "PCT",
     "percentage of each room's clients that stop reading during the window, "
     "then read again to check the final state (0-100, default 0; slow-readers 10)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 0, 100, o.slowPercent, w);
     }},
    {"duration", "S", "measured window in seconds (0.1-600, default 10)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0.1, MaxSeconds, o.durationS, w);
     }},
    {"warmup", "S", "publishing before the window opens (0-60, default 2)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0, 60, o.warmupS, w);
     }},
    {"drain", "S", "longest wait for deliveries after publishing stops (0.5-120, default 5)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0.5, 120, o.drainS, w);
     }},
    {"settle", "S", "pause after the last join before measuring (0-60, default 2)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 0, 60, o.settleS, w);
     }},
    {"connect-timeout", "S", "longest connect phase, all clients (1-600, default 120)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readNumber(v, 1, MaxSeconds, o.connectTimeoutS, w);
     }},
    {"threads", "N", "client worker threads, one epoll loop each (1-64, default 1)",
     [](BenchOptions &o, const QString &v, QString &w) { return readInt(v, 1, 64, o.threads, w); }},
    {"connect-concurrency", "N", "handshakes in flight at once (1-100000, default 256)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 1, 100000, o.connectConcurrency, w);
     }},
    {"slow-rcvbuf", "BYTES",
     "SO_RCVBUF of slow clients, so the server sees them stall soon "
     "(0: kernel default; default 4096)",
     [](BenchOptions &o, const QString &v, QString &w) {
         return readInt(v, 0, 1 << 24, o.slowReceiveBuffer, w);
     }},
    {"reads", "io_uring|recv",
     "how client workers read: one io_uring submission for every socket an epoll wake-up "
     "reports, or one recv() each (default io_uring; recv where io_uring is unavailable)",
     [](BenchOptions &o, const QString &v, QString &w) {
         const std::optional<SocketBatch::Method> method =
             SocketBatch::parseMethod(v.toUtf8(), "recv");
         if (!method)
             w = QStringLiteral("expected io_uring or recv");
         o.reads = method.value_or(o.reads);
         return method.has_value();
     }},
    {"event-prefix", "TEXT",
     "event id prefix; rooms are TEXT-r0, TEXT-r1... (default "
     "bench-<pid>-<time>: fresh rooms, so every change alters a seat)",
     [](BenchOptions &o, const QString &v, QString &) { return (o.eventPrefix = v, true); }},
    {"events", "ID,ID...",
     "join these existing rooms instead of fresh ones (sets --rooms to their number), e.g. the "
     "events simulator's; idle scenario only, the bench publishes on its own rooms alone",
     [](BenchOptions &o, const QString &v, QString &) {
         return (o.eventIds = v.split(u',', Qt::SkipEmptyParts), true);
     }},
    {"label", "TEXT", "name of this run in tables (default: the scenario and sizes)",
     [](BenchOptions &o, const QString &v, QString &) { return (o.label = v, true); }},
    {"json", nullptr, "print the report as JSON instead of a table",
     [](BenchOptions &o, const QString &, QString &) { return (o.json = true, true); }},
    {"summarize", "FILE...", "print one table of the JSON reports given (no run)", nullptr},
};

// "  --flag VALUE   help..." with the help wrapped at HelpWidth and indented under itself.
QString wrapped(const QString &head, const QString &help)
{
    QString text = head.leftJustified(HelpIndent) + u' ';
    qsizetype column = text.size();
    for (const QString &word : help.split(u' ', Qt::SkipEmptyParts)) {
        if (column + word.size() > HelpWidth && column > HelpIndent + 1) {
            text.chop(1);
            text += u'\n' + QString(HelpIndent + 1, u' ');
            column = HelpIndent + 1;
        }
        text += word + u' ';
        column += word.size() + 1;
    }
    text.chop(1);
    return text + u'\n';
}

const Flag *findFlag(const QString &name)
{
    for (const Flag &flag : flags) {
        if (name == QLatin1String(flag.name))
            return &flag;
    }
    return nullptr;
}
} // namespace

int BenchOptions::Ramp::steps() const
{
    return int(std::floor((to - from) / step + 1e-9)) + 1;
}

QString BenchOptions::scenarioName(Scenario scenario)
{
    static const char *const names[] = {"idle", "fanout", "ramp", "hot-room", "slow-readers"};
    return QString::fromLatin1(names[int(scenario)]);
}

double BenchOptions::budgetSeconds() const
{
    const double publishing =
        scenario == Scenario::Ramp ? ramp.steps() * ramp.stepSeconds : warmupS + durationS;
    return connectTimeoutS + settleS + publishing + 2 * drainS + 30;
}

QString BenchOptionsParser::helpText()
{
    QString text = QStringLiteral(
        "Usage: reservo-bench [options]\n"
        "Load generator for Reservo Live: N Socket.IO clients (WebSocket transport, raw epoll\n"
        "sockets) over R rooms of any Socket.IO server on this host; seat changes driven through\n"
        "NATS; reports connect time, delivery latency (publish to client), deliveries/s, lost,\n"
        "duplicated and superseded deliveries, the server's RSS and CPU (--server-pid), and the\n"
        "bench's own CPU.\n\n");
    for (const Flag &flag : flags) {
        const QString head =
            QStringLiteral("  --%1 %2")
                .arg(QLatin1String(flag.name), QLatin1String(flag.valueName ? flag.valueName : ""));
        text += wrapped(head, QLatin1String(flag.help));
    }
    text +=
        QStringLiteral("  --help").leftJustified(HelpIndent) + QStringLiteral(" show this help\n");
    return text;
}

bool BenchOptionsParser::collect(const QStringList &arguments,
                                 QList<std::pair<QString, QString>> &out)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString name = arguments[i];
        if (name == QLatin1String("--help") || name == QLatin1String("-h")) {
            m_helpRequested = true;
            continue;
        }
        const Flag *flag = name.startsWith(QLatin1String("--"))
                               ? findFlag(name.mid(2).section(u'=', 0, 0))
                               : nullptr;
        if (!flag) {
            m_error = QStringLiteral("unknown argument '%1' (see --help)").arg(name);
            return false;
        }
        if (name == QLatin1String("--summarize")) {
            out.append({QStringLiteral("summarize"), arguments.mid(i + 1).join(u'\n')});
            return true;
        }
        QString value;
        if (name.contains(u'='))
            value = name.section(u'=', 1);
        else if (flag->valueName && i + 1 < arguments.size())
            value = arguments[++i];
        else if (flag->valueName) {
            m_error = QStringLiteral("--%1 needs a value").arg(QLatin1String(flag->name));
            return false;
        }
        out.append({QLatin1String(flag->name), value});
    }
    return true;
}

bool BenchOptionsParser::applyScenario(BenchOptions &o, const QString &name)
{
    if (name == QLatin1String("idle")) {
        o.scenario = Scenario::Idle;
        o.durationS = 5;
    } else if (name == QLatin1String("fanout")) {
        o.scenario = Scenario::Fanout;
    } else if (name == QLatin1String("ramp")) {
        o.scenario = Scenario::Ramp;
    } else if (name == QLatin1String("hot-room")) {
        o.scenario = Scenario::HotRoom;
        o.clients = 5000;
        o.rooms = 1;
        o.rate = 50000;
    } else if (name == QLatin1String("slow-readers")) {
        o.scenario = Scenario::SlowReaders;
        o.slowPercent = 10;
    } else {
        m_error = QStringLiteral("--scenario: unknown scenario '%1'").arg(name);
        return false;
    }
    return true;
}

std::optional<BenchOptions> BenchOptionsParser::parse(const QStringList &arguments)
{
    QList<std::pair<QString, QString>> given;
    if (!collect(arguments, given))
        return std::nullopt;
    BenchOptions options;
    for (const auto &[name, value] : std::as_const(given)) {
        if (name == QLatin1String("scenario") && !applyScenario(options, value))
            return std::nullopt;
    }
    for (const auto &[name, value] : std::as_const(given)) {
        QString why;
        if (name == QLatin1String("summarize"))
            options.summarize = value.split(u'\n', Qt::SkipEmptyParts);
        else if (const Flag *flag = findFlag(name);
                 flag->apply && !flag->apply(options, value, why)) {
            m_error = QStringLiteral("--%1 %2: %3").arg(name, value, why);
            return std::nullopt;
        }
    }
    if (!options.eventIds.isEmpty())
        options.rooms = int(options.eventIds.size());
    if (options.eventPrefix.isEmpty())
        options.eventPrefix =
            QStringLiteral("bench-%1-%2").arg(qint64(::getpid())).arg(qint64(std::time(nullptr)));
    return validate(options) ? std::optional(options) : std::nullopt;
}

bool BenchOptionsParser::validate(const BenchOptions &o)
{
    static const QRegularExpression idChars(QStringLiteral("^[A-Za-z0-9_.:-]{1,100}$"));
    static const QRegularExpression eventId(QStringLiteral("^[A-Za-z0-9_.:-]{1,128}$"));
    const bool badEventId =
        std::any_of(o.eventIds.cbegin(), o.eventIds.cend(),
                    [](const QString &id) { return !eventId.match(id).hasMatch(); });
    if (badEventId)
        m_error =
            QStringLiteral("--events: ids of letters, digits and _.:- only, at most 128 each");
    else if (!o.eventIds.isEmpty() && o.publishes())
        m_error = QStringLiteral("--events is for --scenario idle only: the bench publishes on "
                                 "rooms of its own");
    else if (o.rooms > o.clients)
        m_error =
            QStringLiteral("--rooms %1 is more than --clients %2").arg(o.rooms).arg(o.clients);
    else if (!idChars.match(o.eventPrefix).hasMatch())
        m_error = QStringLiteral("--event-prefix: letters, digits and _.:- only, at most 100");
    else if (o.publishes() && o.scenario != Scenario::Ramp && o.rate <= 0)
        m_error = QStringLiteral("--rate must be positive for scenario %1")
                      .arg(BenchOptions::scenarioName(o.scenario));
    else if (o.scenario == Scenario::Ramp && o.ramp.steps() * o.ramp.stepSeconds > MaxSeconds)
        m_error = QStringLiteral("--ramp lasts more than %1 s").arg(MaxSeconds);
    else if (o.scenario == Scenario::Ramp && o.ramp.steps() > 64)
        m_error = QStringLiteral("--ramp has more than 64 steps");
    return m_error.isEmpty();
}

} // namespace Reservo::Bench
