#!/usr/bin/python3
"""Extracts the paper's released run losses from the authors' notebook into runs.csv.

Input: `utils/parametric_fit.ipynb` of huggingface/datablations (Apache-2.0), the notebook behind
App. A/B and Table 1 of Muennighoff et al. 2023. Output: the CSV every datawall tool reads
(laws/released_runs.h), columns key,params,tokens,unique_tokens,val_loss,in_fit_set.

What it reads from the notebook (never executing any of it; Python's `ast` only parses the
literals):
- the first `NAMES_TO_VAL_LOSSES` dict (every run and its final C4 validation loss), and the
  `TOKENS_MAP` and `PARAMS_MAP` dicts of the run-name notation;
- the `NAMES_TO_VAL_LOSSES` dict of the first code cell after the markdown heading "Custom data
  loading with outliers removed": the runs the paper's fit uses (App. A; 182 of them).
What it computes, with the notebook's own rules (its parsing cell): runs with a loss of 0 (not
finished) and `...dedup` runs are skipped; the suffixes op2, seed1-4, opt1, opt, c4, v2 are
removed from the name in that order; the parameter count is the shortest name prefix (at least
2 characters) in PARAMS_MAP; the unique-token count is the name's tail (3 or 4 characters, shrunk
until it holds at most one 'b' and one 'm'); the total tokens lie between the two. A token count
is TOKENS_MAP's value or the digits read with 'b' as the decimal point, in billions.
`in_fit_set` is 1 when the run's key is in the fit-set dict.
Not here: any check of the result against a known file (tools/setup.d/40-released-runs.sh does
that: record count and sha256).

Usage: extract_runs.py NOTEBOOK.ipynb [OUT.csv]   (OUT defaults to stdout)
Exit status 2 with one line on stderr when the notebook lacks what is needed.
"""

import ast
import csv
import io
import json
import sys

HEADER = ["key", "params", "tokens", "unique_tokens", "val_loss", "in_fit_set"]
# The notebook's suffix removals, in its order (op2 matches nothing; kept for fidelity).
SUFFIXES = ["op2", "seed1", "seed2", "seed3", "seed4", "opt1", "opt", "c4", "v2"]
FIT_SET_HEADING = "outliers removed"


class NotebookError(Exception):
    pass


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def _assignments(code):
    """Top-level `NAME = <literal>` assignments of a code cell, as {name: value}."""
    # IPython lines (!shell, %magic) are not Python; comment them out before parsing.
    lines = ["#" + l if l.lstrip().startswith(("!", "%")) else l for l in code.split("\n")]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return {}
    found = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id not in found):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return found


def read_notebook(text):
    """Returns (all_runs, fit_runs, tokens_map, params_map) from the notebook's JSON text."""
    try:
        cells = json.loads(text)["cells"]
    except (ValueError, KeyError, TypeError) as e:
        raise NotebookError(f"not a notebook (JSON with 'cells'): {e}")
    all_runs = tokens_map = params_map = fit_runs = None
    after_heading = False
    for cell in cells:
        kind = cell.get("cell_type")
        if kind == "markdown" and FIT_SET_HEADING in _source(cell).lower():
            after_heading = True
        if kind != "code":
            continue
        found = _assignments(_source(cell))
        losses = found.get("NAMES_TO_VAL_LOSSES")
        if isinstance(losses, dict):
            if all_runs is None:
                all_runs = losses
            elif after_heading and fit_runs is None:
                fit_runs = losses
        if tokens_map is None and isinstance(found.get("TOKENS_MAP"), dict):
            tokens_map = found["TOKENS_MAP"]
        if params_map is None and isinstance(found.get("PARAMS_MAP"), dict):
            params_map = found["PARAMS_MAP"]
    for name, value in [("NAMES_TO_VAL_LOSSES", all_runs), ("TOKENS_MAP", tokens_map),
                        ("PARAMS_MAP", params_map)]:
        if value is None:
            raise NotebookError(f"no code cell assigns a {name} dict")
    if fit_runs is None:
        raise NotebookError("no NAMES_TO_VAL_LOSSES dict after a markdown heading containing "
                            f"'{FIT_SET_HEADING}' (the fit set)")
    return all_runs, fit_runs, tokens_map, params_map


def _billions(text, tokens_map, name):
    if text in tokens_map:
        value = tokens_map[text]
    else:
        try:
            value = float(text.replace("b", ".").strip("."))
        except ValueError:
            raise NotebookError(f"run '{name}': token count '{text}' is not a number")
    return value * 1e9


def parse_name(name, tokens_map, params_map):
    """(params, tokens, unique_tokens) of a run name whose suffixes are already removed."""
    idx = 2
    while name[:idx] not in params_map:
        idx += 1
        if idx > len(name):
            raise NotebookError(f"run '{name}': no prefix in PARAMS_MAP")
    params = params_map[name[:idx]]
    end = -4 if name[-1] in "bm" or name[-2] not in "bm" else -3
    while name[end:].count("b") > 1 or name[end:].count("m") > 1:
        end += 1
        if end >= 0:
            raise NotebookError(f"run '{name}': no unique-token tail")
    unique = _billions(name[end:], tokens_map, name)
    tokens = _billions(name[idx:end], tokens_map, name)
    return params, tokens, unique


def _counted(runs):
    """The runs the notebook's parsing loop keeps: finished (loss != 0), not dedup."""
    return [(k, v) for k, v in runs.items() if v != 0 and not k.endswith("dedup")]


def extract(text):
    """The runs.csv text (CRLF rows, as Python's csv module writes them) for a notebook."""
    all_runs, fit_runs, tokens_map, params_map = read_notebook(text)
    fit_keys = {k for k, _ in _counted(fit_runs)}
    missing = sorted(fit_keys - set(all_runs))
    if missing:
        raise NotebookError(f"fit-set run '{missing[0]}' is not in the first NAMES_TO_VAL_LOSSES")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for key, loss in _counted(all_runs):
        name = key
        for suffix in SUFFIXES:
            name = name.replace(suffix, "")
        params, tokens, unique = parse_name(name, tokens_map, params_map)
        if unique > tokens:  # the notebook raises here too
            raise NotebookError(f"run '{key}': unique tokens {unique} exceed tokens {tokens}")
        writer.writerow([key, params, tokens, unique, loss, 1 if key in fit_keys else 0])
    return out.getvalue()


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: extract_runs.py NOTEBOOK.ipynb [OUT.csv]", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        print(f"extract_runs.py: cannot read {argv[1]}: {e.strerror}", file=sys.stderr)
        return 2
    try:
        csv_text = extract(text)
    except NotebookError as e:
        print(f"extract_runs.py: {argv[1]}: {e}", file=sys.stderr)
        return 2
    if len(argv) == 3:
        with open(argv[2], "w", encoding="utf-8", newline="") as f:
            f.write(csv_text)
    else:
        sys.stdout.write(csv_text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
