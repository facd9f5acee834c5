"""Everything cuport reads at run time ships in the wheel: data files match the package-data globs."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_data_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    suffixes = {g.rsplit("*", 1)[-1] for g in config["tool"]["setuptools"]["package-data"]["cuport"]}
    missing = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "cuport").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".py", ".pyc") and p.suffix not in suffixes
    ]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
