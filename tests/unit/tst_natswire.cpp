// SPDX-License-Identifier: MIT
#include "natswire.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Reservo;
using NatsWire::BadInput;

// Readable QCOMPARE failures for JSON values (QTest finds these by argument-dependent lookup).
static char *toString(const QJsonObject &object)
{
    return qstrdup(QJsonDocument(object).toJson(QJsonDocument::Compact).constData());
}

static char *toString(const QJsonValue &value)
{
    if (value.isUndefined())
        return qstrdup("undefined");
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return qstrdup(array.mid(1, array.size() - 2).constData());
}

namespace {

QString kindName(BadInput kind)
{
    return QString(NatsWire::badInputName(kind));
}

QJsonObject object(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qFatal("bad JSON object in test: %s", text.constData());
    return doc.object();
}

QByteArray id(int length, char c = 'x')
{
    return QByteArray(length, c);
}

QByteArray seatChange(const QByteArray &eventId, const QByteArray &seatId, const QByteArray &state)
{
    return R"({"eventId":)" + eventId + R"(,"seatId":)" + seatId + R"(,"seatState":)" + state + '}';
}

QByteArray quoted(const QByteArray &text)
{
    return '"' + text + '"';
}

QByteArray envelope(const QByteArray &data, const QByteArray &idJson = R"("req-1")")
{
    return R"({"pattern":"update.seat.state","data":)" + data + R"(,"id":)" + idJson + '}';
}

NatsWire::EventDetails sampleEvent()
{
    NatsWire::EventDetails e;
    e.id = QStringLiteral("6650c5a1f0e1b2a3c4d5e6f7");
    e.name = QStringLiteral("Concierto \u00e9t\u00e9");
    e.description = QStringLiteral("Line 1\nLine \"2\"");
    e.date = QStringLiteral("2025-06-01T20:00:00.000Z");
    e.capacity = 3;
    e.organizedBy = QJsonObject{{QStringLiteral("id"), QStringLiteral("u1")},
                                {QStringLiteral("name"), QStringLiteral("Org")}};
    e.seats = {{QStringLiteral("s1"), QStringLiteral("A1"), SeatState::Available},
               {QStringLiteral("s2"), QStringLiteral("A2"), SeatState::Pending},
               {QStringLiteral("s3"), QStringLiteral("B1"), SeatState::Occupied}};
    return e;
}

QList<NatsWire::EventSummary> sampleSummaries()
{
    NatsWire::EventSummary a;
    a.id = QStringLiteral("e1");
    a.name = QStringLiteral("First");
    a.description = QStringLiteral("d1");
    a.date = QStringLiteral("2025-06-01T20:00:00.000Z");
    a.capacity = 100;
    a.occupiedSeats = 42;
    a.organizedBy = QJsonObject{{QStringLiteral("id"), QStringLiteral("u1")}};
    NatsWire::EventSummary b;
    b.id = QString(128, u'z');
    b.name = QStringLiteral("Second \u20ac");
    b.capacity = 0;
    return {a, b};
}

void compareDetails(const NatsWire::EventDetails &actual, const NatsWire::EventDetails &expected)
{
    QCOMPARE(actual.id, expected.id);
    QCOMPARE(actual.name, expected.name);
    QCOMPARE(actual.description, expected.description);
    QCOMPARE(actual.date, expected.date);
    QCOMPARE(actual.capacity, expected.capacity);
    QCOMPARE(actual.organizedBy, expected.organizedBy);
    QCOMPARE(actual.seats.size(), expected.seats.size());
    for (qsizetype i = 0; i < expected.seats.size(); ++i)
        QVERIFY2(actual.seats.at(i) == expected.seats.at(i), qPrintable(expected.seats.at(i).id));
}

void compareSummaries(const QList<NatsWire::EventSummary> &actual,
                      const QList<NatsWire::EventSummary> &expected)
{
    QCOMPARE(actual.size(), expected.size());
    for (qsizetype i = 0; i < expected.size(); ++i)
        QCOMPARE(actual.at(i).toJson(), expected.at(i).toJson());
}

} // namespace

// The NATS wire formats of the events service, both directions.
class tst_NatsWire : public QObject
{
    Q_OBJECT

private slots:
    void badInputName_data();
    void badInputName();
    void isValidId_data();
    void isValidId();
    void parseSeatChange_data();
    void parseSeatChange();
    void parseSeatChangeRejects_data();
    void parseSeatChangeRejects();
    void rejectKeepsEnvelopeId_data();
    void rejectKeepsEnvelopeId();
    void parseSeatChangeScalarIsNotObject_data();
    void parseSeatChangeScalarIsNotObject();
    void parseSeatChangeMaxPayload();
    void seatChangeRoundTrip_data();
    void seatChangeRoundTrip();
    void encodeNestReply_data();
    void encodeNestReply();
    void parseNestRequest_data();
    void parseNestRequest();
    void parseNestRequestRejects_data();
    void parseNestRequestRejects();
    void eventByIdRequestRoundTrip();
    void upcomingRequestRoundTrip();
    void eventByIdReplyRoundTrip_data();
    void eventByIdReplyRoundTrip();
    void eventByIdReplyShape();
    void notFoundReply();
    void notFoundReplyRoundTrip_data();
    void notFoundReplyRoundTrip();
    void errEnvelope_data();
    void errEnvelope();
    void errEnvelopeNonObjectKeepsValue();
    void eventByIdReplyRejects_data();
    void eventByIdReplyRejects();
    void upcomingReplyRoundTrip_data();
    void upcomingReplyRoundTrip();
    void upcomingReplyRejects_data();
    void upcomingReplyRejects();
};

void tst_NatsWire::badInputName_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");

    QTest::newRow("oversized") << int(BadInput::Oversized) << QStringLiteral("oversized");
    QTest::newRow("not json") << int(BadInput::NotJson) << QStringLiteral("not_json");
    QTest::newRow("not object") << int(BadInput::NotObject) << QStringLiteral("not_object");
    QTest::newRow("missing field")
        << int(BadInput::MissingField) << QStringLiteral("missing_field");
    QTest::newRow("bad id") << int(BadInput::BadId) << QStringLiteral("bad_id");
    QTest::newRow("unknown state")
        << int(BadInput::UnknownState) << QStringLiteral("unknown_state");
}

void tst_NatsWire::badInputName()
{
    QFETCH(int, kind);
    QFETCH(QString, name);

    QVERIFY(kind < NatsWire::BadInputKinds);
    QCOMPARE(QString(NatsWire::badInputName(BadInput(kind))), name);
}

void tst_NatsWire::isValidId_data()
{
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<bool>("valid");

    QTest::newRow("short") << QJsonValue(QStringLiteral("a")) << true;
    QTest::newRow("object id") << QJsonValue(QStringLiteral("6650c5a1f0e1b2a3c4d5e6f7")) << true;
    QTest::newRow("128 chars") << QJsonValue(QString(128, u'a')) << true;
    QTest::newRow("128 non-ascii chars") << QJsonValue(QString(128, u'\u00e9')) << true;
    QTest::newRow("129 chars") << QJsonValue(QString(129, u'a')) << false;
    QTest::newRow("empty") << QJsonValue(QString()) << false;
    QTest::newRow("number") << QJsonValue(42) << false;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << false;
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << false;
    QTest::newRow("bool") << QJsonValue(true) << false;
    QTest::newRow("array") << QJsonValue(QJsonArray{QStringLiteral("a")}) << false;
    QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("a"), 1}}) << false;
}

void tst_NatsWire::isValidId()
{
    QFETCH(QJsonValue, id);
    QFETCH(bool, valid);

    QCOMPARE(NatsWire::isValidId(id), valid);
}

void tst_NatsWire::parseSeatChange_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("eventId");
    QTest::addColumn<QString>("seatId");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("requestId"); // empty: no string id

    const int av = int(SeatState::Available), pe = int(SeatState::Pending),
              oc = int(SeatState::Occupied);
    const QString e = QStringLiteral("e1"), s = QStringLiteral("s1");

    QTest::newRow("plain AVAILABLE")
        << seatChange(R"("e1")", R"("s1")", R"("AVAILABLE")") << e << s << av << QString();
    QTest::newRow("plain PENDING")
        << seatChange(R"("e1")", R"("s1")", R"("PENDING")") << e << s << pe << QString();
    QTest::newRow("plain OCCUPIED")
        << seatChange(R"("e1")", R"("s1")", R"("OCCUPIED")") << e << s << oc << QString();
    QTest::newRow("plain other key order")
        << QByteArray(R"({"seatState":"PENDING","seatId":"s1","eventId":"e1"})") << e << s << pe
        << QString();
    QTest::newRow("plain extra fields")
        << QByteArray(R"({"eventId":"e1","seatId":"s1","seatState":"OCCUPIED","userId":"u9",)"
                      R"("at":123})")
        << e << s << oc << QString();
    QTest::newRow("plain whitespace")
        << QByteArray(" \n{ \"eventId\" : \"e1\" , \"seatId\":\"s1\",\"seatState\":\"PENDING\" }\n")
        << e << s << pe << QString();
    QTest::newRow("plain 128-char ids")
        << seatChange(quoted(id(128, 'e')), quoted(id(128, 's')), R"("PENDING")")
        << QString(id(128, 'e')) << QString(id(128, 's')) << pe << QString();
    QTest::newRow("plain unicode ids")
        << seatChange("\"\xc3\xa9v\"", R"("\u0041\u0031")", R"("AVAILABLE")")
        << QStringLiteral("\u00e9v") << QStringLiteral("A1") << av << QString();

    QTest::newRow("nest envelope") << envelope(seatChange(R"("e1")", R"("s1")", R"("PENDING")"))
                                   << e << s << pe << QStringLiteral("req-1");
    QTest::newRow("nest envelope OCCUPIED uuid id")
        << envelope(seatChange(R"("e1")", R"("s1")", R"("OCCUPIED")"),
                    R"("0d7e5f3c-1b2a-4c3d-9e8f-7a6b5c4d3e2f")")
        << e << s << oc << QStringLiteral("0d7e5f3c-1b2a-4c3d-9e8f-7a6b5c4d3e2f");
    QTest::newRow("nest envelope 128-char ids")
        << envelope(seatChange(quoted(id(128, 'e')), quoted(id(128, 's')), R"("AVAILABLE")"))
        << QString(id(128, 'e')) << QString(id(128, 's')) << av << QStringLiteral("req-1");
    QTest::newRow("nest envelope without id")
        << QByteArray(R"({"pattern":"update.seat.state","data":)" +
                      seatChange(R"("e1")", R"("s1")", R"("AVAILABLE")") + '}')
        << e << s << av << QString();
    QTest::newRow("nest envelope numeric id")
        << envelope(seatChange(R"("e1")", R"("s1")", R"("AVAILABLE")"), "7") << e << s << av
        << QString();
    QTest::newRow("nest envelope null id")
        << envelope(seatChange(R"("e1")", R"("s1")", R"("AVAILABLE")"), "null") << e << s << av
        << QString();
}

