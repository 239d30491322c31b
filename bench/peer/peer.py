"""scorekit against the plain PyTorch a user would write instead (replica.py), side by side.

Every workload runs as a fresh process per side and round, the sides alternating (A B, B A, ...), at
the same intra-op thread count and on the same torch; each round runs every workload once. The figure
per side is the median over the rounds and the ratio is Python's time over scorekit's (> 1: scorekit
is faster). Run through bench/peer.sh; `--child` is how this script runs the Python side of one
workload.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
UNET = {"name": "unet", "channels": 16, "channel_mult": [1, 2, 2], "num_res_blocks": 1, "attention_resolutions": [7]}
FMNIST = {"name": "fashion-mnist", "limit": 8192}


def workloads(quick):
    """name -> (training spec, sampler or None, timed steps, Python workload arguments)."""
    s = 0.2 if quick else 1.0
    table = {}
    for batch in (256, 1024, 4096):
        spec = {"data": "swissroll", "sde": "vp", "model": "mlp", "objective": "dsm", "train": {"batch": batch}}
        table[f"mlp_dsm_{batch}"] = (spec, None, max(10, int(s * 200 * 256 / batch)), {"model": "mlp", "loss": "dsm", "batch": batch})
    mlp = {"data": "swissroll", "sde": "vp", "model": "mlp", "objective": "dsm"}
    table["sample_em_mlp"] = (mlp, {"name": "em", "steps": 100}, 10000 if not quick else 2000, {"model": "mlp", "sample": 100})
    for objective in ("dsm", "lcss"):
        spec = {"data": FMNIST, "sde": "vp", "model": UNET, "objective": objective, "train": {"batch": 32}}
        table[f"unet_{objective}_32"] = (spec, None, max(3, int(s * 20)), {"model": "unet", "loss": objective, "batch": 32})
    # The same U-Net four times wider: how the rate against SGEMM grows with the convolutions' width.
    wide = dict(UNET, channels=64)
    spec = {"data": FMNIST, "sde": "vp", "model": wide, "objective": "dsm", "train": {"batch": 32}}
    table["unet64_dsm_32"] = (spec, None, max(2, int(s * 5)), {"model": "unet", "channels": 64, "loss": "dsm", "batch": 32})
    stf = {"name": "stf", "reference": 4096, "minibatch": 32}
    spec = {"data": FMNIST, "sde": "vp", "model": UNET, "objective": stf, "train": {"batch": 4096}}
    table["unet_stf4096_32"] = (spec, None, max(3, int(s * 20)), None)
    return table


def run_json(cmd, env):
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode != 0:
        raise SystemExit(f"peer: {' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def cpp_side(scorekit, spec, sampler, steps, threads, env):
    cmd = [scorekit, "bench", "--threads", str(threads), "--spec", json.dumps(spec)]
    if sampler:
        cmd += ["--sample", json.dumps(sampler), "--n", str(steps)]
    else:
        cmd += ["--steps", str(steps)]
    r = run_json(cmd, env)
    return r["seconds"] if sampler else r["seconds_per_step"], r


def python_side(args, steps, threads, env, compiled=False):
    cmd = [sys.executable, os.path.abspath(__file__), "--child", json.dumps(args), "--steps", str(steps),
           "--threads", str(threads)] + (["--compile"] if compiled else [])
    r = run_json(cmd, env)
    return r["seconds"], r


def child(args, steps, threads, compiled):
    """The Python side of one workload: build, warm up, time; prints one JSON line."""
    import torch
    sys.path.insert(0, HERE)
    import replica

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    sde = replica.VpSde()
    if args["model"] == "mlp":
        model, data = replica.Mlp(sde), replica.swissroll
    else:
        images = replica.fashion_mnist()[:8192]
        model = replica.Unet(sde, channels=args.get("channels", 16))
        data = lambda n: images[torch.randint(images.shape[0], (n,))]
    params = sum(p.numel() for p in model.parameters())
    net = torch.compile(model) if compiled else model
    out = {"parameters": params, "threads": torch.get_num_threads()}
    if "sample" in args:
        replica.euler_maruyama(net, sde, 100, 2, args["sample"])  # warm-up (and compilation)
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t0 = time.perf_counter()
        replica.euler_maruyama(net, sde, steps, 2, args["sample"])
        out["seconds"] = time.perf_counter() - t0
        out["minor_faults_per_step"] = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / args["sample"]
    else:
        loss = replica.dsm_loss if args["loss"] == "dsm" else replica.lcss_loss
        trainer = replica.Trainer(model, sde, data, args["batch"], lambda m, s, x: loss(net, s, x))
        for _ in range(5 if args["model"] == "mlp" else 1):
            trainer.step()
        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        t0 = time.perf_counter()
        for _ in range(steps):
            trainer.step()
        out["seconds"] = (time.perf_counter() - t0) / steps
        out["minor_faults_per_step"] = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / steps
        if args["model"] == "unet" and args["loss"] == "dsm" and not compiled:
            out["flops_per_step"] = count_flops(trainer)
    print(json.dumps(out))


def count_flops(trainer):
    """Floating-point operations of one training step's forward and backward passes (PyTorch's counter)."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter:
        loss = trainer.loss(trainer.model, trainer.sde, trainer.data(trainer.batch))
        loss.backward()
    return counter.get_total_flops()


