"""Project settings from cuport.toml / [tool.cuport]: discovery, values, errors with locations."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from cuport import cli
from cuport.config import ConfigError, glob_match, load_config


def test_no_config_is_empty(tmp_path: Path) -> None:
    cfg = load_config(tmp_path)
    assert cfg.file is None and cfg.targets == () and cfg.selects(tmp_path / "a.cu", tmp_path)


def test_cuport_toml_is_found_upward_and_paths_are_relative_to_it(tmp_path: Path) -> None:
    (tmp_path / "cuport.toml").write_text(
        'targets = ["hip"]\nincludes = ["inc"]\ndefines = ["N=4"]\noutput = "out"\njobs = 3\n'
        'suppress = ["H001"]\nseverity = "warning"\n[llm]\nmodel = "m"\n'
    )
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    cfg = load_config(deep)
    assert cfg.file == (tmp_path / "cuport.toml").resolve()
    assert cfg.targets == ("hip",) and cfg.jobs == 3 and cfg.suppress == {"H001"} and cfg.severity == "warning"
    assert cfg.includes == ((tmp_path / "inc").resolve(),) and cfg.output == (tmp_path / "out").resolve()


def test_pyproject_without_tool_cuport_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cuport]\ntargets = ["opencl"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert load_config(inner).targets == ("opencl",)


def test_cuport_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cuport]\ntargets = ["opencl"]\n')
    (tmp_path / "cuport.toml").write_text('targets = ["triton"]\n')
    assert load_config(tmp_path).targets == ("triton",)


@pytest.mark.parametrize(
    ("name", "text", "where", "words"),
    [
        ("cuport.toml", 'targets = ["hip"]\njobz = 2\n', ":2:1:", "unknown setting"),
        ("cuport.toml", "jobs = 0\n", ":1:1:", "positive integer"),
        ("cuport.toml", 'severity = "loud"\n', ":1:1:", "not one of"),
        ("cuport.toml", "targets = [1]\n", ":1:1:", "list of strings"),
        ("cuport.toml", 'defines = ["1X"]\n', ":1:1:", "NAME or NAME=VALUE"),
        ("cuport.toml", 'targets = ["hip"\n', ":2:", "not valid TOML"),
        ("pyproject.toml", '[project]\nname = "x"\n\n[tool.cuport]\n  executor = "dask"\n', ":5:3:", "tool.cuport.executor"),
    ],
)
def test_bad_values_name_the_file_line_and_column(tmp_path: Path, name: str, text: str, where: str, words: str) -> None:
    (tmp_path / name).write_text(text)
    with pytest.raises(ConfigError) as err:
        load_config(tmp_path)
    msg = str(err.value)
    assert msg.startswith(str((tmp_path / name).resolve()) + where), msg
    assert words in msg


def test_a_bad_config_is_a_cu001_usage_error_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "cuport.toml").write_text("jobs = -1\n")
    (tmp_path / "a.cu").write_text("__global__ void k() {}\n")
    assert cli.main(["port", str(tmp_path), "--to", "hip", "-o", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "error[CU001]" in err and "cuport.toml:1:1: jobs" in err


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("*.cu", "a/b/x.cu", True),
        ("*.cu", "a/b/x.cuh", False),
        ("a/*.cu", "a/b/x.cu", False),
        ("a/**/*.cu", "a/b/x.cu", True),
        ("a/**/*.cu", "a/x.cu", True),
        ("third_party/", "third_party/z/y.cu", True),
        ("**/test_*", "src/t/test_k.cu", True),
    ],
)
def test_globs(pattern: str, path: str, hit: bool) -> None:
    assert glob_match(pattern, PurePosixPath(path)) is hit


def test_include_and_exclude_select_sources(tmp_path: Path) -> None:
    (tmp_path / "cuport.toml").write_text('include = ["src/**"]\nexclude = ["**/vendor/**"]\n')
    cfg = load_config(tmp_path)
    assert cfg.selects(tmp_path / "src" / "a.cu", tmp_path)
    assert not cfg.selects(tmp_path / "src" / "vendor" / "b.cu", tmp_path)
    assert not cfg.selects(tmp_path / "other" / "c.cu", tmp_path)