void tst_NatsWire::parseSeatChange()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, eventId);
    QFETCH(QString, seatId);
    QFETCH(int, state);
    QFETCH(QString, requestId);

    const NatsWire::Parsed<NatsWire::SeatChangeMessage> parsed = NatsWire::parseSeatChange(payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    const NatsWire::SeatChange expected{eventId, seatId, SeatState(state)};
    QCOMPARE(parsed.value->change.eventId, eventId);
    QCOMPARE(parsed.value->change.seatId, seatId);
    QCOMPARE(int(parsed.value->change.state), state);
    QVERIFY(parsed.value->change == expected);
    if (requestId.isEmpty()) {
        QVERIFY(!parsed.value->requestId.isString());
        // Whatever it is, the reply built from it carries a null id.
        QCOMPARE(
            object(NatsWire::encodeNestReply(parsed.value->requestId)).value(QStringLiteral("id")),
            QJsonValue(QJsonValue::Null));
    } else {
        QCOMPARE(parsed.value->requestId, QJsonValue(requestId));
    }
}

void tst_NatsWire::parseSeatChangeRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");

    const int notJson = int(BadInput::NotJson), notObject = int(BadInput::NotObject),
              missing = int(BadInput::MissingField), badId = int(BadInput::BadId),
              unknown = int(BadInput::UnknownState);
    const QByteArray ok = R"("PENDING")";

    QTest::newRow("oversized valid json")
        << seatChange(R"("e1")", R"("s1")", ok) + QByteArray(NatsWire::DefaultMaxPayload, ' ')
        << int(BadInput::Oversized);
    QTest::newRow("oversized garbage")
        << QByteArray(NatsWire::DefaultMaxPayload + 1, 'x') << int(BadInput::Oversized);

    QTest::newRow("empty") << QByteArray() << notJson;
    QTest::newRow("whitespace") << QByteArray("  \n") << notJson;
    QTest::newRow("text") << QByteArray("seat s1 is PENDING") << notJson;
    QTest::newRow("truncated") << QByteArray(R"({"eventId":"e1","seatId":"s1")") << notJson;
    QTest::newRow("trailing garbage") << seatChange(R"("e1")", R"("s1")", ok) + "x" << notJson;
    QTest::newRow("two objects") << seatChange(R"("e1")", R"("s1")", ok) + "{}" << notJson;
    QTest::newRow("single quotes") << QByteArray("{'eventId':'e1'}") << notJson;
    QTest::newRow("unquoted key") << QByteArray(R"({eventId:"e1"})") << notJson;
    QTest::newRow("invalid utf8") << seatChange("\"e\xff\"", R"("s1")", ok) << notJson;
    QTest::newRow("invalid utf8 continuation")
        << seatChange("\"e\xc3\x28\"", R"("s1")", ok) << notJson;
    QTest::newRow("nul byte") << QByteArray("{\0}", 3) << notJson;

    QTest::newRow("array") << QByteArray("[]") << notObject;
    QTest::newRow("array of change")
        << '[' + seatChange(R"("e1")", R"("s1")", ok) + ']' << notObject;

    QTest::newRow("empty object") << QByteArray("{}") << missing;
    QTest::newRow("no eventId") << QByteArray(R"({"seatId":"s1","seatState":"PENDING"})")
                                << missing;
    QTest::newRow("no seatId") << QByteArray(R"({"eventId":"e1","seatState":"PENDING"})")
                               << missing;
    QTest::newRow("no seatState") << QByteArray(R"({"eventId":"e1","seatId":"s1"})") << missing;
    QTest::newRow("misspelled key") << QByteArray(R"({"eventID":"e1","seatId":"s1",)"
                                                  R"("seatState":"PENDING"})")
                                    << missing;
    QTest::newRow("envelope missing field")
        << envelope(QByteArray(R"({"eventId":"e1","seatId":"s1"})")) << missing;
    QTest::newRow("envelope empty data") << envelope("{}") << missing;
    QTest::newRow("envelope string data") << envelope(R"("e1")") << missing;
    QTest::newRow("envelope null data") << envelope("null") << missing;
    QTest::newRow("envelope array data")
        << envelope('[' + seatChange(R"("e1")", R"("s1")", ok) + ']') << missing;

    QTest::newRow("empty eventId") << seatChange(R"("")", R"("s1")", ok) << badId;
    QTest::newRow("empty seatId") << seatChange(R"("e1")", R"("")", ok) << badId;
    QTest::newRow("129-char eventId") << seatChange(quoted(id(129)), R"("s1")", ok) << badId;
    QTest::newRow("129-char seatId") << seatChange(R"("e1")", quoted(id(129)), ok) << badId;
    QTest::newRow("numeric eventId") << seatChange("1", R"("s1")", ok) << badId;
    QTest::newRow("numeric seatId") << seatChange(R"("e1")", "42", ok) << badId;
    QTest::newRow("null eventId") << seatChange("null", R"("s1")", ok) << badId;
    QTest::newRow("bool seatId") << seatChange(R"("e1")", "true", ok) << badId;
    QTest::newRow("object eventId") << seatChange(R"({"id":"e1"})", R"("s1")", ok) << badId;
    QTest::newRow("array seatId") << seatChange(R"("e1")", R"(["s1"])", ok) << badId;
    QTest::newRow("bad id before bad state")
        << seatChange(R"("")", R"("s1")", R"("NOPE")") << badId;
    QTest::newRow("envelope empty eventId")
        << envelope(seatChange(R"("")", R"("s1")", ok)) << badId;
    QTest::newRow("envelope 129-char seatId")
        << envelope(seatChange(R"("e1")", quoted(id(129)), ok)) << badId;
    QTest::newRow("envelope numeric seatId") << envelope(seatChange(R"("e1")", "3", ok)) << badId;

    QTest::newRow("lower-case state")
        << seatChange(R"("e1")", R"("s1")", R"("pending")") << unknown;
    QTest::newRow("title-case state")
        << seatChange(R"("e1")", R"("s1")", R"("Occupied")") << unknown;
    QTest::newRow("padded state") << seatChange(R"("e1")", R"("s1")", R"(" PENDING")") << unknown;
    QTest::newRow("other state") << seatChange(R"("e1")", R"("s1")", R"("RESERVED")") << unknown;
    QTest::newRow("empty state") << seatChange(R"("e1")", R"("s1")", R"("")") << unknown;
    QTest::newRow("numeric state") << seatChange(R"("e1")", R"("s1")", "1") << unknown;
    QTest::newRow("null state") << seatChange(R"("e1")", R"("s1")", "null") << unknown;
    QTest::newRow("array state") << seatChange(R"("e1")", R"("s1")", R"(["PENDING"])") << unknown;
    QTest::newRow("envelope unknown state")
        << envelope(seatChange(R"("e1")", R"("s1")", R"("SOLD")")) << unknown;
}

