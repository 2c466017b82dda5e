// SPDX-License-Identifier: MIT
// HTTP request heads as the front door reads them off a fresh connection: headLength on the
// bytes received so far, then parse on the head it delimits. An accepted head, written out again,
// must be delimited and parsed the same way.
#include "fuzzcheck.h"
#include "httprequest.h"

using namespace Reservo;
using Reservo::Fuzz::quoted;

namespace {

QByteArray serialize(const HttpRequest &request)
{
    QByteArray out = request.method + ' ' + request.target + ' ' + request.version + "\r\n";
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
        out += it.key() + ": " + it.value() + "\r\n";
    return out + "\r\n";
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b)
{
    return a.method == b.method && a.target == b.target && a.path == b.path && a.query == b.query &&
           a.version == b.version && a.headers == b.headers;
}

void checkParsed(const HttpRequest &request)
{
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
        FUZZ_CHECK(it.key() == it.key().toLower() && !it.key().isEmpty(), quoted(it.key()));
    FUZZ_CHECK(request.target.startsWith('/'), quoted(request.target));
    request.isWebSocketUpgrade();
    const QByteArray again = serialize(request);
    FUZZ_CHECK(HttpRequest::headLength(again) == again.size(), "re-serialized " + quoted(again));
    QString error;
    const std::optional<HttpRequest> reparsed = HttpRequest::parse(again, &error);
    FUZZ_CHECK(reparsed.has_value(), quoted(again) + " rejected: " + error.toUtf8());
    FUZZ_CHECK(sameRequest(request, *reparsed), "parse(serialize(x)) != x via " + quoted(again));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView bytes = Reservo::Fuzz::input(data, size);
    const qsizetype length = HttpRequest::headLength(bytes);
    FUZZ_CHECK(length >= -1 && length <= bytes.size(), QByteArray::number(length));
    if (length > 0)
        FUZZ_CHECK(bytes.first(length).endsWith("\r\n\r\n"), QByteArray::number(length));
    // The front door parses only a delimited head; parse the raw bytes too, as a stricter test.
    QString error;
    const std::optional<HttpRequest> request =
        HttpRequest::parse(length > 0 ? bytes.first(length) : bytes, &error);
    if (!request) {
        FUZZ_CHECK(!error.isEmpty(), "rejected without a reason");
        return 0;
    }
    checkParsed(*request);
    return 0;
}
