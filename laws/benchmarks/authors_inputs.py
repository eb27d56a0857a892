#!/usr/bin/python3
"""Writes runs.csv with each run's (N, D) replaced by the effective (N', D') that the authors'
5-coefficient fit feeds its optimiser: U_N, R_N, R_D computed ONCE in float64 from the App. B
coefficients and the paper's R_D*, R_N* (datablations parametric_fit.ipynb cells 25-28), so that
fitting the Chinchilla form to (N', D') minimises exactly the authors' coef5 objective.

Usage: authors_inputs.py RUNS_CSV OUT_CSV
"""
import csv
import math
import sys

a, b, e, alpha, beta = 6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596
rd_star, rn_star = 15.387756, 5.309743
A, B = math.exp(a), math.exp(b)
G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta))


def optimal_n(c):
    return G * (c / 6) ** (beta / (alpha + beta))


def d_to_c(d):
    return ((G * d) ** (1 / (alpha / (alpha + beta)))) * 6


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    with open(sys.argv[2], "w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "params", "tokens", "unique_tokens", "val_loss", "in_fit_set"])
        for r in rows:
            n, d, u = float(r["params"]), float(r["tokens"]), float(r["unique_tokens"])
            u_n = min(optimal_n(d_to_c(u)), n)
            r_n = max(n / u_n - 1, 0)
            r_d = max(d / u - 1, 0)
            n_eff = u_n + u_n * rn_star * (1 - math.exp(-r_n / rn_star))
            d_eff = u + u * rd_star * (1 - math.exp(-r_d / rd_star))
            writer.writerow([r["key"], repr(n_eff), repr(d_eff), repr(d_eff), r["val_loss"],
                             r["in_fit_set"]])


if __name__ == "__main__":
    main()
