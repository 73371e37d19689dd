// SPDX-License-Identifier: GPL-3.0-or-later
// Option parsing, document splitting, the seeded stratified split, NFC and
// manual-page text for corpus imports.
#include "data/corpus_import.h"

#include "core/errors.h"
#include "data/text_util.h"

#include <utf8proc.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>

namespace wb {

using namespace detail;

TextFormat parseTextFormat(const std::string& name)
{
    static const std::pair<const char*, TextFormat> names[] = {
        {"auto", TextFormat::Auto},   {"text", TextFormat::Text},   {"blocks", TextFormat::Blocks},
        {"lines", TextFormat::Lines}, {"jsonl", TextFormat::Jsonl}, {"csv", TextFormat::Csv},
        {"tsv", TextFormat::Tsv},     {"folders", TextFormat::Folders}, {"man", TextFormat::Man},
        {"qa", TextFormat::Qa},       {"python-docstrings", TextFormat::Docstrings}};
    for (const auto& [n, f] : names)
        if (name == n)
            return f;
    throw InputError("--format '" + name + "': expected auto, text, blocks, lines, jsonl, csv, tsv, folders, man, qa or python-docstrings");
}

std::string formatName(TextFormat format)
{
    switch (format) {
    case TextFormat::Auto: return "auto";
    case TextFormat::Text: return "text";
    case TextFormat::Blocks: return "blocks";
    case TextFormat::Lines: return "lines";
    case TextFormat::Jsonl: return "jsonl";
    case TextFormat::Csv: return "csv";
    case TextFormat::Tsv: return "tsv";
    case TextFormat::Folders: return "folders";
    case TextFormat::Man: return "man";
    case TextFormat::Qa: return "qa";
    case TextFormat::Docstrings: return "python-docstrings";
    }
    return "auto";
}

BadRecordPolicy parseBadRecordPolicy(const std::string& name)
{
    if (name == "fail") return BadRecordPolicy::Fail;
    if (name == "skip") return BadRecordPolicy::Skip;
    throw InputError("--on-bad-record '" + name + "': expected fail or skip");
}

BadUtf8Policy parseBadUtf8Policy(const std::string& name)
{
    if (name == "fail") return BadUtf8Policy::Fail;
    if (name == "replace") return BadUtf8Policy::Replace;
    if (name == "skip") return BadUtf8Policy::Skip;
    throw InputError("--on-bad-utf8 '" + name + "': expected fail, replace or skip");
}

std::array<double, 3> parseSplit(const std::string& text)
{
    std::array<double, 3> f{};
    std::stringstream in(text);
    std::string part;
    int i = 0;
    while (std::getline(in, part, ',')) {
        if (i >= 3)
            throw InputError("--split '" + text + "': expected three fractions like 0.9,0.05,0.05");
        try {
            std::size_t used = 0;
            f[static_cast<std::size_t>(i)] = std::stod(part, &used);
            if (used != part.size())
                throw std::invalid_argument(part);
        } catch (const std::exception&) {
            throw InputError("--split '" + text + "': '" + part + "' is not a number");
        }
        ++i;
    }
    if (i != 3)
        throw InputError("--split '" + text + "': expected three fractions like 0.9,0.05,0.05");
    if (f[0] <= 0 || f[1] <= 0 || f[2] < 0)
        throw InputError("--split '" + text + "': train and validation must be above 0, test at least 0");
    if (std::abs(f[0] + f[1] + f[2] - 1.0) > 1e-6)
        throw InputError("--split '" + text + "': the fractions must sum to 1");
    return f;
}

bool BlockSplitter::line(std::string_view raw, std::string& doc)
{
    ++m_lines;
    const std::string_view content = stripCr(raw);
    const bool separator = m_fortune ? content == "%" : isBlank(content);
    if (separator)
        return flush(doc);
    if (m_current.empty()) {
        if (isBlank(content))
            return false;
        m_docLine = m_lines;
    } else {
        m_current.push_back('\n');
    }
    m_current.append(raw);
    return false;
}

bool BlockSplitter::finish(std::string& doc)
{
    return flush(doc);
}

bool BlockSplitter::flush(std::string& doc)
{
    trimDocument(m_current);
    if (m_current.empty())
        return false;
    doc = std::move(m_current);
    m_current.clear();
    return true;
}

std::vector<std::string> splitDocuments(std::string_view text)
{
    std::vector<std::string> docs;
    BlockSplitter splitter(looksLikeFortunes(text));
    std::string doc;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        if (splitter.line(text.substr(pos, nl - pos), doc))
            docs.push_back(std::move(doc));
        pos = nl + 1;
    }
    if (splitter.finish(doc))
        docs.push_back(std::move(doc));
    return docs;
}

std::vector<std::uint8_t> assignSplits(const std::vector<std::int32_t>& labels, const std::array<double, 3>& fractions,
                                       std::uint64_t seed)
{
    const std::size_t count = labels.size();
    std::map<std::int32_t, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < count; ++i)
        groups[labels[i]].push_back(i);
    std::vector<std::uint8_t> split(count, 0);
    std::mt19937_64 rng(seed);
    for (auto& [label, order] : groups) {
        const std::size_t n = order.size();
        for (std::size_t i = n; i > 1; --i) {
            const std::size_t j = static_cast<std::size_t>(rng() % i);
            std::swap(order[i - 1], order[j]);
        }
        auto share = [&](double f) { return static_cast<std::size_t>(std::floor(static_cast<double>(n) * f + 0.5)); };
        std::size_t nVal = share(fractions[1]);
        std::size_t nTest = share(fractions[2]);
        if (n >= 2 && nVal == 0)
            nVal = 1; // every group is seen in validation when it can be
        if (n >= 3 && fractions[2] > 0 && nTest == 0)
            nTest = 1;
        while (nVal + nTest >= n && n > 0) { // keep at least one training document
            if (nTest > 0)
                --nTest;
            else if (nVal > 0)
                --nVal;
            else
                break;
        }
        for (std::size_t i = 0; i < nVal; ++i)
            split[order[i]] = 1;
        for (std::size_t i = nVal; i < nVal + nTest; ++i)
            split[order[i]] = 2;
    }
    return split;
}

std::string normalizeNfc(std::string_view text)
{
    std::string s(text);
    normalizeNfcInPlace(s);
    return s;
}

bool normalizeNfcInPlace(std::string& text)
{
    // Code points below U+0300 are all NFC-stable starters; their UTF-8 lead
    // bytes are below 0xCC. Only text with a higher byte can change.
    const bool maybe = std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xCC; });
    if (!maybe)
        return false;
    utf8proc_uint8_t* out = nullptr;
    const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                static_cast<utf8proc_ssize_t>(text.size()), &out,
                                static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
    if (n < 0)
        throw InputError(std::string("NFC normalization failed: ") + utf8proc_errmsg(n));
    const std::string_view result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
    const bool changed = result != text;
    if (changed)
        text.assign(result);
    std::free(out);
    return changed;
}

