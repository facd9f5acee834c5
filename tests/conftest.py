"""Shared test settings: GPU tests are skipped without a GPU, HeCBench tests without a fetched tree."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def _has_nvidia_gpu() -> bool:
    if not shutil.which("nvidia-smi"):
        return False
    try:
        return subprocess.run(["nvidia-smi", "-L"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gpu = _has_nvidia_gpu()
    hecbench = os.environ.get("CUPORT_HECBENCH")
    for item in items:
        if "gpu" in item.keywords and not gpu:
            item.add_marker(pytest.mark.skip(reason="needs an NVIDIA GPU (run on the device machine)"))
        if "hecbench" in item.keywords and not (hecbench and os.path.isdir(hecbench)):
            item.add_marker(pytest.mark.skip(reason="set CUPORT_HECBENCH to a fetched HeCBench src/ tree"))
