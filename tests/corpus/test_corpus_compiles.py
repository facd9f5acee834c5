"""Every corpus file compiles with nvcc for sm_80, every spec'd kernel instantiated.

Template kernels are only compiled when instantiated, so each file is compiled through a small
wrapper that includes it and takes the address of every kernel its spec names
("block_reduce<float, 128>" included). Results are cached by content hash (wrapper, source,
nvcc version) so reruns cost nothing; files compile in parallel.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest
from corpus_cases import ENTRIES

from cuport.corpus import CorpusEntry

NVCC = shutil.which("nvcc")
CACHE = Path(tempfile.gettempdir()) / "cuport-corpus-ptx"


def wrapper_text(entry: CorpusEntry) -> str:
    refs = ",\n    ".join(f"(const void *)&{kernel}" for kernel in entry.kernels)
    return f'#include "{entry.source}"\n\nstatic const void *cuport_kernels[] __attribute__((used)) = {{\n    {refs}\n}};\n'


@cache
def nvcc_version() -> str:
    assert NVCC is not None
    return subprocess.run([NVCC, "--version"], capture_output=True, text=True, timeout=60).stdout


def compile_entry(entry: CorpusEntry) -> str | None:
    """None when it compiles, else nvcc's message; successes are cached by content hash."""
    wrapper = wrapper_text(entry)
    key = hashlib.sha256("\0".join([wrapper, entry.source.read_text("utf-8"), nvcc_version()]).encode()).hexdigest()
    stamp = CACHE / f"{key}.ok"
    if stamp.exists():
        return None
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / f"{entry.name}_wrapper.cu"
        src.write_text(wrapper, "utf-8")
        proc = subprocess.run(
            [str(NVCC), "-ptx", "-arch=sm_80", "-o", os.devnull, str(src)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    if proc.returncode != 0:
        return proc.stderr.strip() or f"nvcc exited with {proc.returncode}"
    stamp.touch()
    return None


@pytest.fixture(scope="module")
def compile_results() -> dict[Path, str | None]:
    if NVCC is None:
        pytest.skip("nvcc is not installed: the corpus cannot be compile-checked here")
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        return dict(zip([e.source for e in ENTRIES], pool.map(compile_entry, ENTRIES), strict=True))


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: f"{e.category}/{e.source.name}")
def test_corpus_file_compiles(entry: CorpusEntry, compile_results: dict[Path, str | None]):
    error = compile_results[entry.source]
    assert error is None, f"{entry.source} does not compile with nvcc -ptx -arch=sm_80:\n{error}"
