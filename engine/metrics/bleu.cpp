// SPDX-License-Identifier: GPL-3.0-or-later
#include "metrics/bleu.h"

#include "core/errors.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace wb {

namespace {

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

// 13a's first rule: ``[\{-\~\[-\` -\&\(-\+\:-\@\/]`` gets a space on each side.
bool isPunctuation(unsigned char c)
{
    return (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26) || (c >= 0x28 && c <= 0x2B)
           || (c >= 0x3A && c <= 0x40) || c == '/';
}

void replaceAll(std::string& s, std::string_view from, std::string_view to)
{
    for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
        s.replace(pos, from.size(), to);
}

// Python's str.split(): the whitespace code points it splits on (ASCII
// whitespace, U+001C..U+001F, U+0085, U+00A0, U+1680, U+2000..U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000). The length of the one at `i`, or 0.
std::size_t whitespaceAt(const std::string& s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0u; };
    const unsigned c = b(i);
    if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F))
        return 1;
    if (c == 0xC2 && (b(i + 1) == 0x85 || b(i + 1) == 0xA0))
        return 2;
    if (c == 0xE1 && b(i + 1) == 0x9A && b(i + 2) == 0x80)
        return 3;
    if (c == 0xE2 && b(i + 1) == 0x80 && ((b(i + 2) >= 0x80 && b(i + 2) <= 0x8A) || b(i + 2) == 0xA8 || b(i + 2) == 0xA9 || b(i + 2) == 0xAF))
        return 3;
    if (c == 0xE2 && b(i + 1) == 0x81 && b(i + 2) == 0x9F)
        return 3;
    if (c == 0xE3 && b(i + 1) == 0x80 && b(i + 2) == 0x80)
        return 3;
    return 0;
}

std::vector<std::string> splitTokens(const std::string& s)
{
    std::vector<std::string> out;
    std::string cur;
    for (std::size_t i = 0; i < s.size();) {
        if (const std::size_t w = whitespaceAt(s, i)) {
            if (!cur.empty())
                out.push_back(std::move(cur));
            cur.clear();
            i += w;
        } else {
            cur.push_back(s[i++]);
        }
    }
    if (!cur.empty())
        out.push_back(std::move(cur));
    return out;
}

using Counts = std::map<std::vector<std::string_view>, std::int64_t>;

Counts ngrams(const std::vector<std::string>& tokens, std::size_t n)
{
    Counts c;
    for (std::size_t i = 0; i + n <= tokens.size(); ++i)
        ++c[std::vector<std::string_view>(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                                          tokens.begin() + static_cast<std::ptrdiff_t>(i + n))];
    return c;
}

} // namespace

std::string tokenize13a(std::string_view segment)
{
    std::string line(segment);
    replaceAll(line, "<skipped>", "");
    replaceAll(line, "-\n", "");
    replaceAll(line, "\n", " ");
    if (line.find('&') != std::string::npos) {
        replaceAll(line, "&quot;", "\"");
        replaceAll(line, "&amp;", "&");
        replaceAll(line, "&lt;", "<");
        replaceAll(line, "&gt;", ">");
    }
    line = " " + line + " ";
    // Each rule is one left-to-right pass of non-overlapping matches, as
    // Python's re.sub makes it. Working on bytes gives the same text: the
    // rules' fixed characters are ASCII and a multi-byte character is never
    // split by the spaces they insert.
    std::string a;
    for (char c : line) {
        if (isPunctuation(static_cast<unsigned char>(c))) {
            a += ' ';
            a += c;
            a += ' ';
        } else {
            a += c;
        }
    }
    // ([^0-9])([\.,]) -> "\1 \2 "
    std::string b;
    for (std::size_t i = 0; i < a.size();) {
        if (i + 1 < a.size() && !isDigit(a[i]) && (a[i + 1] == '.' || a[i + 1] == ',')) {
            b += a[i];
            b += ' ';
            b += a[i + 1];
            b += ' ';
            i += 2;
        } else {
            b += a[i++];
        }
    }
    // ([\.,])([^0-9]) -> " \1 \2"
    std::string c;
    for (std::size_t i = 0; i < b.size();) {
        if (i + 1 < b.size() && (b[i] == '.' || b[i] == ',') && !isDigit(b[i + 1])) {
            c += ' ';
            c += b[i];
            c += ' ';
            c += b[i + 1];
            i += 2;
        } else {
            c += b[i++];
        }
    }
    // ([0-9])(-) -> "\1 \2 "
    std::string d;
    for (std::size_t i = 0; i < c.size();) {
        if (i + 1 < c.size() && isDigit(c[i]) && c[i + 1] == '-') {
            d += c[i];
            d += " - ";
            i += 2;
        } else {
            d += c[i++];
        }
    }
    std::string out;
    for (const auto& t : splitTokens(d))
        out += (out.empty() ? "" : " ") + t;
    return out;
}

