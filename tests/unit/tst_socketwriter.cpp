// SPDX-License-Identifier: MIT
#include "socketwriter.h"

#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace Reservo;
using Method = SocketWriter::Method;

Q_DECLARE_METATYPE(SocketWriter::Method)

namespace {
// Both ends of a connected stream socket: AF_UNIX, or TCP over loopback as in production.
struct Pair
{
    Pair() = default;
    Pair(const Pair &) = delete;
    Pair &operator=(const Pair &) = delete;
    int writer = -1;
    int reader = -1;
    ~Pair()
    {
        for (int fd : {writer, reader})
            if (fd >= 0)
                ::close(fd);
    }
};

bool unixPair(Pair &pair)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        return false;
    pair.writer = fds[0];
    pair.reader = fds[1];
    return true;
}

bool tcpPair(Pair &pair)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    bool ok = ::bind(listener, reinterpret_cast<sockaddr *>(&address), length) == 0 &&
              ::listen(listener, 1) == 0 &&
              ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) == 0;
    pair.reader = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ok = ok && ::connect(pair.reader, reinterpret_cast<sockaddr *>(&address), length) == 0;
    pair.writer = ok ? ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC) : -1;
    ::close(listener);
    const int one = 1;
    return pair.writer >= 0 &&
           ::setsockopt(pair.writer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0;
}

// Everything readable now, waiting up to 5 s for `expected` bytes.
QByteArray readUpTo(int fd, qsizetype expected)
{
    QByteArray got;
    char buffer[65536];
    QDeadlineTimer deadline(5000);
    while (got.size() < expected && !deadline.hasExpired()) {
        const ssize_t n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0)
            got.append(buffer, n);
        else if (n == 0)
            break;
        else
            QTest::qWait(1); // nothing yet: let the kernel deliver (loopback is asynchronous)
    }
    return got;
}

constexpr unsigned RingEntries = 8; // small, so that a batch spans several submissions

// A writer of the method asked for, or a skip when the kernel (not this code) refuses io_uring.
bool makeWriter(Method method, std::unique_ptr<SocketWriter> &writer)
{
    writer = std::make_unique<SocketWriter>(method, RingEntries);
    if (writer->method() == method)
        return true;
    const QString why = writer->errorString();
    if (why.contains(QLatin1String("without liburing")) ||
        why.contains(QString::fromLocal8Bit(strerror(EPERM))) ||
        why.contains(QString::fromLocal8Bit(strerror(ENOSYS))))
        QTest::qSkip(qPrintable(QStringLiteral("io_uring unavailable here: ") + why), __FILE__,
                     __LINE__);
    else
        QTest::qFail(qPrintable(QStringLiteral("io_uring set-up failed: ") + why), __FILE__,
                     __LINE__);
    return false;
}
} // namespace

// The batched socket writes of shard threads: every byte reaches the right socket, in order;
// a full, closed or invalid socket gets its own result and does not disturb the others.
class tst_SocketWriter : public QObject
{
    Q_OBJECT
private slots:
    void parseMethod_data();
    void parseMethod();
    void eachSocketGetsItsBytes_data();
    void eachSocketGetsItsBytes();
    void fullSocketTakesWhatFits_data();
    void fullSocketTakesWhatFits();
    void failuresStayWithTheirSocket_data();
    void failuresStayWithTheirSocket();
    void emptyBatchIsNothing_data();
    void emptyBatchIsNothing();

private:
    void addMethods();
};

void tst_SocketWriter::parseMethod_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Method>("method");
    QTest::newRow("io_uring") << QByteArray("io_uring") << true << Method::IoUring;
    QTest::newRow("send") << QByteArray("send") << true << Method::Send;
    QTest::newRow("empty") << QByteArray() << false << Method::Send;
    QTest::newRow("upper case") << QByteArray("IO_URING") << false << Method::Send;
    QTest::newRow("other") << QByteArray("epoll") << false << Method::Send;
    QTest::newRow("trailing space") << QByteArray("send ") << false << Method::Send;
}

void tst_SocketWriter::parseMethod()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QFETCH(Method, method);
    const std::optional<Method> parsed = SocketWriter::parseMethod(name);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(*parsed, method);
        QCOMPARE(QByteArray(SocketWriter::methodName(method)), name);
    }
}

void tst_SocketWriter::addMethods()
{
    QTest::addColumn<Method>("method");
    QTest::addColumn<bool>("tcp");
    QTest::newRow("send, unix") << Method::Send << false;
    QTest::newRow("send, tcp") << Method::Send << true;
    QTest::newRow("io_uring, unix") << Method::IoUring << false;
    QTest::newRow("io_uring, tcp") << Method::IoUring << true;
}

void tst_SocketWriter::eachSocketGetsItsBytes_data()
{
    addMethods();
}