void tst_NatsWire::parseSeatChangeRejects()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);

    const NatsWire::Parsed<NatsWire::SeatChangeMessage> parsed = NatsWire::parseSeatChange(payload);
    QVERIFY(!parsed);
    QVERIFY(!parsed.value);
    QCOMPARE(kindName(parsed.error), kindName(BadInput(kind)));
    QVERIFY(!parsed.detail.isEmpty());
}

void tst_NatsWire::rejectKeepsEnvelopeId_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QJsonValue>("requestId");

    const QJsonValue req(QStringLiteral("req-1"));
    const QJsonValue none(QJsonValue::Null);
    QTest::newRow("envelope missing field") << envelope(R"({"eventId":"e1","seatState":"PENDING"})")
                                            << int(BadInput::MissingField) << req;
    QTest::newRow("envelope bad id")
        << envelope(seatChange(R"("")", R"("s1")", R"("PENDING")")) << int(BadInput::BadId) << req;
    QTest::newRow("envelope unknown state")
        << envelope(seatChange(R"("e1")", R"("s1")", R"("SOLD")")) << int(BadInput::UnknownState)
        << req;
    QTest::newRow("plain unknown state")
        << seatChange(R"("e1")", R"("s1")", R"("SOLD")") << int(BadInput::UnknownState) << none;
    QTest::newRow("not json") << QByteArray(R"({"pattern":"update.seat.state","id":"req-1")")
                              << int(BadInput::NotJson) << none;
}

void tst_NatsWire::rejectKeepsEnvelopeId()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);
    QFETCH(QJsonValue, requestId);

    // The service still owes the requester an `err` reply, so the id survives a rejection.
    const auto parsed = NatsWire::parseSeatChange(payload);
    QVERIFY(!parsed);
    QCOMPARE(kindName(parsed.error), kindName(BadInput(kind)));
    QCOMPARE(parsed.requestId, requestId);
}

void tst_NatsWire::parseSeatChangeScalarIsNotObject_data()
{
    QTest::addColumn<QByteArray>("payload");

    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("string") << QByteArray(R"("update")");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("true") << QByteArray("true");
}

void tst_NatsWire::parseSeatChangeScalarIsNotObject()
{
    QFETCH(QByteArray, payload);

    // A bare JSON scalar is well-formed JSON (RFC 8259) that is not an object: it must be
    // counted as not_object, like an array, not as not_json.
    const NatsWire::Parsed<NatsWire::SeatChangeMessage> parsed = NatsWire::parseSeatChange(payload);
    QVERIFY(!parsed);
    QCOMPARE(kindName(parsed.error), kindName(BadInput::NotObject));
}

void tst_NatsWire::parseSeatChangeMaxPayload()
{
    const QByteArray payload = seatChange(R"("e1")", R"("s1")", R"("PENDING")");
    QVERIFY(NatsWire::parseSeatChange(payload, payload.size()));
    const auto tooBig = NatsWire::parseSeatChange(payload, payload.size() - 1);
    QVERIFY(!tooBig);
    QCOMPARE(tooBig.error, BadInput::Oversized);
    QVERIFY(!tooBig.detail.isEmpty());

    // The default limit is 64 KiB, inclusive.
    QCOMPARE(NatsWire::DefaultMaxPayload, 65536);
    QByteArray padded = payload;
    padded.append(NatsWire::DefaultMaxPayload - payload.size(), ' ');
    QCOMPARE(padded.size(), NatsWire::DefaultMaxPayload);
    QVERIFY(NatsWire::parseSeatChange(padded));
    padded.append(' ');
    QCOMPARE(NatsWire::parseSeatChange(padded).error, BadInput::Oversized);
}

