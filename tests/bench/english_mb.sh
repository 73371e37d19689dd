# Sourced by the benchmarks: about 1 MB of English text (the first megabyte
# of Debian's fortunes) as $work/english.txt, imported as corpus "english"
# into the catalog $work/bench.sqlite; sets $work (removed on exit), $cat
# (the --catalog option) and $lmwb. Needs $build.
lmwb="$build/app/lmwb"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat="--catalog $work/bench.sqlite"
files=$(ls /usr/share/games/fortunes/*.u8 2>/dev/null || ls /usr/share/games/fortunes/* | grep -v '\.dat$')
cat $files > "$work/all.txt"
head -c 1000000 "$work/all.txt" > "$work/english.txt"
$lmwb $cat corpus add english "$work/english.txt" >/dev/null 2>&1
