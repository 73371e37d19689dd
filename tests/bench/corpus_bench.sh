#!/usr/bin/env bash
# Corpus and tokenizer throughput (issue 3), written as Markdown rows to
# stdout for docs/benchmarks.md:
#   1. import + character tokenization of a 500 MB text (goal: >= 50 MB/s)
#   2. peak memory (max RSS) while importing 1 GB (goal: < 500 MB)
#   3. SentencePiece BPE encoding through lmwb against spm_encode on the same
#      100 MB file and model (goal: within 1.5x), with identical ids checked
#   usage: tests/bench/corpus_bench.sh [BUILD_DIR] [WORK_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build}
work=${2:-$(mktemp -d)}
lmwb="$(cd "$build" && pwd)/app/lmwb"
cat="$work/bench.sqlite"
rm -rf "$cat" "$work/bench-artifacts"
mkdir -p "$work"

python3 "$here/make_text.py" "$work/t500.txt" 500 1
python3 "$here/make_text.py" "$work/t1000.txt" 1000 2
head -c 50000000 "$work/t500.txt" > "$work/t50.txt"
tail -c 100000000 "$work/t1000.txt" > "$work/enc100.txt"

measure() { # label, command... -> "seconds rss_kb"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > /dev/null 2> "$work/err.txt" || { cat "$work/err.txt" >&2; exit 1; }
  cat "$work/time.txt"
}

read -r s500 rss500 < <(measure "$lmwb" --catalog "$cat" corpus add t500 "$work/t500.txt")
read -r s1000 rss1000 < <(measure "$lmwb" --catalog "$cat" corpus add t1000 "$work/t1000.txt")
read -r sbase rssbase < <(measure "$lmwb" --catalog "$cat" corpus list)
"$lmwb" --catalog "$cat" corpus add t50 "$work/t50.txt" > /dev/null 2>&1
read -r strain _ < <(measure "$lmwb" --catalog "$cat" tokenizer train t50-bpe --corpus t50 --kind bpe --vocab-size 4000)
json=$("$lmwb" --catalog "$cat" --json tokenizer encode t50-bpe "$work/enc100.txt" --output "$work/ours.ids")
model=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["file"])' "$json")
read -r sours _ < <(measure "$lmwb" --catalog "$cat" tokenizer encode t50-bpe "$work/enc100.txt" --output "$work/ours.ids")
read -r sspm _ < <(measure sh -c "spm_encode --model='$model' --output_format=id < '$work/enc100.txt' > '$work/spm.ids'")
same=no
cmp -s "$work/ours.ids" "$work/spm.ids" && same=yes

python3 - "$s500" "$rss500" "$s1000" "$rss1000" "$rssbase" "$strain" "$sours" "$sspm" "$same" <<'PY'
import sys
s500, rss500, s1000, rss1000, rssbase, strain, sours, sspm = map(float, sys.argv[1:9])
same = sys.argv[9]
print("| measurement | result | goal |")
print("|---|---|---|")
print(f"| import + char tokenization, 500 MB | {s500:.1f} s = **{500/s500:.0f} MB/s** (max RSS {rss500/1024:.0f} MB) | >= 50 MB/s |")
print(f"| import + char tokenization, 1 GB | {s1000:.1f} s = {1000/s1000:.0f} MB/s, **max RSS {rss1000/1024:.0f} MB** | < 500 MB |")
print(f"| RSS of `lmwb corpus list` (LibTorch loaded, no work) | {rssbase/1024:.0f} MB | |")
print(f"| BPE 4000 training on a 50 MB corpus, then its 3 token caches | {strain:.1f} s | |")
print(f"| BPE encoding of 100 MB: `lmwb tokenizer encode` / `spm_encode` | {sours:.1f} s / {sspm:.1f} s = **{sours/sspm:.2f}x**, ids identical: {same} | <= 1.5x |")
PY