def sgemm(threads, size=1024, reps=20):
    import torch

    torch.set_num_threads(threads)
    x, y = torch.randn(size, size), torch.randn(size, size)
    out = torch.mm(x, y)
    t0 = time.perf_counter()
    for _ in range(reps):
        torch.mm(x, y, out=out)
    return 2.0 * size**3 * reps / (time.perf_counter() - t0) / 1e9


# scorekit with one of its speed-ups switched off (column title, environment): the before/after of
# that change, measured in the same run (`--ablate NAME,...`).
ABLATIONS = {
    "system_malloc": ("glibc default malloc", {"SCOREKIT_KEEP_FREED_MEMORY": "0"}),
    "aten_kernels": ("ATen GroupNorm+SiLU", {"SCOREKIT_CPU_KERNEL": "aten"}),
    "unfused_adam": ("per-tensor Adam", {"SCOREKIT_FUSED_ADAM": "0"}),
    "contiguous": ("contiguous U-Net activations", {"SCOREKIT_CHANNELS_LAST": "0"}),
    "aten_conv": ("ATen's convolutions", {"SCOREKIT_ONEDNN_CONV": "0"}),
}


def chosen_ablations(a):
    names = [n for n in a.ablate.split(",") if n] + (["system_malloc"] if a.malloc_ablation else [])
    unknown = [n for n in names if n not in ABLATIONS]
    if unknown:
        raise SystemExit(f"peer: unknown ablation {unknown}; known: {', '.join(ABLATIONS)}")
    return list(dict.fromkeys(names))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--scorekit", default=os.path.join(HERE, "..", "..", "build", "scorekit"))
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--quick", action="store_true", help="fewer steps (a smoke run, not a measurement)")
    p.add_argument("--compile", action="store_true", help="also time the Python side under torch.compile")
    p.add_argument("--ablate", default="",
                   help="also time scorekit with these speed-ups off, comma-separated: " + ", ".join(
                       f"{k} ({' '.join(f'{e}={v}' for e, v in env.items())})" for k, (_, env) in ABLATIONS.items()))
    p.add_argument("--malloc-ablation", action="store_true", help="the same as --ablate system_malloc")
    p.add_argument("--only", default="", help="comma-separated workload names")
    p.add_argument("--out", default="", help="also write the results as JSON here")
    p.add_argument("--child", default="")
    p.add_argument("--steps", type=int, default=0)
    a = p.parse_args()
    if a.child:
        return child(json.loads(a.child), a.steps, a.threads, a.compile)

    env = dict(os.environ, OMP_WAIT_POLICY=os.environ.get("OMP_WAIT_POLICY", "PASSIVE"))
    env.pop("SCOREKIT_THREADS", None)
    table = workloads(a.quick)
    names = [n for n in table if not a.only or n in a.only.split(",")]
    # Rounds outside, workloads inside: every workload's median draws on the same minutes of a
    # machine whose speed drifts, so ratios between workloads (LCSS/DSM, STF/DSM) compare like with like.
    runs = {name: {"cpp": [], "py": [], "compiled": [], "info": {}, "gemm": [],
                   "ablated": {key: [] for key in chosen_ablations(a)}} for name in names}
    for r in range(a.rounds):
        for name in names:
            spec, sampler, steps, py = table[name]
            run = runs[name]
            sides = ["cpp", "py"] if r % 2 == 0 else ["py", "cpp"]
            for side in sides:
                if side == "cpp":
                    secs, run["info"]["cpp"] = cpp_side(a.scorekit, spec, sampler, steps, a.threads, env)
                    run["cpp"].append(secs)
                    if name in RATED:  # the machine's rate right after, for a fraction under the same load
                        run["gemm"].append(machine_sgemm(a.scorekit, a.threads, env))
                elif py is not None:
                    secs, run["info"]["py"] = python_side(py, steps, a.threads, env)
                    run["py"].append(secs)
            for key, times in run["ablated"].items():
                times.append(cpp_side(a.scorekit, spec, sampler, steps, a.threads, dict(env, **ABLATIONS[key][1]))[0])
            if a.compile and py is not None:
                run["compiled"].append(python_side(py, steps, a.threads, env, compiled=True)[0])
        print(f"peer: round {r + 1} of {a.rounds} done", file=sys.stderr, flush=True)
    results = {name: summary(name, runs[name], table[name][2], a.rounds) for name in names}

    # The machine's rate: the best of a few runs per side (a momentary competitor only lowers it).
    cpp_gemm = max(machine_sgemm(a.scorekit, a.threads, env) for _ in range(3))
    results["sgemm_gflops"] = {"scorekit": cpp_gemm, "python": max(sgemm(a.threads) for _ in range(3))}
    results["goals"] = goals(results)
    print(report(results, a))
    if a.out:
        with open(a.out, "w") as f:
            json.dump(results, f, indent=1)