namespace {

// roff inline text: escapes \fX, \f(XX, \f[..] fonts; \(xx and \[..] glyphs;
// \*x strings; \sN sizes; \- \e \& \c \  and friends.
std::string roffInline(std::string_view s)
{
    static const std::map<std::string, std::string> glyphs{
        {"em", "\u2014"}, {"en", "\u2013"}, {"bu", "\u2022"}, {"lq", "\u201C"}, {"rq", "\u201D"}, {"oq", "\u2018"},
        {"cq", "\u2019"}, {"aq", "'"},      {"dq", "\""},     {"hy", "-"},      {"co", "\u00A9"}, {"rg", "\u00AE"},
        {"tm", "\u2122"}, {"mu", "\u00D7"}, {"de", "\u00B0"}, {"<=", "\u2264"}, {">=", "\u2265"}, {"ti", "~"},
        {"ha", "^"},      {"ga", "`"},      {"rs", "\\"},     {"ba", "|"},      {"->", "\u2192"}, {"<-", "\u2190"}};
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 >= s.size()) {
            out.push_back(s[i]);
            continue;
        }
        const char e = s[++i];
        auto bracketed = [&](std::size_t from) { // [name] starting at from; returns the name
            const std::size_t close = s.find(']', from);
            std::string name(s.substr(from + 1, close == std::string_view::npos ? 0 : close - from - 1));
            i = close == std::string_view::npos ? s.size() : close;
            return name;
        };
        auto glyph = [&](const std::string& name) {
            if (auto it = glyphs.find(name); it != glyphs.end())
                out += it->second;
        };
        switch (e) {
        case 'f':
        case '*':
            if (i + 1 < s.size() && s[i + 1] == '(') i += 3;
            else if (i + 1 < s.size() && s[i + 1] == '[') bracketed(i + 1);
            else ++i;
            break;
        case '(':
            glyph(std::string(s.substr(i + 1, 2)));
            i += 2;
            break;
        case '[': glyph(bracketed(i)); break;
        case 's':
            if (i + 1 < s.size() && (s[i + 1] == '+' || s[i + 1] == '-')) ++i;
            while (i + 1 < s.size() && std::isdigit(static_cast<unsigned char>(s[i + 1]))) ++i;
            break;
        case 'e': case '\\': out.push_back('\\'); break;
        case '-': out.push_back('-'); break;
        case ' ': case '~': out.push_back(' '); break;
        case '&': case 'c': case '|': case '^': case ')': break;
        case '"': i = s.size(); break; // a comment to the end of the line
        default: out.push_back(e); break;
        }
    }
    return out;
}

// Macro arguments, honouring double quotes.
std::vector<std::string> roffArgs(std::string_view rest)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < rest.size()) {
        while (i < rest.size() && rest[i] == ' ') ++i;
        if (i >= rest.size()) break;
        std::string a;
        if (rest[i] == '"') {
            ++i;
            while (i < rest.size() && rest[i] != '"') a.push_back(rest[i++]);
            ++i;
        } else {
            while (i < rest.size() && rest[i] != ' ') a.push_back(rest[i++]);
        }
        out.push_back(std::move(a));
    }
    return out;
}

// The prose of one request line (".SH NAME", ".B word", ".PP", ...);
// requests that carry none (.TH, .br, .nf, .de, .if, ...) give nothing.
void roffRequest(std::string_view line, std::string& out)
{
    std::string_view body = line.substr(1);
    while (!body.empty() && body[0] == ' ') body.remove_prefix(1);
    const std::size_t sp = body.find(' ');
    const std::string macro(body.substr(0, sp));
    const std::string_view rest = sp == std::string_view::npos ? std::string_view() : body.substr(sp + 1);
    if (macro.empty() || macro[0] == '\\')
        return; // a comment
    if (macro == "SH" || macro == "SS") {
        out += "\n";
        for (const auto& a : roffArgs(rest)) out += roffInline(a) + " ";
        if (!out.empty() && out.back() == ' ') out.pop_back();
        out += "\n";
    } else if (macro == "B" || macro == "I" || macro == "SM" || macro == "SB") {
        std::string words;
        for (const auto& a : roffArgs(rest)) words += (words.empty() ? "" : " ") + roffInline(a);
        out += words + "\n";
    } else if (macro.size() == 2 && std::string("BIR").find(macro[0]) != std::string::npos
               && std::string("BIR").find(macro[1]) != std::string::npos) {
        for (const auto& a : roffArgs(rest)) out += roffInline(a); // alternating fonts, no spaces
        out += "\n";
    } else if (macro == "PP" || macro == "LP" || macro == "P" || macro == "sp" || macro == "TP" || macro == "IP"
               || macro == "HP") {
        out += "\n";
        if (macro == "IP") {
            const auto a = roffArgs(rest);
            if (!a.empty()) out += roffInline(a[0]) + " ";
        }
    } else if (macro == "Nm" || macro == "Nd" || macro == "Fl" || macro == "Ar" || macro == "Sh") {
        out += roffInline(rest) + "\n"; // mdoc: keep the words
    }
}

