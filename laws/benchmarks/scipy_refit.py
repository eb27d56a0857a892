#!/usr/bin/env python3
"""The fitter's baseline: the Chinchilla form refitted with scipy's L-BFGS-B and analytic
gradients, from the same start grid as //laws:fit, on one thread (laws/benchmarks/compare_scipy.sh
runs both side by side).

    scipy_refit.py RUNS.csv [--max_iterations 1000]   # prints one JSON line

Objective, as //laws:fit's (App. A Eq. 16 with the Chinchilla form, Eq. 2): the sum over runs of
Huber_delta(LSE(a - alpha log N, b - beta log D, e) - log L), delta = 1e-3. Starts: the Cartesian
product of a, b in {0, 6.25, ..., 25}, e in {-1, -1/3, 1/3, 1}, alpha, beta in {0, 2/3, 4/3, 2}
(1,600 starts), alpha and beta clamped into our bounds [1e-4, 10], which L-BFGS-B keeps as box
bounds. Tolerances: ftol 1e-15 and gtol 1e-12 (scipy's are absolute here: the objective is ~1e-3),
so a start stops on the iteration limit or when no line search makes progress.
Not a second fitter for the project: a reference to time and check ours against.
"""
import argparse
import csv
import itertools
import json
import math
import time

import numpy as np
from scipy.optimize import minimize

DELTA = 1e-3


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["params"]) for r in rows])
    d = np.array([float(r["tokens"]) for r in rows])
    loss = np.array([float(r["val_loss"]) for r in rows])
    return np.log(n), np.log(d), np.log(loss)


def objective_and_gradient(x, log_n, log_d, log_l):
    a, b, e, alpha, beta = x
    t1 = a - alpha * log_n
    t2 = b - beta * log_d
    m = np.maximum(np.maximum(t1, t2), e)
    w1, w2, w3 = np.exp(t1 - m), np.exp(t2 - m), np.exp(e - m)
    s = w1 + w2 + w3
    r = m + np.log(s) - log_l
    absr = np.abs(r)
    inside = absr < DELTA
    f = np.where(inside, 0.5 * r * r, DELTA * (absr - 0.5 * DELTA)).sum()
    dr = np.where(inside, r, DELTA * np.sign(r))  # d Huber / d r
    p1, p2, p3 = w1 / s, w2 / s, w3 / s            # d LSE / d t_i
    grad = np.array([
        (dr * p1).sum(),
        (dr * p2).sum(),
        (dr * p3).sum(),
        -(dr * p1 * log_n).sum(),
        -(dr * p2 * log_d).sum(),
    ])
    return f, grad


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("runs")
    p.add_argument("--max_iterations", type=int, default=1000)
    a = p.parse_args()
    log_n, log_d, log_l = load(a.runs)
    grid = {
        "a": np.linspace(0, 25, 5), "b": np.linspace(0, 25, 5),
        "e": np.linspace(-1, 1, 4), "alpha": np.linspace(0, 2, 4), "beta": np.linspace(0, 2, 4),
    }
    bounds = [(None, None), (None, None), (None, None), (1e-4, 10.0), (1e-4, 10.0)]
    starts = [np.array(x, dtype=float) for x in itertools.product(*grid.values())]
    for x in starts:
        x[3] = min(max(x[3], 1e-4), 10.0)
        x[4] = min(max(x[4], 1e-4), 10.0)
    best = None
    status = {"converged": 0, "iteration_limit": 0, "abnormal": 0, "nonfinite": 0}
    ends = []
    t0 = time.perf_counter()
    for x0 in starts:
        res = minimize(objective_and_gradient, x0, args=(log_n, log_d, log_l), jac=True,
                       method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": a.max_iterations, "ftol": 1e-15, "gtol": 1e-12})
        if not math.isfinite(res.fun):
            status["nonfinite"] += 1
            continue
        if res.status == 0:
            status["converged"] += 1
        elif res.status == 1:
            status["iteration_limit"] += 1
        else:
            status["abnormal"] += 1  # e.g. ABNORMAL_TERMINATION_IN_LNSRCH
        ends.append(tuple(np.round(res.x, 3)))
        if best is None or res.fun < best.fun:
            best = res
    seconds = time.perf_counter() - t0
    print(json.dumps({
        "program": "scipy L-BFGS-B (analytic gradient)",
        "scipy": __import__("scipy").__version__,
        "starts": len(starts),
        "seconds": seconds,
        "ms_per_start": seconds * 1e3 / len(starts),
        "objective": float(best.fun),
        "coefficients": dict(zip(["a", "b", "e", "alpha", "beta"], map(float, best.x))),
        "status": status,
        "distinct_end_points_at_1e-3": len(set(ends)),
    }))


if __name__ == "__main__":
    main()
