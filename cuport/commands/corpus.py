"""`cuport corpus [list|path]`: the built-in corpus of CUDA kernels written for cuport.

`list` prints one row per kernel file (category, file, kernels) or, with `--format json`, a
`cuport.corpus/1` document; `path` prints the corpus folder, for `cuport scan $(cuport corpus path)`.
"""

from __future__ import annotations

import argparse
import json
import sys

from cuport.corpus import CorpusEntry, corpus_root, list_entries

SCHEMA = "cuport.corpus/1"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", nargs="?", choices=("list", "path"), default="list", help="list the kernels (default) or print the folder"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format of `list`")


def run(args: argparse.Namespace) -> int:
    if args.action == "path":
        print(corpus_root())
        return 0
    entries = list_entries()
    if args.format == "json":
        json.dump(corpus_json(entries), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(corpus_table(entries))
    return 0


def corpus_json(entries: list[CorpusEntry]) -> dict[str, object]:
    root = corpus_root()
    return {
        "schema": SCHEMA,
        "root": str(root),
        "entries": [
            {
                "name": e.name,
                "category": e.category,
                "source": str(e.source.relative_to(root)),
                "spec": str(e.spec.relative_to(root)),
                "kernels": e.kernels,
                "note": e.note,
            }
            for e in entries
        ],
    }


def corpus_table(entries: list[CorpusEntry]) -> str:
    rows = [("CATEGORY", "FILE", "KERNELS")]
    for e in entries:
        rows.append((e.category, f"{e.category}/{e.source.name}", ", ".join(e.kernels) or "(no spec)"))
    width = [max(len(r[c]) for r in rows) for c in range(2)]
    lines = [f"{r[0]:<{width[0]}}  {r[1]:<{width[1]}}  {r[2]}".rstrip() for r in rows]
    kernels = sum(len(e.kernels) for e in entries)
    categories = len({e.category for e in entries})
    lines.append(f"{kernels} kernel(s) in {len(entries)} file(s), {categories} categories")
    return "\n".join(lines) + "\n"
