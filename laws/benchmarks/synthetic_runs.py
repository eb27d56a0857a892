#!/usr/bin/env python3
"""Writes a synthetic runs table from a known law, for testing fitters on a problem whose answer
is known (laws/benchmarks/compare_scipy.sh).

    synthetic_runs.py OUT.csv [--runs 240] [--noise 0.01] [--seed 1]

Chinchilla-like by default (the shape of the public 240-run table of Hoffmann et al. 2022 as
replicated by Besiroglu et al. 2024): N log-uniform in [7e7, 1.6e10] parameters, D log-uniform in
[5e9, 5e11] tokens, no repetition (U = D), and L = E + A / N^alpha + B / D^beta with the
Chinchilla coefficients E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28 (their Eq. 10),
times exp(noise * z) with z standard normal (1% log noise by default). Writes the columns
//laws:fit reads (key, params, tokens, unique_tokens, val_loss) and prints the true
coefficients in our parameterisation (a = log A, b = log B, e = log E). Not a model of any real
training: the noise is independent per run.
"""
import argparse
import math

import numpy as np

TRUTH = {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--runs", type=int, default=240)
    p.add_argument("--noise", type=float, default=0.01, help="std of log-loss noise")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--E", type=float, default=TRUTH["E"], help="irreducible loss (0: none)")
    p.add_argument("--n_range", type=float, nargs=2, default=[7e7, 1.6e10])
    p.add_argument("--d_range", type=float, nargs=2, default=[5e9, 5e11])
    a = p.parse_args()
    if a.runs < 1 or not (a.noise >= 0):
        p.error("--runs must be >= 1 and --noise >= 0")
    rng = np.random.default_rng(a.seed)
    n = np.exp(rng.uniform(math.log(a.n_range[0]), math.log(a.n_range[1]), a.runs))
    d = np.exp(rng.uniform(math.log(a.d_range[0]), math.log(a.d_range[1]), a.runs))
    t = dict(TRUTH, E=a.E)
    loss = (t["E"] + t["A"] / n ** t["alpha"] + t["B"] / d ** t["beta"]) * np.exp(
        a.noise * rng.standard_normal(a.runs))
    with open(a.out, "w") as f:
        f.write("key,params,tokens,unique_tokens,val_loss\n")
        for i in range(a.runs):
            f.write(f"syn{i:04d},{n[i]:.6g},{d[i]:.6g},{d[i]:.6g},{loss[i]:.8f}\n")
    e = f"{math.log(t['E']):.6f}" if t["E"] > 0 else "-inf"
    print(f"truth: a={math.log(t['A']):.6f} b={math.log(t['B']):.6f} e={e} "
          f"alpha={t['alpha']} beta={t['beta']} ({a.runs} runs, noise {a.noise}, seed {a.seed})")


if __name__ == "__main__":
    main()