void addSegment(BleuStats& stats, std::string_view hypothesis, const std::vector<std::string_view>& references)
{
    const auto hyp = splitTokens(tokenize13a(hypothesis));
    std::vector<std::vector<std::string>> refs;
    for (auto r : references)
        refs.push_back(splitTokens(tokenize13a(r)));
    // The closest reference length; ties go to the shorter.
    std::int64_t closest = -1;
    const auto c = static_cast<std::int64_t>(hyp.size());
    for (const auto& r : refs) {
        const auto len = static_cast<std::int64_t>(r.size());
        if (closest < 0 || std::abs(len - c) < std::abs(closest - c) || (std::abs(len - c) == std::abs(closest - c) && len < closest))
            closest = len;
    }
    stats.sysLen += c;
    stats.refLen += std::max<std::int64_t>(0, closest);
    for (std::size_t n = 1; n <= 4; ++n) {
        const Counts h = ngrams(hyp, n);
        Counts maxRef;
        std::vector<Counts> refCounts;
        for (const auto& r : refs)
            refCounts.push_back(ngrams(r, n));
        for (const auto& rc : refCounts)
            for (const auto& [g, k] : rc)
                maxRef[g] = std::max(maxRef[g], k);
        std::int64_t matches = 0;
        for (const auto& [g, k] : h)
            if (auto it = maxRef.find(g); it != maxRef.end())
                matches += std::min(k, it->second);
        stats.matches[n - 1] += matches;
        stats.totals[n - 1] += std::max<std::int64_t>(0, c - static_cast<std::int64_t>(n) + 1);
    }
}

BleuScore bleuFromStats(const BleuStats& s, int references)
{
    // sacreBLEU's compute_bleu with smooth_method "exp", no effective order.
    BleuScore out;
    out.sysLen = s.sysLen;
    out.refLen = s.refLen;
    out.signature = "nrefs:" + std::to_string(references) + "|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x";
    double smooth = 1.0;
    for (std::size_t n = 0; n < 4; ++n) {
        if (s.totals[n] == 0)
            break; // the remaining precisions stay 0
        if (s.matches[n] == 0) {
            smooth *= 2;
            out.precisions[n] = 100.0 / (smooth * static_cast<double>(s.totals[n]));
        } else {
            out.precisions[n] = 100.0 * static_cast<double>(s.matches[n]) / static_cast<double>(s.totals[n]);
        }
    }
    out.bp = s.sysLen >= s.refLen ? 1.0 : (s.sysLen > 0 ? std::exp(1.0 - static_cast<double>(s.refLen) / static_cast<double>(s.sysLen)) : 0.0);
    if (s.matches[0] == 0)
        return out; // nothing matches: 0
    double logSum = 0;
    for (double p : out.precisions)
        logSum += p > 0 ? std::log(p) : -9999999999.0; // sacreBLEU's my_log
    out.bleu = out.bp * std::exp(logSum / 4.0);
    return out;
}

BleuScore corpusBleu(const std::vector<std::string>& hypotheses, const std::vector<std::vector<std::string>>& references)
{
    if (references.empty())
        throw InputError("BLEU needs at least one reference");
    for (std::size_t r = 0; r < references.size(); ++r)
        if (references[r].size() != hypotheses.size())
            throw InputError("reference " + std::to_string(r + 1) + " has " + std::to_string(references[r].size())
                             + " segments, the hypotheses " + std::to_string(hypotheses.size()));
    BleuStats stats;
    for (std::size_t i = 0; i < hypotheses.size(); ++i) {
        std::vector<std::string_view> refs;
        for (const auto& r : references)
            refs.emplace_back(r[i]);
        addSegment(stats, hypotheses[i], refs);
    }
    return bleuFromStats(stats, static_cast<int>(references.size()));
}

} // namespace wb
