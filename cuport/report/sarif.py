"""SARIF 2.1.0 for code scanning: one run, rules from the hazard catalogue, one result per hazard."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from cuport import __version__
from cuport.translate.hazards import Hazard, catalogue
from cuport.translate.suppress import fingerprint

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def artifact_uri(path: str, root: str | None = None) -> str:
    """Relative to `root` (default: the working directory) when inside it, with forward slashes."""
    base = Path(root or os.getcwd()).resolve()
    p = Path(path)
    try:
        rel = p.resolve().relative_to(base)
        return str(PurePosixPath(*rel.parts))
    except (ValueError, OSError):
        return p.as_posix()


def sarif_document(hazards: Sequence[Hazard], root: str | None = None) -> dict[str, Any]:
    kinds = catalogue()
    ids = list(kinds)
    rules = [
        {
            "id": k.id,
            "name": k.name,
            "shortDescription": {"text": k.name.replace("-", " ")},
            "fullDescription": {"text": k.doc},
            "help": {"text": f"{k.doc}\n\nFix: {k.fix}", "markdown": f"{k.doc}\n\n**Fix:** {k.fix}"},
            "defaultConfiguration": {"level": _LEVEL[k.severity]},
            "properties": {"effort": k.effort, "targets": list(k.targets), "tags": ["portability"]},
        }
        for k in kinds.values()
    ]
    results = [
        {
            "ruleId": h.id,
            "ruleIndex": ids.index(h.id),
            "level": _LEVEL[h.severity],
            "message": {"text": h.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(h.file, root), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": h.line, "startColumn": h.col,
                                   "snippet": {"text": h.source_line}},
                    }
                }
            ],
            "partialFingerprints": {"cuportFingerprint/v1": fingerprint(h)},
        }
        for h in hazards
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cuport",
                        "version": __version__,
                        "informationUri": "https://github.com/cuport/cuport",
                        "rules": rules,
                    }
                },
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }
