// SPDX-License-Identifier: MIT
#include "socketpacket.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Reservo;
using SocketIo::PacketType;

// Readable QCOMPARE failures for JSON values (QTest finds these by argument-dependent lookup).
static char *toString(const QJsonValue &value)
{
    if (value.isUndefined())
        return qstrdup("undefined");
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return qstrdup(array.mid(1, array.size() - 2).constData());
}

static char *toString(const QJsonArray &array)
{
    return toString(QJsonValue(array));
}

namespace {

// Parses any JSON value, scalars included; an empty text stands for "no payload" (Undefined).
QJsonValue json(const QByteArray &text)
{
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + text + ']', &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1)
        qFatal("bad JSON in test table: %s", text.constData());
    return doc.array().first();
}

SocketIo::Packet packet(int type, const QString &nsp, int attachments, qint64 ackId,
                        const QByteArray &data)
{
    SocketIo::Packet p;
    p.type = PacketType(type);
    p.nsp = nsp;
    p.attachments = attachments;
    if (ackId >= 0)
        p.ackId = quint64(ackId);
    p.data = json(data);
    return p;
}

QByteArray placeholder(int num)
{
    return R"({"_placeholder":true,"num":)" + QByteArray::number(num) + '}';
}

} // namespace

// Socket.IO v5 packet codec: the wire grammar, payload rules and binary placeholders.
class tst_SocketPacket : public QObject
{
    Q_OBJECT

private slots:
    void constants();
    void decode_data();
    void decode();
    void decodeRejects_data();
    void decodeRejects();
    void encode_data();
    void encode();
    void canonicalRoundTrip_data();
    void canonicalRoundTrip();
    void packetRoundTrip_data();
    void packetRoundTrip();
    void encodeEvent_data();
    void encodeEvent();
    void encodeAck_data();
    void encodeAck();
    void eventNameAndArgs_data();
    void eventNameAndArgs();
    void isReservedEventName_data();
    void isReservedEventName();
    void maxPlaceholder_data();
    void maxPlaceholder();
};

void tst_SocketPacket::constants()
{
    QCOMPARE(SocketIo::ProtocolVersion, 5);
    // Number.MAX_SAFE_INTEGER = 2^53 - 1.
    QCOMPARE(SocketIo::MaxAckId, (quint64(1) << 53) - 1);
    QCOMPARE(SocketIo::MaxAckId, 9007199254740991ULL);
}

