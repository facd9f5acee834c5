"""`cuport corpus list|path`: the table, the JSON document and the folder."""

from __future__ import annotations

import json

import pytest
from corpus_cases import CASES, ENTRIES

from cuport.cli import main
from cuport.corpus import corpus_root


def test_path_prints_the_corpus_root(capsys: pytest.CaptureFixture[str]):
    assert main(["corpus", "path"]) == 0
    assert capsys.readouterr().out.strip() == str(corpus_root())


def test_list_table_names_every_kernel(capsys: pytest.CaptureFixture[str]):
    assert main(["corpus", "list"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["CATEGORY", "FILE", "KERNELS"]
    for case in CASES:
        assert case.kernel in out
    assert out.splitlines()[-1].startswith(f"{len(CASES)} kernel(s) in {len(ENTRIES)} file(s)")


def test_list_json_is_a_versioned_document(capsys: pytest.CaptureFixture[str]):
    assert main(["corpus", "list", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "cuport.corpus/1"
    assert [e["source"] for e in doc["entries"]] == [str(e.source.relative_to(corpus_root())) for e in ENTRIES]
    kernels = [k for e in doc["entries"] for k in e["kernels"]]
    assert kernels == [c.kernel for c in CASES]
    assert all((corpus_root() / e["spec"]).is_file() and e["note"] for e in doc["entries"])


def test_unknown_action_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exc:
        main(["corpus", "frobnicate"])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