void tst_NatsWire::seatChangeRoundTrip_data()
{
    QTest::addColumn<QString>("eventId");
    QTest::addColumn<QString>("seatId");
    QTest::addColumn<int>("state");

    QTest::newRow("available") << QStringLiteral("e1") << QStringLiteral("s1")
                               << int(SeatState::Available);
    QTest::newRow("pending") << QStringLiteral("e1") << QStringLiteral("s2")
                             << int(SeatState::Pending);
    QTest::newRow("occupied") << QStringLiteral("e2") << QStringLiteral("s1")
                              << int(SeatState::Occupied);
    QTest::newRow("128 chars and escapes")
        << QString(128, u'"') << QStringLiteral("a\\b\n\u00e9\U0001F600")
        << int(SeatState::Pending);
}

void tst_NatsWire::seatChangeRoundTrip()
{
    QFETCH(QString, eventId);
    QFETCH(QString, seatId);
    QFETCH(int, state);

    const NatsWire::SeatChange change{eventId, seatId, SeatState(state)};
    const QByteArray encoded = NatsWire::encodeSeatChange(change);
    const QJsonObject expected{{QStringLiteral("eventId"), eventId},
                               {QStringLiteral("seatId"), seatId},
                               {QStringLiteral("seatState"), QString(seatStateName(change.state))}};
    QCOMPARE(object(encoded), expected);
    const auto parsed = NatsWire::parseSeatChange(encoded);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QVERIFY(parsed.value->change == change);
    QVERIFY(parsed.value->requestId.isNull());

    const auto enveloped = NatsWire::parseSeatChange(envelope(encoded, R"("r-9")"));
    QVERIFY2(enveloped, qPrintable(enveloped.detail));
    QVERIFY(enveloped.value->change == change);
    QCOMPARE(enveloped.value->requestId, QJsonValue(QStringLiteral("r-9")));
}

void tst_NatsWire::encodeNestReply_data()
{
    QTest::addColumn<QJsonValue>("requestId");
    QTest::addColumn<QString>("error");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("ok") << QJsonValue(QStringLiteral("req-1")) << QString()
                        << QByteArray(R"({"id":"req-1","response":{"ok":true},"isDisposed":true})");
    QTest::newRow("err") << QJsonValue(QStringLiteral("req-1")) << QStringLiteral("unknown seat")
                         << QByteArray(R"({"id":"req-1","err":"unknown seat","isDisposed":true})");
    QTest::newRow("ok 128-char id") << QJsonValue(QString(128, u'r')) << QString()
                                    << QByteArray(R"({"id":")" + id(128, 'r') +
                                                  R"(","response":{"ok":true},"isDisposed":true})");
    QTest::newRow("ok null id") << QJsonValue(QJsonValue::Null) << QString()
                                << QByteArray(R"({"id":null,"response":{"ok":true},)"
                                              R"("isDisposed":true})");
    QTest::newRow("ok undefined id")
        << QJsonValue(QJsonValue::Undefined) << QString()
        << QByteArray(R"({"id":null,"response":{"ok":true},"isDisposed":true})");
    QTest::newRow("ok numeric id becomes null")
        << QJsonValue(7) << QString()
        << QByteArray(R"({"id":null,"response":{"ok":true},"isDisposed":true})");
    QTest::newRow("err null id") << QJsonValue(QJsonValue::Null) << QStringLiteral("bad_id")
                                 << QByteArray(R"({"id":null,"err":"bad_id","isDisposed":true})");
    QTest::newRow("err escaped") << QJsonValue(QStringLiteral("r")) << QStringLiteral("a\"b")
                                 << QByteArray(
                                        "{\"id\":\"r\",\"err\":\"a\\\"b\",\"isDisposed\":true}");
}

void tst_NatsWire::encodeNestReply()
{
    QFETCH(QJsonValue, requestId);
    QFETCH(QString, error);
    QFETCH(QByteArray, expected);

    const QByteArray reply = NatsWire::encodeNestReply(requestId, error);
    QVERIFY2(!reply.contains(' ') || error.contains(u' '), reply.constData()); // compact JSON
    QVERIFY(!reply.contains('\n'));
    // Same keys, same values, nothing else; JSON does not order object keys.
    QCOMPARE(object(reply), object(expected));
}

void tst_NatsWire::parseNestRequest_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("pattern");
    QTest::addColumn<QJsonValue>("data");
    QTest::addColumn<QString>("id");

    QTest::newRow("events.get.id")
        << QByteArray(R"({"pattern":"events.get.id","data":"e1","id":"r1"})")
        << QStringLiteral("events.get.id") << QJsonValue(QStringLiteral("e1"))
        << QStringLiteral("r1");
    QTest::newRow("object data")
        << QByteArray(R"({"pattern":"events.get.upcoming","data":{"msg":"ok"},"id":"r2"})")
        << QStringLiteral("events.get.upcoming")
        << QJsonValue(QJsonObject{{QStringLiteral("msg"), QStringLiteral("ok")}})
        << QStringLiteral("r2");
    QTest::newRow("null data no id")
        << QByteArray(R"({"pattern":"p","data":null})") << QStringLiteral("p")
        << QJsonValue(QJsonValue::Null) << QString();
    QTest::newRow("key order and extras")
        << QByteArray(R"({"id":"r3","x":1,"data":[1,2],"pattern":"events.get.id"})")
        << QStringLiteral("events.get.id") << QJsonValue(QJsonArray{1, 2}) << QStringLiteral("r3");
}

void tst_NatsWire::parseNestRequest()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, pattern);
    QFETCH(QJsonValue, data);
    QFETCH(QString, id);

    const auto parsed = NatsWire::parseNestRequest(payload);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->pattern, pattern);
    QCOMPARE(parsed.value->data, data);
    QCOMPARE(parsed.value->id, id);
}