void tst_SocketPacket::decode_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<int>("attachments");
    QTest::addColumn<qint64>("ackId");    // -1: none
    QTest::addColumn<QByteArray>("data"); // empty: no payload

    const int C = int(PacketType::Connect), D = int(PacketType::Disconnect),
              E = int(PacketType::Event), A = int(PacketType::Ack),
              CE = int(PacketType::ConnectError), BE = int(PacketType::BinaryEvent),
              BA = int(PacketType::BinaryAck);
    const QString root = QStringLiteral("/");
    const QString admin = QStringLiteral("/admin");
    const QString chat = QStringLiteral("/chat");

    // CONNECT: an object payload or none.
    QTest::newRow("connect") << QByteArray("0") << C << root << 0 << -1LL << QByteArray();
    QTest::newRow("connect empty object")
        << QByteArray("0{}") << C << root << 0 << -1LL << QByteArray("{}");
    QTest::newRow("connect auth") << QByteArray(R"(0{"token":"abc"})") << C << root << 0 << -1LL
                                  << QByteArray(R"({"token":"abc"})");
    QTest::newRow("connect nsp with comma")
        << QByteArray("0/admin,") << C << admin << 0 << -1LL << QByteArray();
    QTest::newRow("connect nsp without comma")
        << QByteArray("0/admin") << C << admin << 0 << -1LL << QByteArray();
    QTest::newRow("connect nsp auth") << QByteArray(R"(0/admin,{"token":"abc"})") << C << admin << 0
                                      << -1LL << QByteArray(R"({"token":"abc"})");
    QTest::newRow("connect explicit root nsp")
        << QByteArray("0/,{}") << C << root << 0 << -1LL << QByteArray("{}");
    QTest::newRow("connect nested nsp")
        << QByteArray("0/a/b,") << C << QStringLiteral("/a/b") << 0 << -1LL << QByteArray();
    QTest::newRow("connect utf8 nsp")
        << QByteArray("0/caf\xc3\xa9,{}") << C << QStringLiteral("/caf\u00e9") << 0 << -1LL
        << QByteArray("{}");

    // DISCONNECT: no payload.
    QTest::newRow("disconnect") << QByteArray("1") << D << root << 0 << -1LL << QByteArray();
    QTest::newRow("disconnect nsp")
        << QByteArray("1/admin,") << D << admin << 0 << -1LL << QByteArray();
    QTest::newRow("disconnect nsp without comma")
        << QByteArray("1/admin") << D << admin << 0 << -1LL << QByteArray();

    // EVENT: a non-empty array whose first element is a string (not reserved) or a number.
    QTest::newRow("event") << QByteArray(R"(2["hello"])") << E << root << 0 << -1LL
                           << QByteArray(R"(["hello"])");
    QTest::newRow("event args") << QByteArray(R"(2["hello",1,{"a":[true,null]},"x"])") << E << root
                                << 0 << -1LL << QByteArray(R"(["hello",1,{"a":[true,null]},"x"])");
    QTest::newRow("event numeric name")
        << QByteArray("2[42]") << E << root << 0 << -1LL << QByteArray("[42]");
    QTest::newRow("event fractional name")
        << QByteArray(R"(2[1.5,"x"])") << E << root << 0 << -1LL << QByteArray(R"([1.5,"x"])");
    QTest::newRow("event empty name")
        << QByteArray(R"(2[""])") << E << root << 0 << -1LL << QByteArray(R"([""])");
    QTest::newRow("event name case-sensitive")
        << QByteArray(R"(2["Connect"])") << E << root << 0 << -1LL << QByteArray(R"(["Connect"])");
    QTest::newRow("event name prefix of reserved") << QByteArray(R"(2["connected"])") << E << root
                                                   << 0 << -1LL << QByteArray(R"(["connected"])");
    QTest::newRow("event json whitespace")
        << QByteArray("2 [ \"a\" ]\n") << E << root << 0 << -1LL << QByteArray(R"(["a"])");
    QTest::newRow("event ack id") << QByteArray(R"(212["hello"])") << E << root << 0 << 12LL
                                  << QByteArray(R"(["hello"])");
    QTest::newRow("event ack id zero")
        << QByteArray(R"(20["a"])") << E << root << 0 << 0LL << QByteArray(R"(["a"])");
    QTest::newRow("event ack id max safe integer")
        << QByteArray(R"(29007199254740991["a"])") << E << root << 0 << 9007199254740991LL
        << QByteArray(R"(["a"])");
    QTest::newRow("event nsp") << QByteArray(R"(2/chat,["a"])") << E << chat << 0 << -1LL
                               << QByteArray(R"(["a"])");
    QTest::newRow("event nsp ack id")
        << QByteArray(R"(2/chat,7["a",2])") << E << chat << 0 << 7LL << QByteArray(R"(["a",2])");
    QTest::newRow("event nsp max ack id")
        << QByteArray(R"(2/chat,9007199254740991["a"])") << E << chat << 0 << 9007199254740991LL
        << QByteArray(R"(["a"])");
    QTest::newRow("event unicode args") << QByteArray("2[\"seat\",\"\xe2\x82\xac\"]") << E << root
                                        << 0 << -1LL << QByteArray("[\"seat\",\"\xe2\x82\xac\"]");

    // ACK: an array payload.
    QTest::newRow("ack empty") << QByteArray("31[]") << A << root << 0 << 1LL << QByteArray("[]");
    QTest::newRow("ack args") << QByteArray(R"(31["ok",{"a":1}])") << A << root << 0 << 1LL
                              << QByteArray(R"(["ok",{"a":1}])");
    QTest::newRow("ack nsp") << QByteArray("3/chat,5[null]") << A << chat << 0 << 5LL
                             << QByteArray("[null]");
    QTest::newRow("ack max id") << QByteArray("39007199254740991[]") << A << root << 0
                                << 9007199254740991LL << QByteArray("[]");

    // CONNECT_ERROR: an object or a string.
    QTest::newRow("connect error object")
        << QByteArray(R"(4{"message":"Not authorized"})") << CE << root << 0 << -1LL
        << QByteArray(R"({"message":"Not authorized"})");
    QTest::newRow("connect error string") << QByteArray(R"(4"Not authorized")") << CE << root << 0
                                          << -1LL << QByteArray(R"("Not authorized")");
    QTest::newRow("connect error nsp") << QByteArray(R"(4/admin,{"message":"x"})") << CE << admin
                                       << 0 << -1LL << QByteArray(R"({"message":"x"})");

    // BINARY_EVENT / BINARY_ACK: `<n>-` then placeholders numbered below n.
    QTest::newRow("binary event") << QByteArray("51-[\"upload\"," + placeholder(0) + ']') << BE
                                  << root << 1 << -1LL
                                  << QByteArray("[\"upload\"," + placeholder(0) + ']');
    QTest::newRow("binary event two nested")
        << QByteArray("52-[\"up\"," + placeholder(1) + ",{\"x\":[" + placeholder(0) + "]}]") << BE
        << root << 2 << -1LL
        << QByteArray("[\"up\"," + placeholder(1) + ",{\"x\":[" + placeholder(0) + "]}]");
    QTest::newRow("binary event nsp ack")
        << QByteArray("51-/chat,9[\"a\"," + placeholder(0) + ']') << BE << chat << 1 << 9LL
        << QByteArray("[\"a\"," + placeholder(0) + ']');
    QTest::newRow("binary event numeric name")
        << QByteArray("51-[7," + placeholder(0) + ']') << BE << root << 1 << -1LL
        << QByteArray("[7," + placeholder(0) + ']');
    QTest::newRow("binary event more attachments than placeholders")
        << QByteArray("53-[\"a\"," + placeholder(0) + ']') << BE << root << 3 << -1LL
        << QByteArray("[\"a\"," + placeholder(0) + ']');
    QTest::newRow("binary event zero attachments")
        << QByteArray(R"(50-["a"])") << BE << root << 0 << -1LL << QByteArray(R"(["a"])");
    QTest::newRow("binary event max attachments")
        << QByteArray("51000-[\"a\"," + placeholder(999) + ']') << BE << root << 1000 << -1LL
        << QByteArray("[\"a\"," + placeholder(999) + ']');
    QTest::newRow("binary event leading zero attachments")
        << QByteArray("501-[\"a\"," + placeholder(0) + ']') << BE << root << 1 << -1LL
        << QByteArray("[\"a\"," + placeholder(0) + ']');
    QTest::newRow("binary event placeholder false")
        << QByteArray(R"(51-["a",{"_placeholder":false,"num":7}])") << BE << root << 1 << -1LL
        << QByteArray(R"(["a",{"_placeholder":false,"num":7}])");
    QTest::newRow("binary event placeholder as string is no placeholder")
        << QByteArray(R"(51-["a",{"_placeholder":"true","num":7}])") << BE << root << 1 << -1LL
        << QByteArray(R"(["a",{"_placeholder":"true","num":7}])");
    QTest::newRow("binary ack") << QByteArray("61-3[" + placeholder(0) + ']') << BA << root << 1
                                << 3LL << QByteArray('[' + placeholder(0) + ']');
    QTest::newRow("binary ack nsp")
        << QByteArray("62-/chat,3[" + placeholder(1) + ',' + placeholder(0) + ']') << BA << chat
        << 2 << 3LL << QByteArray('[' + placeholder(1) + ',' + placeholder(0) + ']');
}

