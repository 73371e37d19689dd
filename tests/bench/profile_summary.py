#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Per-op table of a Chrome trace written by LibTorch's profiler
(LMWB_PROFILE_TRACE=FILE with lmwb generate, lmwb bench infer or lmwb bench
train): calls, total and self milliseconds per op name, largest self time
first, as Markdown.

  python3 tests/bench/profile_summary.py TRACE.json [TOP]
"""
import json
import sys
from collections import defaultdict


def main():
    trace = json.load(open(sys.argv[1]))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    spans = defaultdict(list)  # per thread: (start, end, name)
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            spans[e.get("tid", 0)].append((float(e["ts"]), float(e["ts"]) + float(e["dur"]), e["name"]))
    calls, total, self_ = defaultdict(int), defaultdict(float), defaultdict(float)
    for evs in spans.values():
        evs.sort(key=lambda s: (s[0], -s[1]))
        stack = []  # open spans: [end, name, child time]
        def close(upto):
            while stack and stack[-1][0] <= upto:
                end, name, child, start = stack.pop()
                self_[name] += (end - start) - child
                if stack:
                    stack[-1][2] += end - start
        for start, end, name in evs:
            close(start)
            calls[name] += 1
            total[name] += end - start
            stack.append([end, name, 0.0, start])
        close(float("inf"))
    all_self = sum(self_.values())
    print("| op | calls | self ms | self % | total ms |")
    print("|---|---|---|---|---|")
    for name in sorted(self_, key=self_.get, reverse=True)[:top]:
        print(f"| {name} | {calls[name]} | {self_[name] / 1000:.2f} | {100 * self_[name] / all_self:.1f} | {total[name] / 1000:.2f} |")
    print(f"\n{sum(calls.values())} op calls, {all_self / 1000:.1f} ms of op time")


if __name__ == "__main__":
    main()
