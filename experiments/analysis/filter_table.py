# Prints the filter experiments' cpu results as markdown (the docs' tables come from it):
#   python3 experiments/analysis/filter_table.py experiments/results/cpu/filter_perplexity experiments/results/cpu/filter_dedup
import csv, json, os, re, sys, statistics
for out in sys.argv[1:]:
    pools = open(os.path.join(out, 'pools.textproto')).read()
    rows = list(csv.DictReader(open(os.path.join(out, 'runs.csv'))))
    print(f"\n{os.path.basename(out)}:\n")
    print("| arm | U (tokens) | epochs | seeds | final_val_loss | full validation | high-quality subset |")
    print("|---|---|---|---|---|---|---|")
    by = {}
    for r in rows:
        name = r['name']; arm = name.split('.')[-2]
        v = json.load(open(os.path.join(out, 'runs', r['hash'], 'validation_sources.json')))
        by.setdefault(arm, []).append((float(r['final_val_loss']), v['all']['loss'], v['quality']['loss'], int(r['unique_tokens']), float(r['epochs'])))
    for arm, xs in by.items():
        def f(i):
            vals = [x[i] for x in xs]
            return f"{statistics.mean(vals):.4f}" + (f" ± {statistics.stdev(vals):.4f}" if len(vals) > 1 else "")
        print(f"| {arm} | {xs[0][3]:,} | {xs[0][4]:.2f} | {len(xs)} | {f(0)} | {f(1)} | {f(2)} |")