void tst_SocketPacket::decode()
{
    QFETCH(QByteArray, text);
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(int, attachments);
    QFETCH(qint64, ackId);
    QFETCH(QByteArray, data);

    QString error;
    const std::optional<SocketIo::Packet> p = SocketIo::decode(text, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(int(p->type), type);
    QCOMPARE(p->nsp, nsp);
    QCOMPARE(p->attachments, attachments);
    QCOMPARE(p->ackId.has_value(), ackId >= 0);
    if (ackId >= 0)
        QCOMPARE(*p->ackId, quint64(ackId));
    QCOMPARE(p->data, json(data));
    QCOMPARE(p->data.isUndefined(), data.isEmpty());
}

void tst_SocketPacket::decodeRejects_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("why"); // a word the error message must contain

    const QString type = QStringLiteral("type");
    const QString attach = QStringLiteral("attachments");
    const QString ack = QStringLiteral("ack id");
    const QString json = QStringLiteral("JSON");
    const QString payload = QStringLiteral("payload");
    const QString ph = QStringLiteral("placeholder");

    // Packet type.
    QTest::newRow("empty") << QByteArray() << type;
    QTest::newRow("type 7") << QByteArray(R"(7["a"])") << type;
    QTest::newRow("type 8") << QByteArray("8") << type;
    QTest::newRow("type 9") << QByteArray("9[]") << type;
    QTest::newRow("type letter") << QByteArray(R"(e["a"])") << type;
    QTest::newRow("type slash") << QByteArray("/chat,") << type;
    QTest::newRow("type minus") << QByteArray("-1") << type;
    QTest::newRow("leading space") << QByteArray(R"( 2["a"])") << type;
    QTest::newRow("type high byte") << QByteArray("\xff") << type;
    QTest::newRow("type json") << QByteArray(R"(["a"])") << type;

    // Attachments.
    QTest::newRow("binary event no count") << QByteArray("5") << attach;
    QTest::newRow("binary event no digits") << QByteArray(R"(5-["a"])") << attach;
    QTest::newRow("binary event no dash")
        << QByteArray("51[\"a\"," + placeholder(0) + ']') << attach;
    QTest::newRow("binary event count at end") << QByteArray("51") << attach;
    QTest::newRow("binary event letter in count") << QByteArray(R"(5a-["a"])") << attach;
    QTest::newRow("binary event digit then letter") << QByteArray(R"(51a-["a"])") << attach;
    QTest::newRow("binary event negative count") << QByteArray(R"(5-1-["a"])") << attach;
    QTest::newRow("binary event five digits") << QByteArray(R"(510000-["a"])") << attach;
    QTest::newRow("binary event count overflows int")
        << QByteArray(R"(599999999999-["a"])") << attach;
    QTest::newRow("binary event too many") << QByteArray(R"(51001-["a"])") << attach;
    QTest::newRow("binary event 9999") << QByteArray(R"(59999-["a"])") << attach;
    QTest::newRow("binary event nsp before count")
        << QByteArray("5/chat,1-[\"a\"," + placeholder(0) + ']') << attach;
    QTest::newRow("binary ack no count") << QByteArray("63[]") << attach;
    QTest::newRow("binary ack empty") << QByteArray("6") << attach;

    // Ack ids: at most Number.MAX_SAFE_INTEGER.
    QTest::newRow("ack id 2^53") << QByteArray(R"(29007199254740992["a"])") << ack;
    QTest::newRow("ack id 10^16") << QByteArray(R"(210000000000000000["a"])") << ack;
    QTest::newRow("ack id 17 digits") << QByteArray(R"(212345678901234567["a"])") << ack;
    QTest::newRow("ack id uint64 max") << QByteArray(R"(218446744073709551615["a"])") << ack;
    QTest::newRow("ack id 2^64") << QByteArray(R"(218446744073709551616["a"])") << ack;
    QTest::newRow("ack id 30 digits")
        << QByteArray(R"(2999999999999999999999999999999["a"])") << ack;
    QTest::newRow("ack id 2^53 with nsp") << QByteArray(R"(2/chat,9007199254740992["a"])") << ack;
    QTest::newRow("ack packet id 2^53") << QByteArray("39007199254740992[]") << ack;
    QTest::newRow("binary ack id 2^53")
        << QByteArray("61-9007199254740992[" + placeholder(0) + ']') << ack;

    // JSON.
    QTest::newRow("trailing garbage") << QByteArray(R"(2["a"]x)") << json;
    QTest::newRow("trailing bracket") << QByteArray(R"(2["a"]])") << json;
    QTest::newRow("trailing brace") << QByteArray("0{}}") << json;
    QTest::newRow("two arrays") << QByteArray(R"(2["a"]["b"])") << json;
    QTest::newRow("two values with comma") << QByteArray(R"(2["a"],["b"])") << json;
    QTest::newRow("object then object") << QByteArray(R"(0{"a":1}{})") << json;
    QTest::newRow("trailing nul") << QByteArray("2[\"a\"]\0", 7) << json;
    QTest::newRow("truncated array") << QByteArray(R"(2["a")") << json;
    QTest::newRow("truncated object") << QByteArray(R"(0{"a":)") << json;
    QTest::newRow("single quotes") << QByteArray("2['a']") << json;
    QTest::newRow("undefined literal") << QByteArray("2[undefined]") << json;
    QTest::newRow("NaN") << QByteArray(R"(2["a",NaN])") << json;
    QTest::newRow("trailing comma") << QByteArray(R"(2["a",])") << json;
    QTest::newRow("bare word") << QByteArray("2hello") << json;
    QTest::newRow("whitespace only") << QByteArray("2 ") << json;
    QTest::newRow("nsp then garbage") << QByteArray("2/chat,x") << json;
    QTest::newRow("ack id then garbage") << QByteArray("21x") << json;
    QTest::newRow("invalid utf8 byte") << QByteArray("2[\"\xff\"]") << json;
    QTest::newRow("invalid utf8 continuation") << QByteArray("2[\"\xc3\x28\"]") << json;
    QTest::newRow("overlong utf8") << QByteArray("2[\"\xc0\xaf\"]") << json;
    QTest::newRow("truncated utf8") << QByteArray("2[\"\xe2\x82\"]") << json;

    // Payload rules per type.
    QTest::newRow("connect array") << QByteArray("0[]") << payload;
    QTest::newRow("connect string") << QByteArray(R"(0"token")") << payload;
    QTest::newRow("connect null") << QByteArray("0null") << payload;
    QTest::newRow("connect true") << QByteArray("0true") << payload;
    QTest::newRow("connect nsp array") << QByteArray(R"(0/admin,[{}])") << payload;
    QTest::newRow("disconnect object") << QByteArray("1{}") << payload;
    QTest::newRow("disconnect array") << QByteArray("1[]") << payload;
    QTest::newRow("disconnect string") << QByteArray(R"(1"bye")") << payload;
    QTest::newRow("disconnect null") << QByteArray("1null") << payload;
    QTest::newRow("disconnect nsp object") << QByteArray("1/admin,{}") << payload;
    QTest::newRow("event no payload") << QByteArray("2") << payload;
    QTest::newRow("event nsp no payload") << QByteArray("2/chat,") << payload;
    QTest::newRow("event ack id no payload") << QByteArray("21") << payload;
    QTest::newRow("event empty array") << QByteArray("2[]") << payload;
    QTest::newRow("event null name") << QByteArray("2[null]") << payload;
    QTest::newRow("event bool name") << QByteArray("2[true,1]") << payload;
    QTest::newRow("event object name") << QByteArray(R"(2[{"a":1}])") << payload;
    QTest::newRow("event array name") << QByteArray(R"(2[["a"]])") << payload;
    QTest::newRow("event object payload") << QByteArray(R"(2{"0":"a"})") << payload;
    QTest::newRow("event string payload") << QByteArray(R"(2"hello")") << payload;
    QTest::newRow("event null payload") << QByteArray("2null") << payload;
    QTest::newRow("event false payload") << QByteArray("2false") << payload;
    for (const char *name : {"connect", "connect_error", "disconnect", "disconnecting",
                             "newListener", "removeListener"}) {
        QTest::addRow("event reserved %s", name)
            << QByteArray("2[\"" + QByteArray(name) + "\",1]") << payload;
    }
    QTest::newRow("event reserved with nsp and ack")
        << QByteArray(R"(2/chat,5["disconnect"])") << payload;
    QTest::newRow("ack no payload") << QByteArray("31") << payload;
    QTest::newRow("ack object") << QByteArray("31{}") << payload;
    QTest::newRow("ack string") << QByteArray(R"(31"ok")") << payload;
    QTest::newRow("ack null") << QByteArray("31null") << payload;
    QTest::newRow("connect error no payload") << QByteArray("4") << payload;
    QTest::newRow("connect error array") << QByteArray(R"(4["x"])") << payload;
    QTest::newRow("connect error null") << QByteArray("4null") << payload;
    QTest::newRow("connect error ack id only") << QByteArray("41") << payload;
    QTest::newRow("connect error nsp no payload") << QByteArray("4/admin,") << payload;
    QTest::newRow("binary event empty array") << QByteArray("51-[]") << payload;
    QTest::newRow("binary event object") << QByteArray("51-{}") << payload;
    QTest::newRow("binary event no payload") << QByteArray("51-") << payload;
    QTest::newRow("binary event reserved name")
        << QByteArray("51-[\"connect\"," + placeholder(0) + ']') << payload;
    QTest::newRow("binary ack object") << QByteArray("61-1{}") << payload;

    // Binary placeholders.
    QTest::newRow("placeholder num equals count")
        << QByteArray("51-[\"a\"," + placeholder(1) + ']') << ph;
    QTest::newRow("placeholder num above count")
        << QByteArray("52-[\"a\"," + placeholder(0) + ',' + placeholder(5) + ']') << ph;
    QTest::newRow("placeholder with zero attachments")
        << QByteArray("50-[\"a\"," + placeholder(0) + ']') << ph;
    QTest::newRow("placeholder negative")
        << QByteArray(R"(51-["a",{"_placeholder":true,"num":-1}])") << ph;
    QTest::newRow("placeholder fractional")
        << QByteArray(R"(51-["a",{"_placeholder":true,"num":0.5}])") << ph;
    QTest::newRow("placeholder string num")
        << QByteArray(R"(51-["a",{"_placeholder":true,"num":"0"}])") << ph;
    QTest::newRow("placeholder null num")
        << QByteArray(R"(51-["a",{"_placeholder":true,"num":null}])") << ph;
    QTest::newRow("placeholder without num")
        << QByteArray(R"(51-["a",{"_placeholder":true}])") << ph;
    QTest::newRow("placeholder huge num")
        << QByteArray(R"(51-["a",{"_placeholder":true,"num":1e300}])") << ph;
    QTest::newRow("placeholder deep and too high")
        << QByteArray("51-[\"a\",{\"x\":[{\"y\":" + placeholder(3) + "}]}]") << ph;
    QTest::newRow("binary ack placeholder too high")
        << QByteArray("61-3[" + placeholder(1) + ']') << ph;
}