void tst_NatsWire::parseNestRequestRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qsizetype>("maxPayload");
    QTest::addColumn<int>("kind");

    const qsizetype max = NatsWire::DefaultMaxPayload;
    const QByteArray ok = R"({"pattern":"events.get.id","data":"e1","id":"r1"})";
    QTest::newRow("oversized") << ok << ok.size() - 1 << int(BadInput::Oversized);
    QTest::newRow("empty") << QByteArray() << max << int(BadInput::NotJson);
    QTest::newRow("garbage") << QByteArray("events.get.id e1") << max << int(BadInput::NotJson);
    QTest::newRow("trailing garbage") << ok + "]" << max << int(BadInput::NotJson);
    QTest::newRow("array") << QByteArray(R"(["events.get.id","e1"])") << max
                           << int(BadInput::NotObject);
    QTest::newRow("no pattern") << QByteArray(R"({"data":"e1","id":"r1"})") << max
                                << int(BadInput::MissingField);
    QTest::newRow("numeric pattern")
        << QByteArray(R"({"pattern":1,"data":"e1"})") << max << int(BadInput::MissingField);
    QTest::newRow("no data") << QByteArray(R"({"pattern":"events.get.id","id":"r1"})") << max
                             << int(BadInput::MissingField);
}

void tst_NatsWire::parseNestRequestRejects()
{
    QFETCH(QByteArray, payload);
    QFETCH(qsizetype, maxPayload);
    QFETCH(int, kind);

    const auto parsed = NatsWire::parseNestRequest(payload, maxPayload);
    QVERIFY(!parsed);
    QCOMPARE(kindName(parsed.error), kindName(BadInput(kind)));
    QVERIFY(!parsed.detail.isEmpty());
}

void tst_NatsWire::eventByIdRequestRoundTrip()
{
    QCOMPARE(QByteArray(NatsWire::EventByIdSubject), QByteArray("events.get.id"));
    const QByteArray request =
        NatsWire::encodeEventByIdRequest(QStringLiteral("e1"), QStringLiteral("r1"));
    QCOMPARE(object(request), object(R"({"pattern":"events.get.id","data":"e1","id":"r1"})"));
    const auto parsed = NatsWire::parseNestRequest(request);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->pattern, QStringLiteral("events.get.id"));
    QCOMPARE(parsed.value->data, QJsonValue(QStringLiteral("e1")));
    QCOMPARE(parsed.value->id, QStringLiteral("r1"));
}

void tst_NatsWire::upcomingRequestRoundTrip()
{
    QCOMPARE(QByteArray(NatsWire::UpcomingSubject), QByteArray("events.get.upcoming"));
    const QByteArray request = NatsWire::encodeUpcomingRequest(QStringLiteral("r2"));
    QCOMPARE(object(request),
             object(R"({"pattern":"events.get.upcoming","data":{"msg":"ok"},"id":"r2"})"));
    const auto parsed = NatsWire::parseNestRequest(request);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->pattern, QStringLiteral("events.get.upcoming"));
    QVERIFY(parsed.value->data.isObject());
    QCOMPARE(parsed.value->id, QStringLiteral("r2"));
}

void tst_NatsWire::eventByIdReplyRoundTrip_data()
{
    QTest::addColumn<bool>("nestEnvelope");
    QTest::addColumn<bool>("noSeats");

    QTest::newRow("bare") << false << false;
    QTest::newRow("nest response envelope") << true << false;
    QTest::newRow("bare no seats") << false << true;
    QTest::newRow("nest envelope no seats") << true << true;
}

void tst_NatsWire::eventByIdReplyRoundTrip()
{
    QFETCH(bool, nestEnvelope);
    QFETCH(bool, noSeats);

    NatsWire::EventDetails event = sampleEvent();
    if (noSeats)
        event.seats.clear();
    QByteArray reply = NatsWire::encodeEventByIdReply(event);
    if (nestEnvelope)
        reply = R"({"err":null,"response":)" + reply + R"(,"isDisposed":true,"id":"r1"})";

    const auto parsed = NatsWire::parseEventByIdReply(reply);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->code, 200);
    QCOMPARE(parsed.value->status, QStringLiteral("OK"));
    QVERIFY(parsed.value->message.isEmpty());
    QVERIFY(parsed.value->value);
    compareDetails(*parsed.value->value, event);
}

void tst_NatsWire::eventByIdReplyShape()
{
    const QJsonObject reply = object(NatsWire::encodeEventByIdReply(sampleEvent()));
    QCOMPARE(reply.value(QStringLiteral("status")), QJsonValue(QStringLiteral("OK")));
    QCOMPARE(reply.value(QStringLiteral("code")), QJsonValue(200));
    QCOMPARE(reply.keys(), (QStringList{QStringLiteral("code"), QStringLiteral("message"),
                                        QStringLiteral("status")}));
    const QJsonObject message = reply.value(QStringLiteral("message")).toObject();
    QCOMPARE(message.value(QStringLiteral("capacity")), QJsonValue(3));
    const QJsonArray seats = message.value(QStringLiteral("seats")).toArray();
    QCOMPARE(seats.size(), 3);
    QCOMPARE(seats.at(1).toObject(),
             object(R"({"id":"s2","tag":"A2","state":"PENDING","userId":null})"));
}

