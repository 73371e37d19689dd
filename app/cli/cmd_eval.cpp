// SPDX-License-Identifier: GPL-3.0-or-later
// lmwb bleu HYP_FILE REF_FILE...: corpus BLEU of text files as sacreBLEU
// scores them by default.
#include "cli/commands.h"
#include "core/errors.h"
#include "core/files.h"
#include "data/utf8.h"
#include "metrics/bleu.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>

namespace wb::cli {

namespace {

// One segment per line (a final newline ends the last line, it adds none);
// InputError naming the file, line and byte offset of invalid UTF-8.
std::vector<std::string> readSegments(const std::string& path)
{
    const std::string text = readFile(path);
    if (const auto bad = utf8::validate(text))
        throw InputError(path + ": invalid UTF-8 at byte offset " + std::to_string(bad->byteOffset) + " (line "
                         + std::to_string(bad->line) + "): " + bad->what);
    std::vector<std::string> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t nl = text.find('\n', pos);
        if (nl == std::string::npos)
            nl = text.size();
        std::string line = text.substr(pos, nl - pos);
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
        pos = nl + 1;
    }
    return lines;
}

} // namespace

int cmdBleu(Context& ctx)
{
    const auto& a = ctx.args;
    a.allowOnly("bleu", {});
    const auto& pos = a.positional();
    if (pos.size() < 3)
        throw InputError("usage: lmwb bleu HYP_FILE REF_FILE... [--json]");
    const auto hyps = readSegments(pos[1]);
    std::vector<std::vector<std::string>> refs;
    for (std::size_t i = 2; i < pos.size(); ++i) {
        refs.push_back(readSegments(pos[i]));
        if (refs.back().size() != hyps.size())
            throw InputError(pos[i] + " has " + std::to_string(refs.back().size()) + " lines, " + pos[1] + " has "
                             + std::to_string(hyps.size()) + ": one segment per line in each");
    }
    const BleuScore s = corpusBleu(hyps, refs);
    if (ctx.json) {
        std::cout << nlohmann::json{{"bleu", s.bleu},       {"precisions", s.precisions}, {"bp", s.bp},
                                    {"sys_len", s.sysLen},  {"ref_len", s.refLen},        {"signature", s.signature}}
                         .dump()
                  << '\n';
    } else {
        // sacreBLEU's line.
        std::printf("BLEU = %.2f %.1f/%.1f/%.1f/%.1f (BP = %.3f ratio = %.3f hyp_len = %lld ref_len = %lld)\n%s\n", s.bleu,
                    s.precisions[0], s.precisions[1], s.precisions[2], s.precisions[3], s.bp,
                    s.refLen ? static_cast<double>(s.sysLen) / static_cast<double>(s.refLen) : 0.0,
                    static_cast<long long>(s.sysLen), static_cast<long long>(s.refLen), s.signature.c_str());
    }
    return 0;
}

} // namespace wb::cli
