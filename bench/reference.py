"""The benchmark's reference side: the same steps as bench/steps.ts, done with pandas,
scikit-learn and numpy on the same generated CSV files.

    /usr/bin/python3 bench/reference.py --versions
        -> {"python": ..., "numpy": ..., "pandas": ..., "sklearn": ...}
    /usr/bin/python3 bench/reference.py --step NAME --data-1m PATH --data-10m PATH [--no-warm]
        -> one JSON line: seconds, cpu_seconds, warm_seconds, warm_cpu_seconds, setup_seconds,
           warm_runs, peak_rss_mb, rss_baseline_mb, figures

bench/run.ts runs every step in a process of its own, as it does Evalbook's, so the peak RSS
(getrusage's ru_maxrss, read after the first run) is that step's alone. The method is the
same: untimed setup (imports, loading the table a metric step needs), garbage collection, the
timed part; `cpu_seconds` is user + system time of the timed part. Then, unless --no-warm,
the timed part again in the same process (`warm_seconds`, the fastest of `warm_runs`).
Figures that only serve to check the numbers against Evalbook's (sums over curves) are
computed after the clock stops.

The code is what a careful user of these libraries would write: library calls for the
metrics and curves; for the bootstrap, plain numpy with one index draw per resample and the
counts of (truth, base, fine-tuned) triples from np.bincount (it assumes 0/1 labels, which
the bench data has; Evalbook's step encodes labels in general).
"""

import argparse
import gc
import json
import platform
import resource
import sys
import time

import numpy as np
import pandas as pd

MB = 1024 * 1024
BOOTSTRAP_ROWS = 100_000
BOOTSTRAP_RESAMPLES = 1000
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95


def rss_now_mb() -> float:
    with open("/proc/self/statm") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * resource.getpagesize() / MB


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# Loading -------------------------------------------------------------------------------------


def load_step(path_key):
    def setup(paths):
        return paths[path_key]

    def run(path):
        return pd.read_csv(path)

    def figures(frame):
        return {
            "rows": len(frame),
            "columns": len(frame.columns),
            "ft_score_row_1": float(frame["ft_score"].iloc[0]),
            "ft_score_sum": float(frame["ft_score"].sum()),
        }

    return setup, run, figures


# Classification metrics ----------------------------------------------------------------------


def metrics_and_table(paths):
    """scikit-learn's metrics module (imported untimed, as Evalbook's modules are) and the table."""
    import sklearn.metrics

    return sklearn.metrics, pd.read_csv(paths["10m"])


def classification_run(prepared):
    metrics, frame = prepared
    truth = frame["label"].to_numpy()
    results = {}
    for model in ("base", "ft"):
        pred = frame[f"{model}_pred"].to_numpy()
        results[model] = {
            "accuracy": metrics.accuracy_score(truth, pred),
            "precision": metrics.precision_score(truth, pred),
            "recall": metrics.recall_score(truth, pred),
            "f1": metrics.f1_score(truth, pred),
            "confusion": metrics.confusion_matrix(truth, pred),
        }
    return results


def classification_figures(results):
    out = {"rows": int(results["base"]["confusion"].sum())}
    for model, metrics in results.items():
        (tn, fp), (fn, tp) = metrics["confusion"]
        out.update(
            {
                f"{model}_accuracy": float(metrics["accuracy"]),
                f"{model}_precision": float(metrics["precision"]),
                f"{model}_recall": float(metrics["recall"]),
                f"{model}_f1": float(metrics["f1"]),
                f"{model}_tp": int(tp),
                f"{model}_fp": int(fp),
                f"{model}_fn": int(fn),
                f"{model}_tn": int(tn),
            }
        )
    return out


# Curves --------------------------------------------------------------------------------------


def curves_run(prepared):
    metrics, frame = prepared
    truth = frame["label"].to_numpy()
    score = frame["ft_score"].to_numpy()
    return {
        "rows": len(truth),
        "roc": metrics.roc_curve(truth, score),
        "pr": metrics.precision_recall_curve(truth, score),
        "roc_auc": metrics.roc_auc_score(truth, score),
        "average_precision": metrics.average_precision_score(truth, score),
    }


def curves_figures(result):
    fpr, tpr, _ = result["roc"]
    precision, recall, _ = result["pr"]
    return {
        "rows": result["rows"],
        "ft_roc_auc": float(result["roc_auc"]),
        "ft_average_precision": float(result["average_precision"]),
        "ft_roc_points": len(fpr),
        "ft_pr_points": len(precision),
        "ft_roc_fpr_sum": float(fpr.sum()),
        "ft_roc_tpr_sum": float(tpr.sum()),
        "ft_pr_precision_sum": float(precision.sum()),
        "ft_pr_recall_sum": float(recall.sum()),
    }


# Paired bootstrap ----------------------------------------------------------------------------


