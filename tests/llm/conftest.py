from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cuport.targets.base import get_target
from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.protocol import Artifact
from cuport.verify.spec import load_spec

DATA = Path(__file__).with_name("data")
SOURCE = DATA / "affine.cu"


@pytest.fixture(scope="session")
def original() -> CpuCudaRunner:
    return CpuCudaRunner()


@pytest.fixture(scope="session")
def opencl_runner():  # noqa: ANN201
    return get_target("opencl").runner()


@pytest.fixture(scope="session")
def kspec():  # noqa: ANN201
    return load_spec(DATA / "affine.cuport.toml").kernels["triple"]


@pytest.fixture
def art() -> Artifact:
    return Artifact(SOURCE, "cuda")


@pytest.fixture
def no_openai_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "CUPORT_LLM_MODEL", "CUPORT_LLM_REPLAY"):
        monkeypatch.delenv(k, raising=False)
    yield
