from __future__ import annotations

from pathlib import Path

import pytest
from bench_sides import Sources, write_sources


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Sources:
    return write_sources(Path(tmp_path_factory.mktemp("bench")))