def bootstrap_setup(paths):
    # Loaded whole and cut, as Evalbook's step does, so both hold the same table in memory.
    return pd.read_csv(paths["1m"]).head(BOOTSTRAP_ROWS).copy()


def f1_pair(counts):
    """F1 of base and of fine-tuned from the counts of triples t·4 + b·2 + f."""

    def f1(tp, fp, fn):
        denominator = 2 * tp + fp + fn
        return 2 * tp / denominator if denominator else 0.0

    c = counts
    base = f1(c[6] + c[7], c[2] + c[3], c[4] + c[5])
    ft = f1(c[5] + c[7], c[1] + c[3], c[4] + c[6])
    return base, ft


def bootstrap_run(frame):
    truth = frame["label"].to_numpy()
    base = frame["base_pred"].to_numpy()
    ft = frame["ft_pred"].to_numpy()
    triple = (truth * 2 + base) * 2 + ft
    n = len(triple)
    base_f1, ft_f1 = f1_pair(np.bincount(triple, minlength=8))
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    differences = np.empty(BOOTSTRAP_RESAMPLES)
    for r in range(BOOTSTRAP_RESAMPLES):
        rows = rng.integers(0, n, size=n)
        resampled_base, resampled_ft = f1_pair(np.bincount(triple[rows], minlength=8))
        differences[r] = resampled_ft - resampled_base
    alpha = (1 - CONFIDENCE) / 2
    lower, upper = np.percentile(differences, [100 * alpha, 100 * (1 - alpha)])
    return {
        "rows": n,
        "resamples": BOOTSTRAP_RESAMPLES,
        "base_f1": base_f1,
        "ft_f1": ft_f1,
        "lower": lower,
        "upper": upper,
    }


def bootstrap_figures(result):
    return {
        "rows": result["rows"],
        "resamples": result["resamples"],
        "base_f1": float(result["base_f1"]),
        "ft_f1": float(result["ft_f1"]),
        "f1_difference": float(result["ft_f1"] - result["base_f1"]),
        "lower": float(result["lower"]),
        "upper": float(result["upper"]),
    }


STEPS = {
    "load-1m-csv": load_step("1m"),
    "load-10m-csv": load_step("10m"),
    "classification-10m": (metrics_and_table, classification_run, classification_figures),
    "curves-10m": (metrics_and_table, curves_run, curves_figures),
    "bootstrap-100k": (bootstrap_setup, bootstrap_run, bootstrap_figures),
}


def rounded(value, digits):
    return None if value is None else round(value, digits)


def timed(work):
    """(result, wall seconds, CPU seconds) of one call."""
    cpu_start = cpu_seconds()
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start, cpu_seconds() - cpu_start


# After the first run the step runs again in the same process, as in bench/run.ts: until this
# many seconds of such runs have passed or this many are done (at least one).
WARM_RUNS_MAX = 5
WARM_BUDGET_SECONDS = 1.0


def run_step(name, paths, warm):
    setup, run, figures = STEPS[name]
    baseline = rss_now_mb()
    setup_start = time.perf_counter()
    prepared = setup(paths)
    setup_seconds = time.perf_counter() - setup_start
    gc.collect()
    output, seconds, cpu = timed(lambda: run(prepared))
    peak = peak_rss_mb()
    step_figures = figures(output)
    del output  # not kept alive into the warm runs
    warm_runs = []
    warm_total = 0.0
    while warm and len(warm_runs) < WARM_RUNS_MAX and warm_total < WARM_BUDGET_SECONDS:
        gc.collect()
        _, warm_seconds, warm_cpu = timed(lambda: run(prepared))
        warm_runs.append((warm_seconds, warm_cpu))
        warm_total += warm_seconds
    fastest_warm = min(warm_runs) if warm_runs else (None, None)
    return {
        "seconds": round(seconds, 4),
        "cpu_seconds": round(cpu, 4),
        "warm_seconds": rounded(fastest_warm[0], 4),
        "warm_cpu_seconds": rounded(fastest_warm[1], 4),
        "warm_runs": len(warm_runs),
        "setup_seconds": round(setup_seconds, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_baseline_mb": round(baseline, 1),
        "figures": step_figures,
    }


def versions():
    import sklearn

    return {
        "python": platform.python_version(),
        "executable": sys.executable,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "sklearn": sklearn.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", action="store_true")
    parser.add_argument("--step", choices=sorted(STEPS))
    parser.add_argument("--data-1m")
    parser.add_argument("--data-10m")
    parser.add_argument("--no-warm", action="store_true", help="skip the second, warm run")
    args = parser.parse_args()
    if args.versions:
        print(json.dumps(versions()))
        return
    if args.step is None:
        parser.error("give --step NAME or --versions")
    paths = {"1m": args.data_1m, "10m": args.data_10m}
    print(json.dumps(run_step(args.step, paths, warm=not args.no_warm)))


if __name__ == "__main__":
    main()