void tst_SocketPacket::decodeRejects()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, why);

    QString error;
    const std::optional<SocketIo::Packet> p = SocketIo::decode(text, &error);
    QVERIFY2(!p, qPrintable(QStringLiteral("accepted: type %1 nsp %2")
                                .arg(p ? int(p->type) : -1)
                                .arg(p ? p->nsp : QString())));
    QVERIFY2(error.contains(why, Qt::CaseInsensitive), qPrintable(error));
    QVERIFY(!SocketIo::decode(text)); // the error pointer is optional
}

void tst_SocketPacket::encode_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<int>("attachments");
    QTest::addColumn<qint64>("ackId");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("expected");

    const QString root = QStringLiteral("/");
    const QString chat = QStringLiteral("/chat");
    QTest::newRow("connect") << int(PacketType::Connect) << root << 0 << -1LL << QByteArray()
                             << QByteArray("0");
    QTest::newRow("connect reply")
        << int(PacketType::Connect) << root << 0 << -1LL << QByteArray(R"({"sid":"abc"})")
        << QByteArray(R"(0{"sid":"abc"})");
    QTest::newRow("connect nsp") << int(PacketType::Connect) << chat << 0 << -1LL
                                 << QByteArray(R"({"sid":"abc"})")
                                 << QByteArray(R"(0/chat,{"sid":"abc"})");
    QTest::newRow("connect empty nsp means root")
        << int(PacketType::Connect) << QString() << 0 << -1LL << QByteArray() << QByteArray("0");
    QTest::newRow("disconnect") << int(PacketType::Disconnect) << root << 0 << -1LL << QByteArray()
                                << QByteArray("1");
    QTest::newRow("disconnect nsp") << int(PacketType::Disconnect) << chat << 0 << -1LL
                                    << QByteArray() << QByteArray("1/chat,");
    QTest::newRow("event") << int(PacketType::Event) << root << 0 << -1LL
                           << QByteArray(R"(["seat",{"id":"s1","n":1.5}])")
                           << QByteArray(R"(2["seat",{"id":"s1","n":1.5}])");
    QTest::newRow("event ack") << int(PacketType::Event) << root << 0 << 12LL
                               << QByteArray(R"(["a"])") << QByteArray(R"(212["a"])");
    QTest::newRow("event nsp ack")
        << int(PacketType::Event) << chat << 0 << 9007199254740991LL << QByteArray(R"(["a"])")
        << QByteArray(R"(2/chat,9007199254740991["a"])");
    QTest::newRow("event utf8") << int(PacketType::Event) << root << 0 << -1LL
                                << QByteArray("[\"\xc3\xa9\"]") << QByteArray("2[\"\xc3\xa9\"]");
    QTest::newRow("ack") << int(PacketType::Ack) << root << 0 << 0LL << QByteArray("[]")
                         << QByteArray("30[]");
    QTest::newRow("ack nsp") << int(PacketType::Ack) << chat << 0 << 4LL
                             << QByteArray(R"([null,"x"])") << QByteArray(R"(3/chat,4[null,"x"])");
    QTest::newRow("connect error object") << int(PacketType::ConnectError) << root << 0 << -1LL
                                          << QByteArray(R"({"message":"Not authorized"})")
                                          << QByteArray(R"(4{"message":"Not authorized"})");
    QTest::newRow("connect error string scalar")
        << int(PacketType::ConnectError) << chat << 0 << -1LL << QByteArray("\"No \\\"way\\\"\"")
        << QByteArray("4/chat,\"No \\\"way\\\"\"");
    QTest::newRow("binary event") << int(PacketType::BinaryEvent) << root << 2 << -1LL
                                  << QByteArray("[\"up\"," + placeholder(0) + ',' + placeholder(1) +
                                                ']')
                                  << QByteArray("52-[\"up\"," + placeholder(0) + ',' +
                                                placeholder(1) + ']');
    QTest::newRow("binary ack nsp")
        << int(PacketType::BinaryAck) << chat << 1 << 7LL << QByteArray('[' + placeholder(0) + ']')
        << QByteArray("61-/chat,7[" + placeholder(0) + ']');
}

