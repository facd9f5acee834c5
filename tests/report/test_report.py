"""`cuport report`: the cuport.report/1 document, the self-contained HTML (its SVG charts against the
JSON), Markdown, CSV and SARIF, bad input in the tree, and a render in headless chromium."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cuport.cli import main
from cuport.translate.api_refs import api_table

CLEAN = """__global__ void add_one(float* x, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) x[i] += 1.0f;
}
"""
WARP = """#include <cuda_runtime.h>
__global__ void warp_sum(float* x) {
    float v = x[threadIdx.x];
    v += __shfl_down_sync(0xffffffff, v, 1);
    int lane = threadIdx.x & 31;
    if (lane == 0) x[threadIdx.x] = v;
}
void host(float* d) {
    cudaGraph_t g;
    cudaGraphCreate(&g, 0);
    warp_sum<<<1, 32>>>(d);
}
"""
TARGETS = "hip,opencl"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, Any]]:
    tree = tmp_path_factory.mktemp("tree")
    (tree / "sub").mkdir()
    (tree / "clean.cu").write_text(CLEAN)
    (tree / "sub" / "warp.cu").write_text(WARP)
    (tree / "latin1.cu").write_bytes("// caf\xe9\n".encode("latin-1") + CLEAN.replace("add_one", "add_two").encode())
    (tree / "blob.cu").write_bytes(b"\x00\x01\x02binary" * 50)
    bench = tree / "bench.json"
    bench.write_text(json.dumps({"schema": "cuport.bench/1", "results": [
        {"kernel": "add_one", "target": "hip", "ratio": 0.8, "file": str(tree / "clean.cu"), "device": "cpu"}]}))
    out = tree / "report"  # inside the input tree on purpose: it must never scan itself
    assert main(["report", str(tree), "-o", str(out), "--to", TARGETS, "--bench", str(bench)]) == 0
    # a second run over the same folder: its own outputs (ports, staging) must still be left out
    assert main(["report", str(tree), "-o", str(out), "--to", TARGETS, "--bench", str(bench)]) == 0
    return tree, out, json.loads((out / "report.json").read_text())


def _kernel(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(k for k in doc["kernels"] if k["name"] == name)


def test_document_fields(report: tuple[Path, Path, dict[str, Any]]) -> None:
    tree, out, doc = report
    assert doc["schema"] == "cuport.report/1"
    assert doc["targets"] == ["hip", "opencl"]
    s = doc["summary"]
    assert s["files"] == 4 and s["files_skipped"] == 1  # blob.cu is binary
    assert s["kernels"] == 3
    assert not any("report" in Path(f["path"]).parts for f in doc["files"])  # never reads its own output
    k = _kernel(doc, "warp_sum")
    assert k["file"].endswith("sub/warp.cu") and k["line"] == 2
    assert k["ports"]["hip"]["status"] == "ported" and k["ports"]["hip"]["how"] == "rule"
    assert k["ports"]["opencl"]["status"] == "ported" and k["ports"]["opencl"]["rules"]
    ids = {h["id"]: h for h in k["hazards"]}
    assert ids["CPH002"]["line"] == 4 and ids["CPH002"]["severity"] == "error"
    assert "CPH003" in ids
    assert not k["effort"]["automatic"]  # lane math is moderate effort
    assert _kernel(doc, "add_one")["speed_ratio"] == {"hip": 0.8}
    assert s["speed_ratio"]["hip"]["median"] == 0.8
    assert _kernel(doc, "add_one")["effort"]["automatic"]
    assert s["kernels_automatic"] + s["kernels_manual"] == s["kernels"]
    assert s["port_status"]["hip"]["ported"] == 3
    assert sum(s["hazards_by_severity"].values()) == s["hazards"] == len(doc["hazards"])


def test_unmigrated_apis_and_effort(report: tuple[Path, Path, dict[str, Any]]) -> None:
    _, _, doc = report
    table = api_table()
    for a in doc["unmigrated_apis"]:  # exactly the names the HIP table cannot convert fully
        assert a["support"] == (table[a["name"]].support if a["name"] in table else "unknown") != "full"
    expected = {n for n in ("__shfl_down_sync", "cudaGraphCreate", "cudaGraph_t")
                if n not in table or table[n].support != "full"}
    assert {a["name"] for a in doc["unmigrated_apis"]} == expected
    reasons = [r["reason"] for r in doc["effort"]["reasons"]]
    assert any("CPH003" in r for r in reasons)


def test_ports_written_and_linked(report: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, doc = report
    warp = next(f for f in doc["files"] if f["path"].endswith("warp.cu"))
    links = warp["ports"]["hip"]["files"]
    assert links == ["ports/hip/sub/warp.hip"]
    assert "hipLaunchKernelGGL" in (out / links[0]).read_text() or "<<<" in (out / links[0]).read_text()
    assert not list(out.glob(".staging-*"))
    html = (out / "index.html").read_text()
    for f in doc["files"]:
        for t in doc["targets"]:
            for link in f["ports"][t]["files"]:
                assert f'href="{link}"' in html and (out / link).is_file()


class _Charts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bars: dict[str, dict[tuple[str, str], float]] = {}
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.add(tag)
        for key in ("src", "href"):
            if a.get(key):
                self.urls.append(str(a[key]))
        if tag == "rect" and "data-chart" in a:
            chart = self.bars.setdefault(str(a["data-chart"]), {})
            chart[(str(a["data-series"]), str(a["data-label"]))] = float(str(a["data-value"]))


def test_html_is_self_contained_and_charts_match(report: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, doc = report
    html = (out / "index.html").read_text()
    parser = _Charts()
    parser.feed(html)
    assert "http://" not in html and "https://" not in html
    assert not parser.tags & {"script", "link", "img", "iframe"}
    assert all(not u.startswith(("/", "//")) and ":" not in u for u in parser.urls)  # relative links only
    s = doc["summary"]
    expected_ports = {(t, st): float(n) for t, row in s["port_status"].items() for st, n in row.items() if n}
    assert parser.bars["port-status"] == expected_ports
    expected_hazards = {(f"{hid} {row['name']}", sev): float(row[sev])
                        for hid, row in s["hazards_by_kind"].items() for sev in ("error", "warning", "note") if row[sev]}
    assert parser.bars["hazards"] == expected_hazards
    assert parser.bars["speed"] == {("add_one (hip)", "ratio"): 0.8}
    assert "verification" not in parser.bars  # nothing verified: no empty chart
    assert f'data-key="kernels">{s["kernels"]}<' in html


def test_markdown_csv_sarif(report: tuple[Path, Path, dict[str, Any]]) -> None:
    _, out, doc = report
    md = (out / "report.md").read_text()
    assert md.startswith("# cuport migration report")
    hip = doc["summary"]["port_status"]["hip"]
    assert f"| hip | {hip['ported']} | {hip['not_candidate']} | {hip['not_ported']} |" in md
    assert "`warp_sum`" in md  # listed among the kernels that need a person
    rows = list(csv.DictReader(io.StringIO((out / "kernels.csv").read_text())))
    assert [r["kernel"] for r in rows] == [k["name"] for k in doc["kernels"]]
    warp = next(r for r in rows if r["kernel"] == "warp_sum")
    assert warp["hip_port"] == "ported" and "CPH002" in warp["hazard_ids"] and warp["automatic"] == "no"
    assert next(r for r in rows if r["kernel"] == "add_one")["hip_speed_ratio"] == "0.8"
    sarif = json.loads((out / "hazards.sarif").read_text())
    assert sarif["version"] == "2.1.0" and len(sarif["runs"][0]["results"]) == doc["summary"]["hazards"]


def test_baseline_and_input_errors(report: tuple[Path, Path, dict[str, Any]], tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    tree, _, doc = report
    base = tmp_path / "baseline.json"
    assert main(["scan", str(tree / "sub"), "--write-baseline", str(base), "-o", str(tmp_path / "scan.txt")]) == 1
    out = tmp_path / "r2"
    assert main(["report", str(tree / "sub"), "-o", str(out), "--to", "hip", "--baseline", str(base)]) == 0
    assert json.loads((out / "report.json").read_text())["summary"]["hazards"] == 0
    capsys.readouterr()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "main.cu").write_text(CLEAN)
    (tmp_path / "b" / "main.cu").write_text(CLEAN.replace("add_one", "add_b"))
    assert main(["report", str(tmp_path / "a"), str(tmp_path / "b"), "-o", str(out), "--to", "hip"]) == 0
    links = [f["ports"]["hip"]["files"] for f in json.loads((out / "report.json").read_text())["files"]]
    assert links == [["ports/hip/a/main.hip"], ["ports/hip/b/main.hip"]]  # several roots never collide
    assert main(["report", str(tree / "nope"), str(tree / "clean.cu"), "-o", str(out), "--to", "hip"]) == 2
    assert "nope" in capsys.readouterr().err
    assert json.loads((out / "report.json").read_text())["summary"]["kernels"] == 1  # the rest is still reported
    assert main(["report", str(tree), "-o", str(tree / "clean.cu")]) == 2  # -o is a file
    assert main(["report", str(tree), "-o", str(out), "--to", "cobol"]) == 2
    (tmp_path / "bad_bench.json").write_text("{")
    assert main(["report", str(tree), "-o", str(out), "--bench", str(tmp_path / "bad_bench.json")]) == 2


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (apt-get install -y chromium)")
def test_renders_in_headless_chromium(report: tuple[Path, Path, dict[str, Any]], tmp_path: Path) -> None:
    _, out, doc = report

    def dump(page: Path) -> tuple[str, str]:
        proc = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.resolve().as_uri()],
            capture_output=True, text=True, timeout=120,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout, proc.stderr

    # the console check can fail: a page with a script error is caught
    broken = tmp_path / "broken.html"
    broken.write_text("<!DOCTYPE html><html><body><script>undefined_function();</script></body></html>")
    assert "CONSOLE" in dump(broken)[1]

    dom, log = dump(out / "index.html")
    assert "CONSOLE" not in log
    parser = _Charts()
    parser.feed(dom)  # the DOM chromium built: charts survive rendering with the JSON's numbers
    s = doc["summary"]
    assert parser.bars["port-status"] == {(t, st): float(n) for t, row in s["port_status"].items()
                                          for st, n in row.items() if n}
    assert "cuport migration report" in dom