void tst_NatsWire::notFoundReply()
{
    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    const QJsonObject reply = object(
        NatsWire::encodeNotFoundReply(QStringLiteral("/events/e9"), QStringLiteral("Not found")));
    const QDateTime after = QDateTime::currentDateTimeUtc().addSecs(1);
    QCOMPARE(reply.value(QStringLiteral("code")), QJsonValue(404));
    QCOMPARE(reply.value(QStringLiteral("status")), QJsonValue(QStringLiteral("NOT_FOUND")));
    QCOMPARE(reply.value(QStringLiteral("message")), QJsonValue(QStringLiteral("Not found")));
    QCOMPARE(reply.value(QStringLiteral("path")), QJsonValue(QStringLiteral("/events/e9")));
    const QString stamp = reply.value(QStringLiteral("timestamp")).toString();
    QVERIFY2(stamp.endsWith(u'Z'), qPrintable(stamp));
    const QDateTime at = QDateTime::fromString(stamp, Qt::ISODateWithMs);
    QVERIFY2(at.isValid(), qPrintable(stamp));
    QVERIFY(at >= before && at <= after);
    QCOMPARE(reply.size(), 5);
}

void tst_NatsWire::notFoundReplyRoundTrip_data()
{
    QTest::addColumn<bool>("nestEnvelope");
    QTest::addColumn<bool>("upcoming");

    QTest::newRow("events.get.id bare") << false << false;
    QTest::newRow("events.get.id nest envelope") << true << false;
    QTest::newRow("events.get.upcoming bare") << false << true;
    QTest::newRow("events.get.upcoming nest envelope") << true << true;
}

void tst_NatsWire::notFoundReplyRoundTrip()
{
    QFETCH(bool, nestEnvelope);
    QFETCH(bool, upcoming);

    QByteArray reply =
        NatsWire::encodeNotFoundReply(QStringLiteral("/events/e9"), QStringLiteral("No event e9"));
    if (nestEnvelope)
        reply = R"({"response":)" + reply + R"(,"isDisposed":true,"id":"r1"})";

    if (upcoming) {
        const auto parsed = NatsWire::parseUpcomingReply(reply);
        QVERIFY2(parsed, qPrintable(parsed.detail));
        QCOMPARE(parsed.value->code, 404);
        QCOMPARE(parsed.value->status, QStringLiteral("NOT_FOUND"));
        QCOMPARE(parsed.value->message, QStringLiteral("No event e9"));
        QVERIFY(!parsed.value->value);
    } else {
        const auto parsed = NatsWire::parseEventByIdReply(reply);
        QVERIFY2(parsed, qPrintable(parsed.detail));
        QCOMPARE(parsed.value->code, 404);
        QCOMPARE(parsed.value->status, QStringLiteral("NOT_FOUND"));
        QCOMPARE(parsed.value->message, QStringLiteral("No event e9"));
        QVERIFY(!parsed.value->value);
    }
}

void tst_NatsWire::errEnvelope_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("message");

    QTest::newRow("string") << QByteArray(R"({"err":"Internal error","isDisposed":true,"id":"r"})")
                            << QStringLiteral("Internal error");
    QTest::newRow("object") << QByteArray(
                                   R"({"err":{"status":"error","message":"boom"},"response":null})")
                            << QStringLiteral(R"({"message":"boom","status":"error"})");
    QTest::newRow("err wins over response")
        << QByteArray(R"({"err":"late","response":{"status":"OK","code":200,"message":{}}})")
        << QStringLiteral("late");
}

void tst_NatsWire::errEnvelope()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, message);

    const auto byId = NatsWire::parseEventByIdReply(payload);
    QVERIFY2(byId, qPrintable(byId.detail));
    QCOMPARE(byId.value->code, 500);
    QCOMPARE(byId.value->status, QStringLiteral("ERROR"));
    QCOMPARE(byId.value->message, message);
    QVERIFY(!byId.value->value);

    const auto upcoming = NatsWire::parseUpcomingReply(payload);
    QVERIFY2(upcoming, qPrintable(upcoming.detail));
    QCOMPARE(upcoming.value->code, 500);
    QCOMPARE(upcoming.value->status, QStringLiteral("ERROR"));
    QCOMPARE(upcoming.value->message, message);
    QVERIFY(!upcoming.value->value);
}

void tst_NatsWire::errEnvelopeNonObjectKeepsValue()
{
    // NestJS forwards whatever the handler threw; a number or array must not become "{}".
    const auto parsed = NatsWire::parseEventByIdReply(R"({"err":404,"isDisposed":true})");
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->code, 500);
    QCOMPARE(parsed.value->status, QStringLiteral("ERROR"));
    QVERIFY2(parsed.value->message.contains(QStringLiteral("404")),
             qPrintable(parsed.value->message));
}