def summary(name, run, steps, rounds):
    """One workload's row: medians over the rounds, ratios, and its checks."""
    cpp, pyt, comp, info, gemm = run["cpp"], run["py"], run["compiled"], run["info"], run["gemm"]
    row = {"scorekit_s": statistics.median(cpp), "scorekit_round_s": cpp, "rounds": rounds, "steps": steps,
           "scorekit_faults_per_step": info["cpp"].get("minor_faults_per_step")}
    if pyt:
        row.update({"python_s": statistics.median(pyt), "speedup": statistics.median(pyt) / statistics.median(cpp),
                    "python_faults_per_step": info["py"].get("minor_faults_per_step")})
        if info["py"]["parameters"] != info["cpp"]["parameters"]:
            raise SystemExit(f"peer: {name}: the replica has {info['py']['parameters']} parameters, scorekit "
                             f"{info['cpp']['parameters']}: replica.py no longer mirrors the model")
        if "flops_per_step" in info["py"]:
            row["flops_per_step"] = info["py"]["flops_per_step"]
            fractions = [row["flops_per_step"] / s / 1e9 / g for s, g in zip(cpp, gemm)]
            row.update({"sgemm_gflops": gemm, "sgemm_fraction": statistics.median(fractions)})
    for key, times in run["ablated"].items():
        row.update({f"{key}_s": statistics.median(times), f"{key}_gain": statistics.median(times) / statistics.median(cpp)})
    if comp:
        row.update({"compiled_s": statistics.median(comp), "speedup_vs_compiled": statistics.median(comp) / statistics.median(cpp)})
    print(f"peer: {name}: " + json.dumps(row), file=sys.stderr, flush=True)
    return row


# Workloads whose rate is compared with SGEMM's (the goal, and the wider U-Net beside it).
RATED = ("unet_dsm_32", "unet64_dsm_32")


def machine_sgemm(scorekit, threads, env):
    return run_json([scorekit, "bench", "--threads", str(threads), "--sgemm", "1024"], env)["gflops"]


