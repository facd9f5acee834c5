"""`cuport check`: exit codes and messages for hazards, suppressions, baselines and ports in sync,
and the real `pre-commit` tool running the hook from .pre-commit-hooks.yaml in a temporary repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cuport.cli import main

REPO = Path(__file__).resolve().parents[2]
CLEAN = """__global__ void add_one(float* x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] += 1.0f;
}
"""
HAZARD = """__global__ void warp_sum(float* x) {
    float v = x[threadIdx.x];
    v += __shfl_down_sync(0xffffffff, v, 1);
    x[threadIdx.x] = v;
}
"""
SUPPRESSED = HAZARD.replace("v, 1);", "v, 1);  // cuport: ignore[CPH002]")
LANE_MATH_ONLY = """__global__ void lanes(int* out) {
    out[threadIdx.x] = threadIdx.x & 31;
}
"""


def check(*argv: str) -> int:
    return main(["check", *argv])


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clean.cu").write_text(CLEAN)
    (tmp_path / "hazard.cu").write_text(HAZARD)
    (tmp_path / "suppressed.cu").write_text(SUPPRESSED)
    (tmp_path / "lanes.cu").write_text(LANE_MATH_ONLY)
    return tmp_path


def test_clean_file_passes(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check("clean.cu") == 0
    assert capsys.readouterr().out == ""


def test_hazard_fails_with_location(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check("clean.cu", "hazard.cu") == 1
    out = capsys.readouterr().out
    assert "hazard.cu:3:27: error[CPH002]" in out
    assert "clean.cu" not in out  # only files with findings are named


def test_only_given_files_are_checked(tree: Path) -> None:
    assert check("clean.cu") == 0  # hazard.cu lies beside it but was not given
    assert check() == 1  # no files: every source under the current folder


def test_inline_suppression_passes(tree: Path) -> None:
    assert check("suppressed.cu") == 0


def test_baseline_passes_old_findings_only(tree: Path) -> None:
    assert main(["scan", "hazard.cu", "--write-baseline", "baseline.json", "-o", os.devnull]) == 1
    assert check("hazard.cu", "--baseline", "baseline.json") == 0
    (tree / "hazard.cu").write_text(HAZARD + HAZARD.replace("warp_sum", "warp_sum2"))
    assert check("hazard.cu", "--baseline", "baseline.json") == 1  # a new finding still fails


def test_severity_threshold(tree: Path) -> None:
    assert check("lanes.cu") == 1  # CPH003 is a warning; the default threshold is warning
    assert check("lanes.cu", "--severity", "error") == 0


def test_usage_errors(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert check("missing.cu") == 2
    assert "missing.cu" in capsys.readouterr().err
    assert check("clean.cu", "--ports", "ported") == 2  # --ports without --to
    assert check("clean.cu", "--baseline", "clean.cu") == 2  # not a baseline


def test_ports_in_sync_stale_and_missing(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["port", "clean.cu", "--to", "hip", "-o", "ported"]) == 0
    capsys.readouterr()
    assert check("clean.cu", "--ports", "ported", "--to", "hip") == 0

    (tree / "clean.cu").write_text(CLEAN.replace("1.0f", "2.0f"))
    assert check("clean.cu", "--ports", "ported", "--to", "hip") == 1
    out = capsys.readouterr().out
    assert "error[CK001]" in out and "ported/hip/clean.hip" in out
    assert "-    if (i < n) x[i] += 1.0f;" in out and "+    if (i < n) x[i] += 2.0f;" in out
    assert (tree / "ported/hip/clean.hip").read_text().count("1.0f") == 1  # never rewritten by check

    (tree / "ported/hip/clean.hip").unlink()
    assert check("clean.cu", "--ports", "ported", "--to", "hip") == 1
    assert "error[CK002]" in capsys.readouterr().out


# --- the real pre-commit tool -------------------------------------------------------------------

PRE_COMMIT = shutil.which("pre-commit") or str(Path(sys.executable).with_name("pre-commit"))


def _hook_config() -> str:
    """A local hook with our hook's id, name, files and entry; `language: system` runs this
    environment's cuport (a `language: python` hook would pip-install cuport from the network)."""
    yaml = pytest.importorskip("yaml")
    hook = next(h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "cuport-check")
    cuport = Path(sys.executable).with_name("cuport")
    entry = hook["entry"].replace("cuport", str(cuport), 1)
    return (
        "repos:\n- repo: local\n  hooks:\n"
        f"  - id: {hook['id']}\n    name: {hook['name']}\n    entry: {entry}\n    language: system\n"
        f"    files: '{hook['files']}'\n    args: [--baseline, baseline.json, --ports, ported, --to, hip]\n"
    )


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PRE_COMMIT_HOME=str(repo.parent / "pre-commit-home"), GIT_AUTHOR_NAME="t",
               GIT_AUTHOR_EMAIL="t@example.invalid", GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not Path(PRE_COMMIT).exists() or shutil.which("git") is None, reason="pre-commit or git not installed")
def test_pre_commit_hook(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / ".pre-commit-config.yaml").write_text(_hook_config())
    (repo / "baseline.json").write_text('{"schema": "cuport.baseline/1", "findings": []}\n')
    (repo / "clean.cu").write_text(CLEAN)
    assert subprocess.run([str(Path(sys.executable).with_name("cuport")), "port", "clean.cu", "--to", "hip",
                           "-o", "ported"], cwd=repo, capture_output=True).returncode == 0
    env_home = {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    assert subprocess.run([PRE_COMMIT, "install"], cwd=repo, capture_output=True, env=os.environ | env_home).returncode == 0
    _git(repo, "add", ".")
    first = _git(repo, "commit", "-q", "-m", "clean source and its port")
    assert first.returncode == 0, first.stdout + first.stderr

    cuport = str(Path(sys.executable).with_name("cuport"))

    def stage(name: str, text: str) -> None:
        """Write a source, port it (so the ports check has nothing to say) and stage both."""
        (repo / name).write_text(text)
        subprocess.run([cuport, "port", name, "--to", "hip", "-o", "ported"], cwd=repo, capture_output=True)
        _git(repo, "add", name, "ported")

    stage("hazard.cu", HAZARD)
    bad = _git(repo, "commit", "-q", "-m", "adds a hazard")
    assert bad.returncode != 0
    assert "hazard.cu:3:27: error[CPH002]" in bad.stdout + bad.stderr

    stage("hazard.cu", SUPPRESSED)
    ok = _git(repo, "commit", "-q", "-m", "suppressed hazard")
    assert ok.returncode == 0, ok.stdout + ok.stderr

    stage("old.cu", HAZARD.replace("warp_sum", "old_sum"))
    subprocess.run([cuport, "scan", "old.cu", "--write-baseline", "baseline.json"], cwd=repo, capture_output=True)
    _git(repo, "add", "baseline.json")
    baselined = _git(repo, "commit", "-q", "-m", "baselined hazard")
    assert baselined.returncode == 0, baselined.stdout + baselined.stderr

    (repo / "clean.cu").write_text(CLEAN.replace("1.0f", "2.0f"))
    _git(repo, "add", "clean.cu")
    stale = _git(repo, "commit", "-q", "-m", "source changed, port not")
    assert stale.returncode != 0
    assert "error[CK001]" in stale.stdout + stale.stderr