// Four times more sockets than ring entries, each with bytes of its own, written twice: a
// completion matched to the wrong socket, a lost chunk or a reordering shows.
void tst_SocketWriter::eachSocketGetsItsBytes()
{
    QFETCH(Method, method);
    QFETCH(bool, tcp);
    std::unique_ptr<SocketWriter> writer;
    if (!makeWriter(method, writer))
        return;
    std::vector<Pair> pairs(RingEntries * 4 + 3);
    std::vector<QByteArray> sent(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i)
        QVERIFY(tcp ? tcpPair(pairs[i]) : unixPair(pairs[i]));
    for (int round = 0; round < 2; ++round) {
        std::vector<QByteArray> bytes(pairs.size());
        std::vector<SocketWriter::Write> writes;
        for (size_t i = 0; i < pairs.size(); ++i) {
            bytes[i] = QByteArray::number(round) + ':' + QByteArray::number(qulonglong(i)) +
                       QByteArray(int(i % 7) * 100, 'x') + ';';
            writes.push_back({pairs[i].writer, bytes[i].constData(), size_t(bytes[i].size())});
            sent[i] += bytes[i];
        }
        writer->write(writes);
        for (size_t i = 0; i < writes.size(); ++i)
            QCOMPARE(writes[i].result, ssize_t(bytes[i].size()));
    }
    for (size_t i = 0; i < pairs.size(); ++i)
        QCOMPARE(readUpTo(pairs[i].reader, sent[i].size()), sent[i]);
    QCOMPARE(writer->method(), method); // nothing made it give up io_uring
}

void tst_SocketWriter::fullSocketTakesWhatFits_data()
{
    addMethods();
}

// A reader that stopped reading: the write returns at once with what fit (or -EAGAIN), and the
// socket beside it in the batch is written in full.
void tst_SocketWriter::fullSocketTakesWhatFits()
{
    QFETCH(Method, method);
    QFETCH(bool, tcp);
    std::unique_ptr<SocketWriter> writer;
    if (!makeWriter(method, writer))
        return;
    Pair full, healthy;
    QVERIFY(tcp ? tcpPair(full) : unixPair(full));
    QVERIFY(tcp ? tcpPair(healthy) : unixPair(healthy));
    const QByteArray big(8 * 1024 * 1024, 'b');
    const QByteArray small("hello");
    std::vector<SocketWriter::Write> writes{
        {full.writer, big.constData(), size_t(big.size())},
        {healthy.writer, small.constData(), size_t(small.size())}};
    writer->write(writes);
    QVERIFY2(writes[0].result > 0 && writes[0].result < big.size(),
             qPrintable(QString::number(writes[0].result)));
    QCOMPARE(writes[1].result, ssize_t(small.size()));
    // Until nothing fits at all (the kernel may free a little room as it moves bytes along).
    for (int i = 0; i < 1000 && writes[0].result != -EAGAIN; ++i) {
        writer->write(std::span(writes).first(1));
        QVERIFY2(writes[0].result == -EAGAIN ||
                     (writes[0].result > 0 && writes[0].result < big.size()),
                 qPrintable(QString::number(writes[0].result)));
    }
    QCOMPARE(writes[0].result, ssize_t(-EAGAIN));
    QCOMPARE(readUpTo(healthy.reader, small.size()), small);
}

void tst_SocketWriter::failuresStayWithTheirSocket_data()
{
    addMethods();
}

// A peer that went away and a descriptor that is not open, between two good sockets.
void tst_SocketWriter::failuresStayWithTheirSocket()
{
    QFETCH(Method, method);
    QFETCH(bool, tcp);
    std::unique_ptr<SocketWriter> writer;
    if (!makeWriter(method, writer))
        return;
    Pair first, gone, last;
    QVERIFY(tcp ? tcpPair(first) : unixPair(first));
    QVERIFY(tcp ? tcpPair(gone) : unixPair(gone));
    QVERIFY(tcp ? tcpPair(last) : unixPair(last));
    if (tcp) { // a reset, not a FIN: the next write fails at once
        const linger hard{1, 0};
        QCOMPARE(::setsockopt(gone.reader, SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
    }
    ::close(std::exchange(gone.reader, -1));
    const int notOpen = ::fcntl(first.writer, F_DUPFD_CLOEXEC, 0);
    QVERIFY(notOpen >= 0);
    ::close(notOpen);
    const QByteArray bytes("payload");
    std::vector<SocketWriter::Write> writes;
    for (int fd : {first.writer, gone.writer, notOpen, last.writer})
        writes.push_back({fd, bytes.constData(), size_t(bytes.size())});
    if (tcp) // the reset may take a moment to arrive over loopback
        QTRY_VERIFY_WITH_TIMEOUT(::send(gone.writer, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0,
                                 5000);
    writer->write(writes);
    QCOMPARE(writes[0].result, ssize_t(bytes.size()));
    QVERIFY2(writes[1].result == -EPIPE || writes[1].result == -ECONNRESET,
             qPrintable(QString::number(writes[1].result)));
    QCOMPARE(writes[2].result, ssize_t(-EBADF));
    QCOMPARE(writes[3].result, ssize_t(bytes.size()));
    QCOMPARE(readUpTo(first.reader, bytes.size()), bytes);
    QCOMPARE(readUpTo(last.reader, bytes.size()), bytes);
    QCOMPARE(writer->method(), method);
}

void tst_SocketWriter::emptyBatchIsNothing_data()
{
    addMethods();
}

void tst_SocketWriter::emptyBatchIsNothing()
{
    QFETCH(Method, method);
    std::unique_ptr<SocketWriter> writer;
    if (!makeWriter(method, writer))
        return;
    writer->write({});
    Pair pair;
    QVERIFY(unixPair(pair));
    const QByteArray bytes("after");
    std::vector<SocketWriter::Write> writes{{pair.writer, bytes.constData(), size_t(bytes.size())}};
    writer->write(writes);
    QCOMPARE(writes[0].result, ssize_t(bytes.size()));
    QCOMPARE(readUpTo(pair.reader, bytes.size()), bytes);
}

QTEST_GUILESS_MAIN(tst_SocketWriter)
#include "tst_socketwriter.moc"
