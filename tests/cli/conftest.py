from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def port_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private port cache for one test (a stand-in target must never meet another test's entries).
    Only the port cache moves: the compiled-runtime cache stays shared, so verification stays fast."""
    from cuport.commands import port as port_cmd

    root = tmp_path / "cache"
    monkeypatch.setattr(port_cmd, "default_cache_root", lambda: root)
    return root / "port"


@pytest.fixture(autouse=True)
def _private_port_cache(port_cache: Path) -> Path:
    return port_cache
