// SPDX-License-Identifier: MIT
#include "socketbatch.h"

#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace Reservo;
using Method = SocketBatch::Method;
using Transfers = std::vector<SocketBatch::Transfer>;

Q_DECLARE_METATYPE(SocketBatch::Method)

namespace {
// Both ends of a connected stream socket: AF_UNIX, or TCP over loopback as in production.
// The batch works on `near`; the test plays the peer on `far`.
struct Pair
{
    Pair() = default;
    Pair(const Pair &) = delete;
    Pair &operator=(const Pair &) = delete;
    int near = -1;
    int far = -1;
    ~Pair()
    {
        for (int fd : {near, far})
            if (fd >= 0)
                ::close(fd);
    }
};

bool unixPair(Pair &pair)
{
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) != 0)
        return false;
    pair.near = fds[0];
    pair.far = fds[1];
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
    pair.far = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ok = ok && ::connect(pair.far, reinterpret_cast<sockaddr *>(&address), length) == 0;
    pair.near = ok ? ::accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC) : -1;
    ::close(listener);
    const int one = 1;
    return pair.near >= 0 &&
           ::setsockopt(pair.near, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) == 0;
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

bool makePair(bool tcp, Pair &pair)
{
    return tcp ? tcpPair(pair) : unixPair(pair);
}

SocketBatch::Transfer transfer(int fd, const QByteArray &bytes)
{
    return {fd, const_cast<char *>(bytes.constData()), size_t(bytes.size())}; // sends only read
}

// A batch of the method asked for, or a skip when the kernel (not this code) refuses io_uring.
bool makeBatch(Method method, std::unique_ptr<SocketBatch> &batch)
{
    batch = std::make_unique<SocketBatch>(method, RingEntries);
    if (batch->method() == method)
        return true;
    const QString why = batch->errorString();
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

// Batched sends (the shards' writes) and receives (the bench's reads): every byte reaches the
// right socket, in order; a full, empty, closed or invalid socket gets its own result and does
// not disturb the others in the batch. Each case runs with plain system calls and with io_uring.
class tst_SocketBatch : public QObject
{
    Q_OBJECT
private slots:
    void parseMethod_data();
    void parseMethod();
    void eachSocketGetsItsBytes_data() { addMethods(); }
    void eachSocketGetsItsBytes();
    void fullSocketTakesWhatFits_data() { addMethods(); }
    void fullSocketTakesWhatFits();
    void sendFailuresStayWithTheirSocket_data() { addMethods(); }
    void sendFailuresStayWithTheirSocket();
    void eachSocketReceivesItsBytes_data() { addMethods(); }
    void eachSocketReceivesItsBytes();
    void receiveResultsPerSocket_data() { addMethods(); }
    void receiveResultsPerSocket();
    void emptyBatchIsNothing_data() { addMethods(); }
    void emptyBatchIsNothing();

private:
    void addMethods();
    struct Row
    {
        Method method;
        bool tcp;
        std::unique_ptr<SocketBatch> batch; // null: the row was skipped or failed
    };
    // The row's method and socket kind, and a batch of that method.
    static Row currentRow();
};

void tst_SocketBatch::parseMethod_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<Method>("method");
    QTest::newRow("io_uring") << QByteArray("io_uring") << true << Method::IoUring;
    QTest::newRow("the system call's name") << QByteArray("send") << true << Method::Syscalls;
    QTest::newRow("another system call") << QByteArray("recv") << false << Method::Syscalls;
    QTest::newRow("empty") << QByteArray() << false << Method::Syscalls;
    QTest::newRow("upper case") << QByteArray("IO_URING") << false << Method::Syscalls;
    QTest::newRow("other") << QByteArray("epoll") << false << Method::Syscalls;
    QTest::newRow("trailing space") << QByteArray("send ") << false << Method::Syscalls;
}

void tst_SocketBatch::parseMethod()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QFETCH(Method, method);
    const std::optional<Method> parsed = SocketBatch::parseMethod(name, "send");
    QCOMPARE(parsed.has_value(), valid);
    if (valid)
        QCOMPARE(*parsed, method);
}

void tst_SocketBatch::addMethods()
{
    QTest::addColumn<Method>("method");
    QTest::addColumn<bool>("tcp");
    QTest::newRow("syscalls, unix") << Method::Syscalls << false;
    QTest::newRow("syscalls, tcp") << Method::Syscalls << true;
    QTest::newRow("io_uring, unix") << Method::IoUring << false;
    QTest::newRow("io_uring, tcp") << Method::IoUring << true;
}

tst_SocketBatch::Row tst_SocketBatch::currentRow()
{
    QFETCH(Method, method);
    QFETCH(bool, tcp);
    Row row{method, tcp, nullptr};
    if (!makeBatch(method, row.batch))
        row.batch.reset();
    return row;
}