void tst_NatsWire::eventByIdReplyRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<int>("kind");

    const int missing = int(BadInput::MissingField);
    const QByteArray head = R"({"status":"OK","code":200,"message":)";
    QTest::newRow("empty") << QByteArray() << int(BadInput::NotJson);
    QTest::newRow("garbage") << QByteArray("OK") << int(BadInput::NotJson);
    QTest::newRow("invalid utf8") << QByteArray("{\"status\":\"\xff\"}") << int(BadInput::NotJson);
    QTest::newRow("array") << QByteArray("[]") << int(BadInput::NotObject);
    QTest::newRow("empty object") << QByteArray("{}") << missing;
    QTest::newRow("no status") << QByteArray(R"({"code":200,"message":{}})") << missing;
    QTest::newRow("no code") << QByteArray(R"({"status":"OK","message":{}})") << missing;
    QTest::newRow("code zero") << QByteArray(R"({"status":"OK","code":0,"message":{}})") << missing;
    QTest::newRow("string code") << QByteArray(R"({"status":"OK","code":"200","message":{}})")
                                 << missing;
    QTest::newRow("empty response envelope")
        << QByteArray(R"({"response":{},"isDisposed":true})") << missing;
    QTest::newRow("no message") << QByteArray(R"({"status":"OK","code":200})") << missing;
    QTest::newRow("message string") << head + R"("ok"})" << missing;
    QTest::newRow("event without id") << head + R"({"seats":[]}})" << missing;
    QTest::newRow("event empty id") << head + R"({"id":"","seats":[]}})" << missing;
    QTest::newRow("event 129-char id")
        << head + R"({"id":")" + id(129) + R"(","seats":[]}})" << missing;
    QTest::newRow("event without seats") << head + R"({"id":"e1"}})" << missing;
    QTest::newRow("seats object") << head + R"({"id":"e1","seats":{}}})" << missing;
    QTest::newRow("seat without id")
        << head + R"({"id":"e1","seats":[{"tag":"A1","state":"PENDING"}]}})" << missing;
    QTest::newRow("seat numeric id")
        << head + R"({"id":"e1","seats":[{"id":5,"tag":"A1","state":"PENDING"}]}})" << missing;
    QTest::newRow("seat unknown state")
        << head + R"({"id":"e1","seats":[{"id":"s1","tag":"A1","state":"FREE"}]}})" << missing;
    QTest::newRow("seat not object") << head + R"({"id":"e1","seats":["s1"]}})" << missing;
}

void tst_NatsWire::eventByIdReplyRejects()
{
    QFETCH(QByteArray, payload);
    QFETCH(int, kind);

    const auto parsed = NatsWire::parseEventByIdReply(payload);
    QVERIFY(!parsed);
    QCOMPARE(kindName(parsed.error), kindName(BadInput(kind)));
    QVERIFY(!parsed.detail.isEmpty());
}

void tst_NatsWire::upcomingReplyRoundTrip_data()
{
    QTest::addColumn<bool>("nestEnvelope");
    QTest::addColumn<bool>("empty");

    QTest::newRow("bare") << false << false;
    QTest::newRow("nest response envelope") << true << false;
    QTest::newRow("bare empty list") << false << true;
    QTest::newRow("nest envelope empty list") << true << true;
}

void tst_NatsWire::upcomingReplyRoundTrip()
{
    QFETCH(bool, nestEnvelope);
    QFETCH(bool, empty);

    const QList<NatsWire::EventSummary> events =
        empty ? QList<NatsWire::EventSummary>() : sampleSummaries();
    QByteArray reply = NatsWire::encodeUpcomingReply(events);
    QCOMPARE(object(reply).value(QStringLiteral("message")).toArray().size(), events.size());
    if (nestEnvelope)
        reply = R"({"response":)" + reply + R"(,"isDisposed":true,"id":"r2"})";

    const auto parsed = NatsWire::parseUpcomingReply(reply);
    QVERIFY2(parsed, qPrintable(parsed.detail));
    QCOMPARE(parsed.value->code, 200);
    QCOMPARE(parsed.value->status, QStringLiteral("OK"));
    QVERIFY(parsed.value->value);
    compareSummaries(*parsed.value->value, events);
}

void tst_NatsWire::upcomingReplyRejects_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<qsizetype>("maxPayload");
    QTest::addColumn<int>("kind");

    const qsizetype max = 16 * 1024 * 1024;
    const QByteArray head = R"({"status":"OK","code":200,"message":)";
    const QByteArray ok = NatsWire::encodeUpcomingReply(sampleSummaries());
    QTest::newRow("oversized") << ok << ok.size() - 1 << int(BadInput::Oversized);
    QTest::newRow("not json") << QByteArray("[") << max << int(BadInput::NotJson);
    QTest::newRow("array") << QByteArray("[]") << max << int(BadInput::NotObject);
    QTest::newRow("no status") << QByteArray(R"({"code":200,"message":[]})") << max
                               << int(BadInput::MissingField);
    QTest::newRow("message object") << head + "{}}" << max << int(BadInput::MissingField);
    QTest::newRow("message missing")
        << QByteArray(R"({"status":"OK","code":200})") << max << int(BadInput::MissingField);
    QTest::newRow("event without id") << head + R"([{"name":"x"}]})" << max << int(BadInput::BadId);
    QTest::newRow("event empty id") << head + R"([{"id":""}]})" << max << int(BadInput::BadId);
    QTest::newRow("event numeric id") << head + R"([{"id":1}]})" << max << int(BadInput::BadId);
    QTest::newRow("event 129-char id")
        << head + R"([{"id":")" + id(129) + R"("}]})" << max << int(BadInput::BadId);
    QTest::newRow("one bad among good")
        << head + R"([{"id":"e1"},{"id":null}]})" << max << int(BadInput::BadId);
}

void tst_NatsWire::upcomingReplyRejects()
{
    QFETCH(QByteArray, payload);
    QFETCH(qsizetype, maxPayload);
    QFETCH(int, kind);

    const auto parsed = NatsWire::parseUpcomingReply(payload, maxPayload);
    QVERIFY(!parsed);
    QCOMPARE(kindName(parsed.error), kindName(BadInput(kind)));
    QVERIFY(!parsed.detail.isEmpty());
}

QTEST_GUILESS_MAIN(tst_NatsWire)
#include "tst_natswire.moc"
