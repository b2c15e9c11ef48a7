#!/usr/bin/env python3
"""Prints JMH JSON results (bench/jmh writes target/jmh/results.json) as a compact Markdown table,
ready to paste into docs/performance.md: benchmark (sorted by name), mode, score +- error, unit."""
import json
import sys


def main(path):
    with open(path, encoding="utf-8") as f:
        runs = json.load(f)
    rows = []
    for run in sorted(runs, key=lambda r: r["benchmark"]):
        name = run["benchmark"].removeprefix("org.arachne.bench.")
        if run.get("params"):
            name += " " + ",".join(f"{k}={v}" for k, v in sorted(run["params"].items()))
        metric = run["primaryMetric"]
        score = f"{float(metric['score']):,.3f}"
        error = float(metric.get("scoreError", "NaN"))  # JMH writes "NaN" below 3 iterations
        error = "" if error != error else f"± {error:,.3f}"
        rows.append((name, run["mode"], score, error, metric["scoreUnit"]))
    header = ("benchmark", "mode", "score", "error", "unit")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]

    def line(cells):
        padded = (c.rjust(w) if i in (2, 3) else c.ljust(w)
                  for i, (c, w) in enumerate(zip(cells, widths)))
        return "| " + " | ".join(padded) + " |"

    print(line(header))
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for r in rows:
        print(line(r))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "target/jmh/results.json")
