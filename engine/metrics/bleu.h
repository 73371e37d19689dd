// SPDX-License-Identifier: GPL-3.0-or-later
// Corpus BLEU exactly as sacreBLEU 2.x computes it by default (methods.md
// C13): the 13a tokenizer, case-sensitive, max order 4, `exp` smoothing,
// no effective order; statistics summed over the corpus before the score.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wb {

// sacreBLEU's `13a` tokenisation of one detokenised segment (methods.md C13).
std::string tokenize13a(std::string_view segment);

// The sums corpus BLEU is computed from.
struct BleuStats {
    std::array<std::int64_t, 4> matches{}; // clipped n-gram matches, n = 1..4
    std::array<std::int64_t, 4> totals{};  // hypothesis n-grams
    std::int64_t sysLen = 0;               // hypothesis tokens
    std::int64_t refLen = 0;               // closest reference length per segment (ties: the shorter)
};

// Adds one segment: a hypothesis and its references (raw text, tokenised here).
void addSegment(BleuStats& stats, std::string_view hypothesis, const std::vector<std::string_view>& references);

struct BleuScore {
    double bleu = 0;                  // 0..100
    std::array<double, 4> precisions{}; // percent, after smoothing
    double bp = 0;                    // brevity penalty
    std::int64_t sysLen = 0, refLen = 0;
    std::string signature;            // "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x"
};

BleuScore bleuFromStats(const BleuStats& stats, int references);

// Corpus BLEU of hypotheses against reference streams (each as long as the
// hypotheses: refs[r][i] is reference r of segment i). InputError when the
// lengths differ.
BleuScore corpusBleu(const std::vector<std::string>& hypotheses, const std::vector<std::vector<std::string>>& references);

} // namespace wb