// Four times more sockets than ring entries, each with bytes of its own, sent twice: a
// completion matched to the wrong socket, a lost chunk or a reordering shows.
void tst_SocketBatch::eachSocketGetsItsBytes()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    std::vector<Pair> pairs(RingEntries * 4 + 3);
    std::vector<QByteArray> sent(pairs.size());
    for (Pair &pair : pairs)
        QVERIFY(makePair(row.tcp, pair));
    for (int round = 0; round < 2; ++round) {
        std::vector<QByteArray> bytes(pairs.size());
        Transfers transfers;
        for (size_t i = 0; i < pairs.size(); ++i) {
            bytes[i] = QByteArray::number(round) + ':' + QByteArray::number(qulonglong(i)) +
                       QByteArray(int(i % 7) * 100, 'x') + ';';
            transfers.push_back(transfer(pairs[i].near, bytes[i]));
            sent[i] += bytes[i];
        }
        batch->send(transfers);
        for (size_t i = 0; i < transfers.size(); ++i)
            QCOMPARE(transfers[i].result, ssize_t(bytes[i].size()));
    }
    for (size_t i = 0; i < pairs.size(); ++i)
        QCOMPARE(readUpTo(pairs[i].far, sent[i].size()), sent[i]);
    QCOMPARE(batch->method(), row.method); // nothing made it give up io_uring
}

// A reader that stopped reading: the send returns at once with what fit (or -EAGAIN), and the
// socket beside it in the batch is written in full.
void tst_SocketBatch::fullSocketTakesWhatFits()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    Pair full, healthy;
    QVERIFY(makePair(row.tcp, full));
    QVERIFY(makePair(row.tcp, healthy));
    const QByteArray big(8 * 1024 * 1024, 'b');
    const QByteArray small("hello");
    Transfers transfers{transfer(full.near, big), transfer(healthy.near, small)};
    batch->send(transfers);
    QVERIFY2(transfers[0].result > 0 && transfers[0].result < big.size(),
             qPrintable(QString::number(transfers[0].result)));
    QCOMPARE(transfers[1].result, ssize_t(small.size()));
    // Until nothing fits at all (the kernel may free a little room as it moves bytes along).
    for (int i = 0; i < 1000 && transfers[0].result != -EAGAIN; ++i) {
        batch->send(std::span(transfers).first(1));
        QVERIFY2(transfers[0].result == -EAGAIN ||
                     (transfers[0].result > 0 && transfers[0].result < big.size()),
                 qPrintable(QString::number(transfers[0].result)));
    }
    QCOMPARE(transfers[0].result, ssize_t(-EAGAIN));
    QCOMPARE(readUpTo(healthy.far, small.size()), small);
}

// A peer that went away and a descriptor that is not open, between two good sockets.
void tst_SocketBatch::sendFailuresStayWithTheirSocket()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    Pair first, gone, last;
    QVERIFY(makePair(row.tcp, first));
    QVERIFY(makePair(row.tcp, gone));
    QVERIFY(makePair(row.tcp, last));
    if (row.tcp) { // a reset, not a FIN: the next send fails at once
        const linger hard{1, 0};
        QCOMPARE(::setsockopt(gone.far, SOL_SOCKET, SO_LINGER, &hard, sizeof hard), 0);
    }
    ::close(std::exchange(gone.far, -1));
    const int notOpen = ::fcntl(first.near, F_DUPFD_CLOEXEC, 0);
    QVERIFY(notOpen >= 0);
    ::close(notOpen);
    const QByteArray bytes("payload");
    Transfers transfers;
    for (int fd : {first.near, gone.near, notOpen, last.near})
        transfers.push_back(transfer(fd, bytes));
    if (row.tcp) // the reset may take a moment to arrive over loopback
        QTRY_VERIFY_WITH_TIMEOUT(::send(gone.near, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0, 5000);
    batch->send(transfers);
    QCOMPARE(transfers[0].result, ssize_t(bytes.size()));
    QVERIFY2(transfers[1].result == -EPIPE || transfers[1].result == -ECONNRESET,
             qPrintable(QString::number(transfers[1].result)));
    QCOMPARE(transfers[2].result, ssize_t(-EBADF));
    QCOMPARE(transfers[3].result, ssize_t(bytes.size()));
    QCOMPARE(readUpTo(first.far, bytes.size()), bytes);
    QCOMPARE(readUpTo(last.far, bytes.size()), bytes);
    QCOMPARE(batch->method(), row.method);
}

