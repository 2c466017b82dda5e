// SPDX-License-Identifier: MIT
#include "simoptions.h"
#include "config.h"

#include <QLocale>
#include <cmath>

namespace Reservo {

namespace {
constexpr qint64 MaxTotalSeats = 10'000'000;
constexpr double MaxDurationS = 2'000'000; // in milliseconds it still fits a Qt timer's int
constexpr qsizetype HelpIndent = 27;
constexpr qsizetype HelpWidth = 100;

// Reads a whole number in [min, max] or says what was expected.
bool readInteger(const QString &value, qint64 min, qint64 max, qint64 &out, QString &why)
{
    bool ok = false;
    out = value.trimmed().toLongLong(&ok);
    if (ok && out >= min && out <= max)
        return true;
    why = QStringLiteral("expected a whole number from %1 to %2").arg(min).arg(max);
    return false;
}

bool readNumber(const QString &value, double min, double max, double &out, QString &why)
{
    bool ok = false;
    out = value.trimmed().toDouble(&ok);
    if (ok && std::isfinite(out) && out >= min && out <= max)
        return true;
    why = QStringLiteral("expected a number from %1 to %2")
              .arg(QString::number(min, 'f', QLocale::FloatingPointShortest),
                   QString::number(max, 'f', QLocale::FloatingPointShortest));
    return false;
}

template <typename T> bool readInto(const QString &v, qint64 min, qint64 max, T &out, QString &why)
{
    qint64 n = 0;
    if (!readInteger(v, min, max, n, why))
        return false;
    out = T(n);
    return true;
}

// One command-line flag: its name, value placeholder, help, and how it sets the options.
struct Flag
{
    const char *name;
    const char *valueName; // nullptr for a switch
    const char *help;
    bool (*apply)(SimOptions &, const QString &, QString &);
};

const Flag flags[] = {
    {"events", "N", "number of events (1-100000, default 3)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInto(v, 1, 100000, o.catalogue.events, why);
     }},
    {"seats", "N",
     "seats per event: 15 is the seed layout A11..C15, other sizes are rows A, B, ... Z, AA, ... "
     "of 20 seats numbered from 1 (1-100000, default 15)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInto(v, 1, 100000, o.catalogue.seatsPerEvent, why);
     }},
    {"seed", "N", "seed of the event and seat ids and of the changes (0-4294967295, default 1)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInto(v, 0, 4294967295LL, o.catalogue.seed, why);
     }},
    {"initial-occupied", "PCT",
     "percentage of each event's seats OCCUPIED at start (0-100, "
     "default 0: all AVAILABLE)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInto(v, 0, 100, o.catalogue.initialOccupiedPercent, why);
     }},
    {"rate", "N",
     "seat changes published per second across all events (0-10000000, default 2; "
     "0: only answer requests)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readNumber(v, 0, 1e7, o.rate, why);
     }},
    {"count", "N", "stop publishing after N changes, keep answering (default: never stop)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInteger(v, 0, 1'000'000'000'000LL, o.count, why);
     }},
    {"duration", "S", "exit 0 after S seconds (default: run until SIGINT or SIGTERM)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readNumber(v, 0.001, MaxDurationS, o.durationS, why);
     }},
    {"reply-delay", "MS",
     "delay every events.get.id/upcoming reply by MS milliseconds; the seat "
     "map is the one when the request arrived (0-600000, default 0)",
     [](SimOptions &o, const QString &v, QString &why) {
         return readInto(v, 0, 600000, o.replyDelayMs, why);
     }},
    {"print-events", nullptr, "print the events (with seats) as JSON lines and exit",
     [](SimOptions &o, const QString &, QString &) { return o.printEvents = true; }},
    {"nats-server", "URLS",
     "NATS_SERVER: comma-separated NATS URLs of one cluster "
     "(default nats://127.0.0.1:4222)",
     nullptr}, // applied by applyNatsServer, after the environment
};

// Breaks a flag's description into lines that fit beside the flag column.
QString wrapped(const QString &text)
{
    QString out;
    qsizetype column = HelpIndent;
    for (const QString &word : text.split(u' ')) {
        if (column + word.size() >= HelpWidth) {
            out += u'\n' + QString(HelpIndent, u' ');
            column = HelpIndent;
        } else if (column > HelpIndent) {
            out += u' ';
            ++column;
        }
        out += word;
        column += word.size();
    }
    return out;
}

const Flag *findFlag(const QString &name)
{
    for (const Flag &f : flags) {
        if (name == QLatin1String(f.name))
            return &f;
    }
    return nullptr;
}
} // namespace