def goals(r):
    """The issue's targets, each with its measured value (None where the workload was not run)."""
    def get(name, key):
        return r[name][key] if name in r and key in r[name] else None

    def ratio(a, b):
        """a's step time over b's, round by round (the median): each round ran both within the same
        minutes, while a ratio of the medians could set one workload's fast minute against the other's slow one."""
        if a not in r or b not in r:
            return None
        return statistics.median(x / y for x, y in zip(r[a]["scorekit_round_s"], r[b]["scorekit_round_s"]))

    def of_medians(a, b):
        return r[a]["scorekit_s"] / r[b]["scorekit_s"] if a in r and b in r else None

    unet_rate = None
    if get("unet_dsm_32", "flops_per_step"):
        unet_rate = get("unet_dsm_32", "flops_per_step") / get("unet_dsm_32", "scorekit_s") / 1e9
    mlp_all = [get(f"mlp_dsm_{b}", "speedup") for b in (256, 1024, 4096)]
    return [
        {"goal": "sampling >= 1.3x the Python loop", "value": get("sample_em_mlp", "speedup"), "target": 1.3, "above": True},
        {"goal": "MLP training >= 1.5x at batch 256", "value": get("mlp_dsm_256", "speedup"), "target": 1.5, "above": True},
        {"goal": "MLP training >= 1.0x at every batch", "value": min([v for v in mlp_all if v is not None], default=None),
         "target": 1.0, "above": True},
        {"goal": "U-Net DSM >= 1.2x", "value": get("unet_dsm_32", "speedup"), "target": 1.2, "above": True},
        {"goal": "LCSS/DSM step time <= 2.0", "value": ratio("unet_lcss_32", "unet_dsm_32"),
         "of_medians": of_medians("unet_lcss_32", "unet_dsm_32"), "target": 2.0, "above": False},
        {"goal": "STF n=4096 / DSM step time <= 1.2", "value": ratio("unet_stf4096_32", "unet_dsm_32"),
         "of_medians": of_medians("unet_stf4096_32", "unet_dsm_32"), "target": 1.2, "above": False},
        # Each round's step against the SGEMM rate measured right after it (the median of those
        # fractions): on a machine whose load drifts, a rate from another minute would skew it.
        {"goal": "U-Net step >= 50% of SGEMM rate", "value": get("unet_dsm_32", "sgemm_fraction"), "target": 0.5,
         "above": True, "unet_gflops": unet_rate},
    ]


def report(r, a):
    lines = [f"# scorekit vs plain PyTorch ({a.threads} thread(s), median of {a.rounds} alternating rounds)", "",
             "| workload | scorekit s | Python s | speed-up | faults/step C++ / Py |" + (" compiled s | vs compiled |" if a.compile else ""),
             "|---|---|---|---|---|" + ("---|---|" if a.compile else "")]
    for key in chosen_ablations(a):
        lines[2] += f" scorekit s, {ABLATIONS[key][0]} | gain |"
        lines[3] += "---|---|"
    for name, row in r.items():
        if name in ("sgemm_gflops", "goals"):
            continue
        fmt = lambda v, f="{:.4g}": f.format(v) if v is not None else "–"
        line = (f"| {name} | {fmt(row['scorekit_s'])} | {fmt(row.get('python_s'))} | {fmt(row.get('speedup'), '{:.2f}')} | "
                f"{fmt(row.get('scorekit_faults_per_step'), '{:.0f}')} / {fmt(row.get('python_faults_per_step'), '{:.0f}')} |")
        if a.compile:
            line += f" {fmt(row.get('compiled_s'))} | {fmt(row.get('speedup_vs_compiled'), '{:.2f}')} |"
        for key in chosen_ablations(a):
            line += f" {fmt(row.get(key + '_s'))} | {fmt(row.get(key + '_gain'), '{:.2f}')} |"
        lines.append(line)
    g = r["sgemm_gflops"]
    lines += ["", f"SGEMM 1024²: scorekit {g['scorekit']:.1f} GFLOP/s, Python {g['python']:.1f} GFLOP/s"]
    for name in RATED:
        row = r.get(name, {})
        if "flops_per_step" in row:
            rate = row["flops_per_step"] / row["scorekit_s"] / 1e9
            lines.append(f"{name}: {row['flops_per_step'] / 1e9:.2f} GFLOP a step (forward + backward, PyTorch's "
                         f"counter), scorekit {rate:.1f} GFLOP/s = {rate / g['scorekit']:.0%} of the best SGEMM; "
                         f"{row['sgemm_fraction']:.0%} of the SGEMM measured right after each round (median; "
                         f"SGEMM then {min(row['sgemm_gflops']):.0f}–{max(row['sgemm_gflops']):.0f} GFLOP/s)")
    lines += ["",
              "| goal | measured | met |", "|---|---|---|"]
    for goal in r["goals"]:
        v = goal["value"]
        met = "–" if v is None else ("yes" if (v >= goal["target"] if goal["above"] else v <= goal["target"]) else "no")
        extra = f" ({goal['unet_gflops']:.1f} GFLOP/s)" if goal.get("unet_gflops") else ""
        if goal.get("of_medians"):
            extra = f" (median of the rounds' ratios; ratio of the medians {goal['of_medians']:.2f})"
        lines.append(f"| {goal['goal']} | {'–' if v is None else f'{v:.2f}'}{extra} | {met} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
