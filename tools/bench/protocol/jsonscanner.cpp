// SPDX-License-Identifier: MIT
#include "jsonscanner.h"

namespace Reservo::Bench {

namespace {
constexpr int MaxDepth = 64;

bool isScalarChar(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-' || c == '+' || c == '.' ||
           c == 'E';
}
} // namespace

void JsonScanner::skipSpace()
{
    while (m_pos < m_text.size() && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' ||
                                     m_text[m_pos] == '\r' || m_text[m_pos] == '\t'))
        ++m_pos;
}

bool JsonScanner::take(char c)
{
    skipSpace();
    if (m_pos >= m_text.size() || m_text[m_pos] != c)
        return false;
    ++m_pos;
    return true;
}

bool JsonScanner::atEnd()
{
    skipSpace();
    return m_pos >= m_text.size();
}

bool JsonScanner::readString(std::string_view &out)
{
    if (!take('"'))
        return false;
    const size_t start = m_pos;
    while (m_pos < m_text.size() && m_text[m_pos] != '"')
        m_pos += m_text[m_pos] == '\\' ? 2 : 1;
    if (m_pos >= m_text.size())
        return false;
    out = m_text.substr(start, m_pos - start);
    ++m_pos;
    return true;
}

bool JsonScanner::readInteger(int64_t &out)
{
    skipSpace();
    const bool negative = m_pos < m_text.size() && m_text[m_pos] == '-';
    m_pos += negative ? 1 : 0;
    const size_t start = m_pos;
    int64_t value = 0;
    while (m_pos < m_text.size() && m_text[m_pos] >= '0' && m_text[m_pos] <= '9' &&
           m_pos - start < 18)
        value = value * 10 + (m_text[m_pos++] - '0');
    if (m_pos == start)
        return false;
    while (m_pos < m_text.size() && isScalarChar(m_text[m_pos])) // fraction, exponent
        ++m_pos;
    out = negative ? -value : value;
    return true;
}

bool JsonScanner::readBool(bool &out)
{
    skipSpace();
    const std::string_view rest = m_text.substr(m_pos);
    for (const bool value : {true, false}) {
        const std::string_view word = value ? "true" : "false";
        if (rest.substr(0, word.size()) == word) {
            m_pos += word.size();
            out = value;
            return true;
        }
    }
    return false;
}

bool JsonScanner::skipValue()
{
    skipSpace();
    if (m_pos >= m_text.size())
        return false;
    const char c = m_text[m_pos];
    if (c == '"') {
        std::string_view ignored;
        return readString(ignored);
    }
    return c == '{' || c == '[' ? skipNested() : skipScalar();
}

bool JsonScanner::skipNested()
{
    int depth = 0;
    do {
        const char c = m_text[m_pos];
        if (c == '"') {
            std::string_view ignored;
            if (!readString(ignored))
                return false;
            continue;
        }
        depth += (c == '{' || c == '[') ? 1 : (c == '}' || c == ']') ? -1 : 0;
        if (depth > MaxDepth)
            return false;
        ++m_pos;
    } while (depth > 0 && m_pos < m_text.size());
    return depth == 0;
}

bool JsonScanner::skipScalar()
{
    const size_t start = m_pos;
    while (m_pos < m_text.size() && isScalarChar(m_text[m_pos]))
        ++m_pos;
    return m_pos > start;
}

} // namespace Reservo::Bench
