"""Where a training step's time goes: self time per operator (time in the op minus the ops it
called), per step, from LibTorch's profiler. Either profiles a spec itself or reads a trace that
`scorekit bench --spec JSON --trace FILE` wrote:

    .venv/bin/python bench/op_times.py --spec '{...}' [--steps 10] [--threads 1] [--top 25]
    .venv/bin/python bench/op_times.py TRACE.json --steps 10
"""
import argparse
import collections
import json
import os
import subprocess
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def plausible(events, steps):
    """The complete events, less any that lasts longer than a whole step: LibTorch's profiler now
    and then records one op (an as_strided_, a mul) hundreds of milliseconds long, which would be
    charged to that op as self time. Returns (events, how many were dropped)."""
    events = [e for e in events if e.get("ph") == "X"]
    if not events:
        return events, 0
    step = (max(e["ts"] + e["dur"] for e in events) - min(e["ts"] for e in events)) / steps
    kept = [e for e in events if e["dur"] <= step]
    return kept, len(events) - len(kept)


def self_times(events):
    """name -> (self µs, calls): events nest per thread, so a stack of open events finds each parent."""
    events = sorted((e for e in events if e.get("ph") == "X"), key=lambda e: (e["tid"], e["ts"], -e["dur"]))
    totals, calls, stack = collections.Counter(), collections.Counter(), []
    for e in events:
        while stack and (stack[-1]["tid"] != e["tid"] or stack[-1]["ts"] + stack[-1]["dur"] <= e["ts"]):
            stack.pop()
        if stack:
            totals[stack[-1]["name"]] -= e["dur"]
        totals[e["name"]] += e["dur"]
        calls[e["name"]] += 1
        stack.append(e)
    return totals, calls


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("trace", nargs="?", help="a trace from scorekit bench --trace (or give --spec)")
    p.add_argument("--spec", help="a training spec (JSON) to profile")
    p.add_argument("--scorekit", default=os.path.join(HERE, "..", "build", "scorekit"))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--steps", type=int, default=10, help="steps profiled, or that the trace covers")
    p.add_argument("--top", type=int, default=25)
    a = p.parse_args()
    if bool(a.trace) == bool(a.spec):
        p.error("give a trace file or --spec, not both")
    with tempfile.TemporaryDirectory() as tmp:
        trace = a.trace
        if a.spec:
            trace = os.path.join(tmp, "trace.json")
            subprocess.run([a.scorekit, "bench", "--threads", str(a.threads), "--spec", a.spec, "--steps", str(a.steps),
                            "--trace", trace], check=True, stdout=subprocess.DEVNULL)
        with open(trace) as f:
            data = json.load(f)
    events, dropped = plausible(data["traceEvents"] if isinstance(data, dict) else data, a.steps)
    totals, calls = self_times(events)
    whole = sum(totals.values())
    print(f"{whole / 1e3 / a.steps:.1f} ms a step in profiled ops (the profiler adds its own cost to each)")
    if dropped:
        print(f"({dropped} event(s) longer than a whole step left out: a profiler glitch, not an op)")
    print("| op | self ms/step | share | calls/step |\n|---|---|---|---|")
    for name, t in totals.most_common(a.top):
        print(f"| {name} | {t / 1e3 / a.steps:.2f} | {t / whole:.1%} | {calls[name] / a.steps:.0f} |")


if __name__ == "__main__":
    main()