void tst_SocketPacket::encode()
{
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(int, attachments);
    QFETCH(qint64, ackId);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, expected);

    QCOMPARE(SocketIo::encode(packet(type, nsp, attachments, ackId, data)), expected);
}

void tst_SocketPacket::canonicalRoundTrip_data()
{
    QTest::addColumn<QByteArray>("text");

    for (const char *text :
         {"0", R"(0{"token":"abc"})", "0/admin,", R"(0/admin,{"a":[1,2]})", "1", "1/admin,",
          R"(2["hello"])", R"(2["hello",1,{"a":[true,null]}])", "2[42]", R"(2/chat,["a"])",
          R"(2/chat,7["a"])", R"(29007199254740991["a"])", "30[]", R"(3/chat,5["x"])",
          R"(4{"message":"x"})", R"(4"x")", R"(51-["a",{"_placeholder":true,"num":0}])",
          R"(52-/chat,3["a",{"_placeholder":true,"num":1},{"_placeholder":true,"num":0}])",
          R"(61-3[{"_placeholder":true,"num":0}])"}) {
        QTest::newRow(text) << QByteArray(text);
    }
}

void tst_SocketPacket::canonicalRoundTrip()
{
    QFETCH(QByteArray, text);

    QString error;
    const std::optional<SocketIo::Packet> p = SocketIo::decode(text, &error);
    QVERIFY2(p, qPrintable(error));
    QCOMPARE(SocketIo::encode(*p), text);
}