// Runs of blank lines squeezed to one.
std::string squeezeBlankLines(const std::string& text)
{
    std::string squeezed;
    int blanks = 0;
    std::size_t p = 0;
    while (p < text.size()) {
        std::size_t nl = text.find('\n', p);
        if (nl == std::string::npos) nl = text.size();
        std::string_view l(text.data() + p, nl - p);
        if (isBlank(l)) {
            if (++blanks <= 1 && !squeezed.empty()) squeezed += "\n";
        } else {
            blanks = 0;
            squeezed.append(l);
            squeezed += "\n";
        }
        p = nl + 1;
    }
    return squeezed;
}

} // namespace

std::string roffToText(std::string_view roff)
{
    std::string out;
    std::size_t pos = 0;
    while (pos <= roff.size()) {
        std::size_t nl = roff.find('\n', pos);
        if (nl == std::string_view::npos) nl = roff.size();
        std::string_view line = stripCr(roff.substr(pos, nl - pos));
        pos = nl + 1;
        if (line.empty()) {
            out += "\n";
        } else if (line[0] != '.' && line[0] != '\'') {
            out += roffInline(line);
            out += "\n";
        } else {
            roffRequest(line, out);
        }
    }
    return squeezeBlankLines(out);
}

namespace {

std::string_view trimmed(std::string_view s)
{
    const auto a = s.find_first_not_of(" \t\r");
    if (a == std::string_view::npos)
        return {};
    const auto b = s.find_last_not_of(" \t\r");
    return s.substr(a, b - a + 1);
}

std::size_t indentOf(std::string_view line)
{
    std::size_t n = 0;
    for (char c : line) {
        if (c == ' ')
            ++n;
        else if (c == '\t')
            n = (n / 8 + 1) * 8;
        else
            break;
    }
    return n;
}

bool blankLine(std::string_view s)
{
    return s.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool endsWithColon(std::string_view line)
{
    const auto t = trimmed(line);
    return !t.empty() && t.back() == ':';
}

// Removes up to `n` leading blanks of each line in [first, last) and joins
// the lines; trailing blank lines go.
std::string dedent(const std::vector<std::string>& lines, std::size_t first, std::size_t last, std::size_t n)
{
    std::string out;
    for (std::size_t i = first; i < last; ++i) {
        std::string_view l = lines[i];
        std::size_t cut = 0;
        while (cut < l.size() && cut < n && (l[cut] == ' ' || l[cut] == '\t'))
            ++cut;
        out.append(l.substr(cut));
        out.push_back('\n');
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
        out.pop_back();
    return out;
}

} // namespace

std::optional<std::pair<std::string, std::string>> splitQa(std::string_view block)
{
    std::string part[2]; // question, answer
    int current = -1;
    bool seen[2] = {false, false};
    std::size_t pos = 0;
    while (pos <= block.size()) {
        std::size_t nl = block.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = block.size();
        std::string_view line = block.substr(pos, nl - pos);
        pos = nl + 1;
        const auto t = trimmed(line);
        if (t.rfind("Q:", 0) == 0 || t.rfind("A:", 0) == 0) {
            current = t[0] == 'Q' ? 0 : 1;
            if (seen[current])
                return std::nullopt; // two questions or two answers: not a simple pair
            seen[current] = true;
            line = t.substr(2);
        }
        if (current < 0)
            continue; // a title line before the first marker
        const auto text = trimmed(line);
        if (!text.empty())
            part[current] += (part[current].empty() ? "" : " ") + std::string(text);
    }
    if (!seen[0] || !seen[1] || part[0].empty() || part[1].empty())
        return std::nullopt;
    return std::pair{part[0], part[1]};
}

std::vector<std::pair<std::string, std::string>> pythonDocstringPairs(const std::vector<std::string>& lines)
{
    std::vector<std::pair<std::string, std::string>> out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string_view t = trimmed(lines[i]);
        if (t.rfind("def ", 0) != 0 && t.rfind("async def ", 0) != 0)
            continue;
        const std::size_t indent = indentOf(lines[i]);
        // The signature runs to the first line ending in ':'.
        std::size_t sigEnd = i;
        while (sigEnd < lines.size() && sigEnd - i <= 20 && !endsWithColon(lines[sigEnd]))
            ++sigEnd;
        if (sigEnd >= lines.size() || !endsWithColon(lines[sigEnd]))
            continue;
        std::size_t d = sigEnd + 1;
        while (d < lines.size() && blankLine(lines[d]))
            ++d;
        if (d >= lines.size() || indentOf(lines[d]) <= indent)
            continue;
        std::string_view first = trimmed(lines[d]);
        while (!first.empty() && (first[0] == 'r' || first[0] == 'R' || first[0] == 'u' || first[0] == 'U'))
            first.remove_prefix(1);
        const std::string dq(3, '"'), sq(3, '\'');
        if (first.rfind(dq, 0) != 0 && first.rfind(sq, 0) != 0)
            continue;
        const std::string quote(first.substr(0, 3));
        // The docstring's lines, to its closing quotes.
        std::vector<std::string> docLines;
        std::string_view rest = first.substr(3);
        std::size_t docEnd = d;
        bool closed = false;
        for (;;) {
            const auto close = rest.find(quote);
            if (close != std::string_view::npos) {
                docLines.emplace_back(rest.substr(0, close));
                closed = true;
                break;
            }
            docLines.emplace_back(rest);
            if (++docEnd >= lines.size())
                break;
            rest = lines[docEnd];
        }
        if (!closed)
            continue;
        // The body: lines indented deeper than the def (or blank), to the first that is not.
        std::size_t bodyEnd = docEnd + 1;
        while (bodyEnd < lines.size() && (blankLine(lines[bodyEnd]) || indentOf(lines[bodyEnd]) > indent))
            ++bodyEnd;
        std::vector<std::string> code(lines.begin() + static_cast<std::ptrdiff_t>(i),
                                      lines.begin() + static_cast<std::ptrdiff_t>(sigEnd + 1));
        code.insert(code.end(), lines.begin() + static_cast<std::ptrdiff_t>(docEnd + 1),
                    lines.begin() + static_cast<std::ptrdiff_t>(bodyEnd));
        std::size_t bodyLines = 0;
        for (std::size_t k = sigEnd + 1 - i; k < code.size(); ++k)
            bodyLines += !blankLine(code[k]);
        if (bodyLines == 0)
            continue; // only a docstring: nothing to generate
        // As inspect.cleandoc: the first line stripped, the others dedented
        // by their common indent, blank lines at the ends dropped.
        std::size_t common = std::string::npos;
        for (std::size_t k = 1; k < docLines.size(); ++k)
            if (!blankLine(docLines[k]))
                common = std::min(common, indentOf(docLines[k]));
        std::string doc(trimmed(docLines[0]));
        if (docLines.size() > 1) {
            std::string more = dedent(docLines, 1, docLines.size(), common == std::string::npos ? 0 : common);
            const auto start = more.find_first_not_of('\n');
            if (start != std::string::npos) // leading blank lines go only when the first line is blank too
                doc += doc.empty() ? more.substr(start) : "\n" + more;
        }
        if (!doc.empty())
            out.emplace_back(std::move(doc), dedent(code, 0, code.size(), indent));
        i = sigEnd; // nested functions are found too
    }
    return out;
}

} // namespace wb