QString SimOptionsParser::helpText(const QString &program)
{
    QString text =
        QStringLiteral(
            "Usage: %1 [options]\n"
            "Stand-in for the Reservo events service on NATS: answers events.get.id and\n"
            "events.get.upcoming, publishes seat changes on update.seat.state. Prints one line\n"
            "'event <id> <name> <seatCount>' per event on start. Ids are name-based UUIDs,\n"
            "the same for the same seed: event n (from 1) is uuid5(%2,\n"
            "\"<seed>/event/<n>\"), a seat is uuid5(<event id>, \"<tag>\").\n"
            "NATS_SERVER is read from ./.env, then the environment (which overrides .env), then\n"
            "--nats-server (which overrides both).\n\n")
            .arg(program, EventCatalogue::Namespace.toString(QUuid::WithoutBraces));
    for (const Flag &f : flags) {
        const QString flag =
            QStringLiteral("  --%1 %2").arg(QLatin1String(f.name), QLatin1String(f.valueName));
        text += flag.leftJustified(HelpIndent - 1) + u' ' + wrapped(QLatin1String(f.help)) + u'\n';
    }
    text += QStringLiteral("  --help").leftJustified(HelpIndent) +
            QStringLiteral("show this help and exit\n");
    return text;
}

std::optional<SimOptions> SimOptionsParser::parse(const QMap<QString, QString> &environment,
                                                  const QByteArray &dotEnv,
                                                  const QStringList &arguments)
{
    m_error.clear();
    m_helpRequested = false;
    const std::optional<QMap<QString, QString>> fromFile =
        ConfigLoader::parseDotEnv(dotEnv, &m_error);
    if (!fromFile)
        return std::nullopt;
    SimOptions options;
    const QString key = QStringLiteral("NATS_SERVER");
    if (fromFile->contains(key) &&
        !applyNatsServer(options, fromFile->value(key), QStringLiteral(".env")))
        return std::nullopt;
    if (environment.contains(key) &&
        !applyNatsServer(options, environment.value(key), QStringLiteral("environment")))
        return std::nullopt;
    if (!parseArguments(options, arguments))
        return std::nullopt;
    const qint64 totalSeats = qint64(options.catalogue.events) * options.catalogue.seatsPerEvent;
    if (totalSeats > MaxTotalSeats) {
        m_error = QStringLiteral("--events x --seats is %1 seats; at most %2 are supported")
                      .arg(totalSeats)
                      .arg(MaxTotalSeats);
        return std::nullopt;
    }
    return options;
}

bool SimOptionsParser::applyNatsServer(SimOptions &options, const QString &value,
                                       const QString &origin)
{
    QString why;
    const std::optional<QStringList> urls = ConfigLoader::parseNatsServers(value, &why);
    if (!urls) {
        m_error = QStringLiteral("invalid NATS_SERVER=%1 (from %2): %3").arg(value, origin, why);
        return false;
    }
    options.natsServers = *urls;
    return true;
}

bool SimOptionsParser::parseArguments(SimOptions &options, const QStringList &arguments)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString arg = arguments[i];
        if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            m_helpRequested = true;
            continue;
        }
        if (!arg.startsWith(QLatin1String("--"))) {
            m_error = QStringLiteral("unexpected argument '%1' (see --help)").arg(arg);
            return false;
        }
        const qsizetype eq = arg.indexOf(u'=');
        const QString name = arg.mid(2, eq < 0 ? -1 : eq - 2);
        const Flag *flag = findFlag(name);
        if (!flag) {
            m_error = QStringLiteral("unknown option --%1 (see --help)").arg(name);
            return false;
        }
        if (eq >= 0 && !flag->valueName) {
            m_error = QStringLiteral("--%1 takes no value").arg(name);
            return false;
        }
        QString value;
        if (eq >= 0) {
            value = arg.mid(eq + 1);
        } else if (flag->valueName) {
            if (i + 1 >= arguments.size()) {
                m_error = QStringLiteral("--%1 needs a value (see --help)").arg(name);
                return false;
            }
            value = arguments[++i];
        }
        if (!applyFlag(options, name, value))
            return false;
    }
    return true;
}

bool SimOptionsParser::applyFlag(SimOptions &options, const QString &name, const QString &value)
{
    const Flag *flag = findFlag(name);
    if (!flag->apply)
        return applyNatsServer(options, value, QStringLiteral("--nats-server"));
    QString why;
    if (flag->apply(options, value, why))
        return true;
    m_error = QStringLiteral("invalid --%1 '%2': %3").arg(name, value, why);
    return false;
}

} // namespace Reservo
