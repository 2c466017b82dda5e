// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

// Stops the fuzzer when a property of the code under test does not hold. libFuzzer treats the
// abort like any other crash: it prints the stack and saves the input as crash-<sha1>.
#define FUZZ_CHECK(condition, detail)                                                              \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz property violated at %s:%d: %s\n  %s\n", __FILE__,          \
                         __LINE__, #condition, QByteArray(detail).constData());                    \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace Reservo::Fuzz {

inline QByteArrayView input(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

// Printable form of bytes for a violation message: C-style escapes, at most 300 bytes.
inline QByteArray quoted(QByteArrayView bytes)
{
    QByteArray out = "\"";
    for (char c : bytes.first(std::min<qsizetype>(bytes.size(), 300))) {
        if (c >= 32 && c < 127 && c != '"' && c != '\\')
            out += c;
        else
            out += "\\x" + QByteArray::number(uchar(c), 16).rightJustified(2, '0');
    }
    return out + (bytes.size() > 300 ? "\"..." : "\"");
}

} // namespace Reservo::Fuzz
