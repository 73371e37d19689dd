#!/usr/bin/env python3
"""Crash soak (issue 15): SIGKILL `lmwb` at random moments and check what is left.

Each trial runs the pipeline a new user runs -- `corpus add`, `tokenizer
train`, `train` -- on a fresh catalog, and kills it (SIGKILL, as a power cut
would) at a random moment spread over the whole pipeline: import, tokenizer
training, training, checkpoint writes and metric flushes. Then it checks:

  1. `lmwb check` finds the catalog intact: SQLite's integrity, every artifact
     present and matching its SHA-256 (no half-written file is named by a row);
  2. a run that exists is `interrupted` (never `running`);
  3. the pipeline finishes from where it was (the import or tokenizer again
     when they had not committed; `lmwb resume` for the run) and the run's
     final training and validation losses equal those of an uninterrupted run
     of the same seed.

usage: tests/soak/kill_soak.py BUILD_DIR [TRIALS=50] [--seed S] [--markdown]
Prints the tally (a Markdown table with --markdown) for docs/benchmarks.md.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "data", "small.txt")
TRAIN = ["--arch", "nano-gpt", "--steps", "60", "--checkpoint-every", "10", "--eval-every", "20",
         "--sample-tokens", "0", "--threads", "1", "--seed", "5", "--tokenizer", "soak-bpe"]


def lmwb(binary, catalog, *args, check=True):
    p = subprocess.run([binary, "--catalog", catalog, *args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"lmwb {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return p


def pipeline(binary, catalog):
    """The commands of one trial, in order."""
    return [["corpus", "add", "soak", CORPUS],
            ["tokenizer", "train", "soak-bpe", "--corpus", "soak", "--kind", "bpe", "--vocab-size", "400"],
            ["--json", "train", "--corpus", "soak", *TRAIN]]


def reference(binary, workdir):
    catalog = os.path.join(workdir, "reference.sqlite")
    t0 = time.time()
    durations = []
    out = None
    for cmd in pipeline(binary, catalog):
        t = time.time()
        out = lmwb(binary, catalog, *cmd).stdout
        durations.append(time.time() - t)
    j = json.loads(out)
    return j["train_loss"], j["val_loss"], durations, time.time() - t0


def trial(binary, workdir, index, rng, durations):
    catalog = os.path.join(workdir, f"trial{index}.sqlite")
    total = sum(durations)
    kill_at = rng.uniform(0.05, total)
    stage = "?"
    # Run the pipeline until the moment comes, then SIGKILL the command running.
    elapsed = 0.0
    killed = False
    for name, cmd, d in zip(["import", "tokenizer", "training"], pipeline(binary, catalog), durations):
        if elapsed + d * 1.5 < kill_at and not killed:
            # Not this stage: run it whole (its own time varies; 1.5x margin).
            lmwb(binary, catalog, *cmd)
            elapsed += d
            continue
        p = subprocess.Popen([binary, "--catalog", catalog, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            p.wait(timeout=max(0.0, kill_at - elapsed))
            elapsed += d
            if p.returncode != 0:
                raise RuntimeError(f"{name} failed before the kill: {p.stderr.read()}")
        except subprocess.TimeoutExpired:
            p.send_signal(signal.SIGKILL)
            p.wait()
            stage = name
            killed = True
            break
    if not killed:
        stage = "after the end"
    problems = []
    # 1. integrity and artifacts
    c = lmwb(binary, catalog, "--json", "check", check=False) if os.path.exists(catalog) else None
    if c is not None:
        rep = json.loads(c.stdout)
        if not rep["ok"]:
            problems.append(f"check: {rep['database']} {rep['damaged']}")
    # 2. statuses
    runs = json.loads(lmwb(binary, catalog, "--json", "runs", "list").stdout) if os.path.exists(catalog) else []
    for r in runs:
        if r["status"] not in ("interrupted", "finished"):
            problems.append(f"run {r['run']} is {r['status']}")
    # 3. finish the pipeline
    corpora = json.loads(lmwb(binary, catalog, "--json", "corpus", "list").stdout) if os.path.exists(catalog) else []
    if not any(x.get("name") == "soak" for x in corpora):
        lmwb(binary, catalog, "corpus", "add", "soak", CORPUS)
    toks = lmwb(binary, catalog, "--json", "tokenizer", "list").stdout
    if "soak-bpe" not in toks:
        lmwb(binary, catalog, "tokenizer", "train", "soak-bpe", "--corpus", "soak", "--kind", "bpe", "--vocab-size", "400")
    if runs:
        out = lmwb(binary, catalog, "--json", "resume", str(runs[0]["run"])).stdout if runs[0]["status"] != "finished" else None
        if out is None:
            # Killed after the run had finished (while the process was
            # exiting): its final losses are the last points of its series.
            show = json.loads(lmwb(binary, catalog, "--json", "runs", "show", str(runs[0]["run"])).stdout)
            last = {name: (series[-1]["value"] if series else None) for name, series in show["metrics"].items()}
            final = (last.get("train_loss"), last.get("val_loss"))
        else:
            j = json.loads(out)
            final = (j["train_loss"], j["val_loss"])
    else:
        j = json.loads(lmwb(binary, catalog, "--json", "train", "--corpus", "soak", *TRAIN).stdout)
        final = (j["train_loss"], j["val_loss"])
    return stage, kill_at, problems, final


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    binary = os.path.join(args[0], "app", "lmwb")
    trials = int(args[1]) if len(args) > 1 else 50
    seed = 1
    if "--seed" in sys.argv:
        seed = int(sys.argv[sys.argv.index("--seed") + 1])
    rng = random.Random(seed)
    workdir = tempfile.mkdtemp(prefix="lmwb-soak-")
    try:
        ref_train, ref_val, durations, wall = reference(binary, workdir)
        print(f"reference: train loss {ref_train}, val loss {ref_val}; stages {[round(d, 1) for d in durations]} s",
              file=sys.stderr)
        tally = {}
        failures = []
        for i in range(trials):
            stage, at, problems, final = trial(binary, workdir, i, rng, durations)
            same = final[0] is not None and abs(final[0] - ref_train) < 1e-6 and abs(final[1] - ref_val) < 1e-6
            if not same:
                problems.append(f"final losses {final} differ from the reference ({ref_train}, {ref_val})")
            ok = not problems
            t = tally.setdefault(stage, [0, 0])
            t[0] += 1
            t[1] += ok
            print(f"trial {i + 1}: killed in {stage} at {at:.1f} s: {'ok' if ok else '; '.join(problems)}", file=sys.stderr)
            if not ok:
                failures.append((i + 1, stage, problems))
        passed = sum(v[1] for v in tally.values())
        if "--markdown" in sys.argv:
            print("| killed during | trials | intact, interrupted, resumed to the reference losses |")
            print("|---|---|---|")
            for stage in ("import", "tokenizer", "training", "after the end"):
                if stage in tally:
                    print(f"| {stage} | {tally[stage][0]} | {tally[stage][1]} |")
            print(f"| **all** | **{trials}** | **{passed}** |")
        else:
            print(json.dumps({"trials": trials, "passed": passed, "tally": tally, "failures": failures}))
        return 0 if passed == trials else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