// Many sockets, each with bytes of its own waiting, received in batches until all are in: each
// socket's buffer holds its own bytes, in order.
void tst_SocketBatch::eachSocketReceivesItsBytes()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    std::vector<Pair> pairs(RingEntries * 4 + 3);
    std::vector<QByteArray> sent(pairs.size()), received(pairs.size());
    for (size_t i = 0; i < pairs.size(); ++i) {
        QVERIFY(makePair(row.tcp, pairs[i]));
        sent[i] = QByteArray::number(qulonglong(i)) + QByteArray(int(i % 5) * 300, 'r') + ';';
        QCOMPARE(::send(pairs[i].far, sent[i].constData(), size_t(sent[i].size()), MSG_NOSIGNAL),
                 ssize_t(sent[i].size()));
    }
    std::vector<char> buffers(pairs.size() * 512); // 512 bytes each: longer messages take turns
    QDeadlineTimer deadline(10000);
    while (received != sent && !deadline.hasExpired()) {
        Transfers transfers;
        for (size_t i = 0; i < pairs.size(); ++i)
            if (received[i].size() < sent[i].size())
                transfers.push_back({pairs[i].near, buffers.data() + i * 512, 512});
        batch->receive(transfers);
        size_t j = 0;
        for (size_t i = 0; i < pairs.size(); ++i) {
            if (received[i].size() >= sent[i].size())
                continue;
            const ssize_t result = transfers[j++].result;
            QVERIFY2(result > 0 || result == -EAGAIN, qPrintable(QString::number(result)));
            if (result > 0)
                received[i].append(buffers.data() + i * 512, result);
        }
        if (received != sent)
            QTest::qWait(1); // loopback TCP delivers asynchronously
    }
    QCOMPARE(received, sent);
    QCOMPARE(batch->method(), row.method);
}

// Each socket gets its own answer: bytes, nothing yet (-EAGAIN), the peer's close (0), a
// descriptor that is not open (-EBADF), and bytes again after them.
void tst_SocketBatch::receiveResultsPerSocket()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    Pair withBytes, empty, closed, after;
    for (Pair *pair : {&withBytes, &empty, &closed, &after})
        QVERIFY(makePair(row.tcp, *pair));
    QCOMPARE(::send(withBytes.far, "abc", 3, MSG_NOSIGNAL), ssize_t(3));
    QCOMPARE(::send(after.far, "xyz", 3, MSG_NOSIGNAL), ssize_t(3));
    ::close(std::exchange(closed.far, -1));
    const int notOpen = ::fcntl(empty.near, F_DUPFD_CLOEXEC, 0);
    QVERIFY(notOpen >= 0);
    ::close(notOpen);
    char buffers[5][16];
    Transfers transfers{{withBytes.near, buffers[0], 16},
                        {empty.near, buffers[1], 16},
                        {closed.near, buffers[2], 16},
                        {notOpen, buffers[3], 16},
                        {after.near, buffers[4], 2}}; // smaller than what waits
    // Loopback TCP may not have delivered yet: ask until the bytes and the close are in.
    // Loopback TCP delivers asynchronously: wait until the bytes and the close are in.
    for (const Pair *pair : {&withBytes, &closed, &after}) {
        pollfd ready{pair->near, POLLIN, 0};
        QCOMPARE(::poll(&ready, 1, 5000), 1);
    }
    batch->receive(transfers);
    QCOMPARE(transfers[0].result, ssize_t(3));
    QCOMPARE(QByteArray(buffers[0], 3), QByteArray("abc"));
    QCOMPARE(transfers[1].result, ssize_t(-EAGAIN));
    QCOMPARE(transfers[2].result, ssize_t(0));
    QCOMPARE(transfers[3].result, ssize_t(-EBADF));
    QCOMPARE(transfers[4].result, ssize_t(2));
    QCOMPARE(QByteArray(buffers[4], 2), QByteArray("xy"));
    batch->receive(std::span(transfers).last(1)); // the rest is still there
    QCOMPARE(transfers[4].result, ssize_t(1));
    QCOMPARE(buffers[4][0], 'z');
    QCOMPARE(batch->method(), row.method);
}

void tst_SocketBatch::emptyBatchIsNothing()
{
    const Row row = currentRow();
    if (!row.batch)
        return;
    SocketBatch *batch = row.batch.get();
    batch->send({});
    batch->receive({});
    Pair pair;
    QVERIFY(makePair(row.tcp, pair));
    const QByteArray bytes("after");
    Transfers transfers{transfer(pair.near, bytes)};
    batch->send(transfers);
    QCOMPARE(transfers[0].result, ssize_t(bytes.size()));
    QCOMPARE(readUpTo(pair.far, bytes.size()), bytes);
}

QTEST_GUILESS_MAIN(tst_SocketBatch)
#include "tst_socketbatch.moc"
