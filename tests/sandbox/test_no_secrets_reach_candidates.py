"""Code under test never sees the parent's secrets: runners start children from an allow-list."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.verify.sandbox import candidate_env

PROGRAM = r"""
#include <cstdio>
#include <cstdlib>
int main() {
  const char* names[] = {"OPENAI_API_KEY", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "CUPORT_SECRET_TOKEN", "MY_PLAIN_VAR"};
  for (const char* n : names) printf("%s=%s\n", n, getenv(n) ? "present" : "absent");
  printf("PATH=%s\n", getenv("PATH") ? "present" : "absent");
  return 0;
}
"""

SECRETS = {
    "OPENAI_API_KEY": "sk-test",
    "AWS_SECRET_ACCESS_KEY": "aws",
    "GITHUB_TOKEN": "gh",
    "CUPORT_SECRET_TOKEN": "prefix-allowed-but-a-secret",
    "MY_PLAIN_VAR": "not on the allow-list",
}


def test_allow_list_drops_secrets_and_unknown_names() -> None:
    env = candidate_env({**SECRETS, "PATH": "/usr/bin", "POCL_CACHE_DIR": "/c", "TRITON_INTERPRET": "1"})
    assert env == {"PATH": "/usr/bin", "POCL_CACHE_DIR": "/c", "TRITON_INTERPRET": "1"}


def test_a_program_run_by_cuport_cannot_read_api_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cuport.verify.whole_program import run_program

    for k, v in SECRETS.items():
        monkeypatch.setenv(k, v)
    src = tmp_path / "peek.cu"
    src.write_text(PROGRAM)
    out = run_program(src, timeout_s=60)
    assert out.status == "ok", out.message
    assert "PATH=present" in out.stdout
    for name in SECRETS:
        assert f"{name}=absent" in out.stdout


BIG_WRITER = r"""
#include <cstdio>
int main() {
  FILE* f = fopen("big.bin", "wb");
  static char block[1 << 16];
  size_t written = 0;
  for (int i = 0; i < 64; ++i) written += fwrite(block, 1, sizeof block, f);  // 4 MiB
  fclose(f);
  printf("wrote %zu\n", written);
  return 0;
}
"""


def test_code_under_test_cannot_write_files_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cuport.verify import sandbox
    from cuport.verify.whole_program import run_program

    monkeypatch.setattr(sandbox, "MAX_FILE_BYTES", 1 << 20)  # the child is forked from this process
    src = tmp_path / "big.cu"
    src.write_text(BIG_WRITER)
    out = run_program(src, timeout_s=60, cwd=tmp_path)
    assert out.status != "ok" or "wrote 4194304" not in out.stdout
    assert (tmp_path / "big.bin").stat().st_size <= 1 << 20