void tst_SocketPacket::packetRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<int>("attachments");
    QTest::addColumn<qint64>("ackId");
    QTest::addColumn<QByteArray>("data");

    const QString root = QStringLiteral("/");
    const QString chat = QStringLiteral("/chat");
    QTest::newRow("connect") << int(PacketType::Connect) << root << 0 << -1LL << QByteArray();
    QTest::newRow("connect auth") << int(PacketType::Connect) << chat << 0 << -1LL
                                  << QByteArray(R"({"token":"t","n":[1,2]})");
    QTest::newRow("disconnect nsp")
        << int(PacketType::Disconnect) << chat << 0 << -1LL << QByteArray();
    QTest::newRow("event") << int(PacketType::Event) << root << 0 << -1LL
                           << QByteArray(R"(["seat:update",{"id":"A11","state":"PENDING"}])");
    QTest::newRow("event ack nsp") << int(PacketType::Event) << chat << 0 << 123456789LL
                                   << QByteArray(R"(["a",-1.25e-3,"\u0000"])");
    QTest::newRow("event max ack")
        << int(PacketType::Event) << root << 0 << 9007199254740991LL << QByteArray("[0]");
    QTest::newRow("ack") << int(PacketType::Ack) << chat << 0 << 1LL << QByteArray("[]");
    QTest::newRow("connect error") << int(PacketType::ConnectError) << chat << 0 << -1LL
                                   << QByteArray(R"({"message":"nope","data":{"a":1}})");
    QTest::newRow("binary event") << int(PacketType::BinaryEvent) << chat << 2 << 4LL
                                  << QByteArray("[\"f\",{\"a\":" + placeholder(1) + "}," +
                                                placeholder(0) + ']');
    QTest::newRow("binary ack") << int(PacketType::BinaryAck) << root << 1 << 2LL
                                << QByteArray('[' + placeholder(0) + ']');
}

