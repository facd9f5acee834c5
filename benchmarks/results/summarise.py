"""Summarise a `cuport.bench/1` file as Markdown: per target, the geometric mean of the ratios
(original median / port median, > 1: the port is faster), counts by status, and the kernels.

    .venv/bin/python benchmarks/results/summarise.py benchmarks/results/cpu-DATE.json
"""

from __future__ import annotations

import argparse
import json
import math
from collections import Counter
from pathlib import Path


def _geomean(xs: list[float]) -> float | None:
    xs = [x for x in xs if x > 0]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def _method(settings: dict) -> str:
    if "launches" not in settings:  # before in-process repetitions: one launch per process
        return f"{settings['reps']} timed runs after {settings['warmup']} warm-up, one launch each"
    return (f"{settings['reps']} timed rounds after {settings['warmup']} warm-up, {settings['launches']} timed "
            f"launches per side per round after {settings['warm_launches']} warm launch(es) in the same process")


def summarise(doc: dict) -> str:
    results = doc["results"]
    targets = sorted({r["target"] for r in results})
    m = doc["machine"]
    out = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}; date {doc['date']}; "
        f"{_method(doc['settings'])}, seed {doc['settings']['seed']}"
        + (f"; load average {m['load_average'][0]:g} at the start" if m.get("load_average") else "") + ".",
        "",
        "| target | device | geomean ratio | min | max | timed | wrong | fail | error | unported | suspect |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for t in targets:
        rs = [r for r in results if r["target"] == t]
        ratios = [r["ratio"] for r in rs if r["status"] == "ok" and isinstance(r["ratio"], float)]
        c = Counter(r["status"] for r in rs)
        gm = _geomean(ratios)
        device = next((r["device"] for r in rs if r["device"]), "")
        out.append(
            f"| {t} | {device} | {f'{gm:.3g}x' if gm else '-'} | {f'{min(ratios):.3g}x' if ratios else '-'} | "
            f"{f'{max(ratios):.3g}x' if ratios else '-'} | {len(ratios)} | {c['wrong']} | {c['fail']} | {c['error']} | "
            f"{c['unported']} | {sum(r['suspect'] for r in rs)} |"
        )
    original = next((r["original"]["device"] for r in results if r["original"]["device"]), "")
    out += ["", f"Original: {original}.", "", "| kernel | " + " | ".join(targets) + " |",
            "|---|" + "---|" * len(targets)]
    for kernel in dict.fromkeys(r["kernel"] for r in results):
        cells = []
        for t in targets:
            r = next((r for r in results if r["kernel"] == kernel and r["target"] == t), None)
            if r is None:
                cells.append("")
            elif r["status"] == "ok" and isinstance(r["ratio"], float):
                cells.append(f"{r['ratio']:.3g}x" + (" (suspect)" if r["suspect"] else ""))
            else:
                cells.append(r["status"])
        out.append(f"| {kernel} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file", type=Path)
    print(summarise(json.loads(ap.parse_args().file.read_text())), end="")


if __name__ == "__main__":
    main()
