// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace Reservo::Bench {

// A forward-only reader of the little JSON a bench client looks into, without allocating:
// strings come back raw (escapes left as they are: the bench compares them with ids it made
// itself), numbers as integers, and any value can be skipped, nested or not.
class JsonScanner
{
public:
    explicit JsonScanner(std::string_view text) : m_text(text) {}

    // Skips whitespace, then takes `c` if it is next.
    bool take(char c);
    bool readString(std::string_view &out);
    // An integer, or the integer part of a number written with a fraction or exponent.
    bool readInteger(int64_t &out);
    // The literal true or false.
    bool readBool(bool &out);
    bool skipValue();
    bool atEnd();

private:
    void skipSpace();
    bool skipNested();
    bool skipScalar();

    std::string_view m_text;
    size_t m_pos = 0;
};

} // namespace Reservo::Bench