void tst_SocketPacket::packetRoundTrip()
{
    QFETCH(int, type);
    QFETCH(QString, nsp);
    QFETCH(int, attachments);
    QFETCH(qint64, ackId);
    QFETCH(QByteArray, data);

    const SocketIo::Packet in = packet(type, nsp, attachments, ackId, data);
    QString error;
    const std::optional<SocketIo::Packet> out = SocketIo::decode(SocketIo::encode(in), &error);
    QVERIFY2(out, qPrintable(error));
    QCOMPARE(out->type, in.type);
    QCOMPARE(out->nsp, in.nsp);
    QCOMPARE(out->attachments, in.attachments);
    QCOMPARE(out->ackId, in.ackId);
    QCOMPARE(out->data, in.data);
}

void tst_SocketPacket::encodeEvent_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<QString>("event");
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<qint64>("ackId");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("no args") << QStringLiteral("/") << QStringLiteral("ping") << QByteArray("[]")
                             << -1LL << QByteArray(R"(2["ping"])");
    QTest::newRow("args") << QStringLiteral("/") << QStringLiteral("seat")
                          << QByteArray(R"([1,"x",{"k":null}])") << -1LL
                          << QByteArray(R"(2["seat",1,"x",{"k":null}])");
    QTest::newRow("nsp") << QStringLiteral("/chat") << QStringLiteral("m") << QByteArray("[true]")
                         << -1LL << QByteArray(R"(2/chat,["m",true])");
    QTest::newRow("ack") << QStringLiteral("/") << QStringLiteral("q") << QByteArray("[]") << 0LL
                         << QByteArray(R"(20["q"])");
    QTest::newRow("nsp ack") << QStringLiteral("/chat") << QStringLiteral("q") << QByteArray("[[]]")
                             << 42LL << QByteArray(R"(2/chat,42["q",[]])");
    QTest::newRow("escaped name") << QStringLiteral("/") << QStringLiteral("a\"b\\c\n")
                                  << QByteArray("[]") << -1LL
                                  << QByteArray("2[\"a\\\"b\\\\c\\n\"]");
}

void tst_SocketPacket::encodeEvent()
{
    QFETCH(QString, nsp);
    QFETCH(QString, event);
    QFETCH(QByteArray, args);
    QFETCH(qint64, ackId);
    QFETCH(QByteArray, expected);

    const std::optional<quint64> id = ackId >= 0 ? std::optional<quint64>(ackId) : std::nullopt;
    const QByteArray encoded = SocketIo::encodeEvent(nsp, event, json(args).toArray(), id);
    QCOMPARE(encoded, expected);
    const std::optional<SocketIo::Packet> p = SocketIo::decode(encoded);
    QVERIFY(p);
    QCOMPARE(p->eventName(), event);
    QCOMPARE(p->eventArgs(), json(args).toArray());
}

void tst_SocketPacket::encodeAck_data()
{
    QTest::addColumn<QString>("nsp");
    QTest::addColumn<quint64>("ackId");
    QTest::addColumn<QByteArray>("args");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("empty") << QStringLiteral("/") << quint64(1) << QByteArray("[]")
                           << QByteArray("31[]");
    QTest::newRow("args") << QStringLiteral("/") << quint64(17) << QByteArray(R"(["ok",{"n":2}])")
                          << QByteArray(R"(317["ok",{"n":2}])");
    QTest::newRow("nsp") << QStringLiteral("/chat") << quint64(0) << QByteArray("[null]")
                         << QByteArray("3/chat,0[null]");
    QTest::newRow("max") << QStringLiteral("/") << SocketIo::MaxAckId << QByteArray("[]")
                         << QByteArray("39007199254740991[]");
}

void tst_SocketPacket::encodeAck()
{
    QFETCH(QString, nsp);
    QFETCH(quint64, ackId);
    QFETCH(QByteArray, args);
    QFETCH(QByteArray, expected);

    QCOMPARE(SocketIo::encodeAck(nsp, ackId, json(args).toArray()), expected);
}

void tst_SocketPacket::eventNameAndArgs_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("args");

    QTest::newRow("string") << QByteArray(R"(2["hello"])") << QStringLiteral("hello")
                            << QByteArray("[]");
    QTest::newRow("args") << QByteArray(R"(2["hello",1,"x",{"a":null}])") << QStringLiteral("hello")
                          << QByteArray(R"([1,"x",{"a":null}])");
    QTest::newRow("integer name") << QByteArray(R"(2[42,"x"])") << QStringLiteral("42")
                                  << QByteArray(R"(["x"])");
    QTest::newRow("negative name")
        << QByteArray("2[-3]") << QStringLiteral("-3") << QByteArray("[]");
    QTest::newRow("fractional name")
        << QByteArray("2[1.5]") << QStringLiteral("1.5") << QByteArray("[]");
    QTest::newRow("binary") << QByteArray("51-[\"up\"," + placeholder(0) + ']')
                            << QStringLiteral("up") << QByteArray('[' + placeholder(0) + ']');
}

void tst_SocketPacket::eventNameAndArgs()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, name);
    QFETCH(QByteArray, args);

    const std::optional<SocketIo::Packet> p = SocketIo::decode(text);
    QVERIFY(p);
    QCOMPARE(p->eventName(), name);
    QCOMPARE(p->eventArgs(), json(args).toArray());
}

void tst_SocketPacket::isReservedEventName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("reserved");

    for (const char *name : {"connect", "connect_error", "disconnect", "disconnecting",
                             "newListener", "removeListener"}) {
        QTest::newRow(name) << QString::fromLatin1(name) << true;
    }
    for (const char *name : {"", "Connect", "CONNECT", "connect ", " connect", "connected", "error",
                             "message", "ping", "newlistener", "seat:update"}) {
        QTest::addRow("not reserved '%s'", name) << QString::fromLatin1(name) << false;
    }
}

void tst_SocketPacket::isReservedEventName()
{
    QFETCH(QString, name);
    QFETCH(bool, reserved);

    QCOMPARE(SocketIo::isReservedEventName(name), reserved);
}

void tst_SocketPacket::maxPlaceholder_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<int>("expected"); // -2: malformed (nullopt)

    QTest::newRow("undefined") << QByteArray() << -1;
    QTest::newRow("scalar") << QByteArray("42") << -1;
    QTest::newRow("string") << QByteArray(R"("x")") << -1;
    QTest::newRow("empty array") << QByteArray("[]") << -1;
    QTest::newRow("no placeholders") << QByteArray(R"(["a",{"b":[1,{"c":null}]}])") << -1;
    QTest::newRow("single") << QByteArray('[' + placeholder(0) + ']') << 0;
    QTest::newRow("bare placeholder") << placeholder(3) << 3;
    QTest::newRow("highest wins") << QByteArray('[' + placeholder(2) + ',' + placeholder(7) + ',' +
                                                placeholder(1) + ']')
                                  << 7;
    QTest::newRow("nested in object")
        << QByteArray("{\"a\":{\"b\":[" + placeholder(5) + "]}}") << 5;
    QTest::newRow("integral double") << QByteArray(R"({"_placeholder":true,"num":4.0})") << 4;
    QTest::newRow("placeholder false") << QByteArray(R"({"_placeholder":false,"num":9})") << -1;
    QTest::newRow("placeholder string") << QByteArray(R"({"_placeholder":"true","num":9})") << -1;
    QTest::newRow("placeholder number") << QByteArray(R"({"_placeholder":1,"num":9})") << -1;
    QTest::newRow("negative") << QByteArray(R"({"_placeholder":true,"num":-1})") << -2;
    QTest::newRow("fractional") << QByteArray(R"({"_placeholder":true,"num":1.5})") << -2;
    QTest::newRow("string num") << QByteArray(R"({"_placeholder":true,"num":"1"})") << -2;
    QTest::newRow("missing num") << QByteArray(R"({"_placeholder":true})") << -2;
    QTest::newRow("huge num") << QByteArray(R"({"_placeholder":true,"num":1e300})") << -2;
    QTest::newRow("one bad among good")
        << QByteArray('[' + placeholder(1) + R"(,{"x":{"_placeholder":true,"num":-5}}])") << -2;
}

void tst_SocketPacket::maxPlaceholder()
{
    QFETCH(QByteArray, data);
    QFETCH(int, expected);

    const std::optional<int> actual = SocketIo::maxPlaceholder(json(data));
    QCOMPARE(actual.has_value(), expected != -2);
    if (actual)
        QCOMPARE(*actual, expected);
}

QTEST_GUILESS_MAIN(tst_SocketPacket)
#include "tst_socketpacket.moc"
