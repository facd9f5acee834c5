"""The benchmark method itself: slower ports measure slower, wrong ports are rejected even when
they go wrong only under timing, suspect speed-ups are flagged, sides on other devices are not
compared, and the runs alternate."""

from __future__ import annotations

import math

import pytest
from bench_sides import Sources, Wrapped, cuda

from cuport.verify.bench import (
    BenchOptions,
    Side,
    Spread,
    bench_kernel,
    device_kind,
    geometric_mean,
    largest_trial,
)
from cuport.verify.cpu_cuda import CpuCudaRunner
from cuport.verify.spec import parse_spec

FAST = BenchOptions(reps=5, warmup=1)


def _bench(sources: Sources, port_runner: Wrapped | CpuCudaRunner, port_path=None, opts=FAST):  # noqa: ANN001, ANN202
    original = CpuCudaRunner(workers=1)
    side = Side("cuda", port_runner, cuda(port_path or sources.original))
    [result] = bench_kernel(Side("cuda (original)", original, cuda(sources.original)), [side], sources.kspec, opts)
    return result


def test_a_deliberately_slower_port_is_measured_slower(sources: Sources) -> None:
    r = _bench(sources, CpuCudaRunner(workers=1), sources.slow)
    assert r.status == "ok", r.reason
    assert r.port is not None and r.original is not None
    assert r.port.runs == r.original.runs == FAST.reps * FAST.launches  # every timed launch of every round
    assert r.port.median_s > r.original.median_s
    assert r.ratio is not None and r.ratio < 1
    assert not r.suspect
    assert r.compile_s is not None and r.original_compile_s is not None


def test_the_sizes_timed_are_the_largest_by_default(sources: Sources) -> None:
    r = _bench(sources, CpuCudaRunner(workers=1))
    assert r.sizes == {"n": 2049}
    assert _bench(sources, CpuCudaRunner(workers=1), opts=BenchOptions(reps=1, warmup=0, trial=0)).sizes == {"n": 3}


def test_a_wrong_port_is_rejected_with_no_time_and_no_ratio(sources: Sources) -> None:
    r = _bench(sources, CpuCudaRunner(workers=1), sources.wrong)
    assert r.status == "wrong"
    assert r.ratio is None and r.port is None and not r.suspect
    assert "warm-up run 1" in r.reason and "differ" in r.reason
    assert [d.code for d in r.diagnostics] == ["CB001"]


def test_a_port_wrong_only_under_timing_is_rejected(sources: Sources) -> None:
    # right in both warm-up runs (as under `cuport verify`), wrong from the third run on
    port = Wrapped(corrupt_after=2)
    r = _bench(sources, port, opts=BenchOptions(reps=5, warmup=2))
    assert r.status == "wrong"
    assert "timed run 1" in r.reason
    assert r.ratio is None and r.port is None
    assert port.runs == 3  # a rejected port is not run again


def test_a_suspect_speed_up_is_flagged(sources: Sources) -> None:
    r = _bench(sources, Wrapped(clock_scale=1 / 50))  # claims to be 50x faster than it is
    assert r.status == "ok"
    assert r.ratio is not None and r.ratio > 10
    assert r.suspect
    assert "CB002" in [d.code for d in r.diagnostics]


def test_an_honest_port_is_not_suspect(sources: Sources) -> None:
    r = _bench(sources, Wrapped(clock_scale=1 / 3))
    assert r.status == "ok" and r.ratio is not None and 1 < r.ratio < 10
    assert not r.suspect and not r.diagnostics


def test_sides_on_different_kinds_of_device_are_not_compared(sources: Sources) -> None:
    r = _bench(sources, Wrapped(device_name="GPU: stand-in"))
    assert r.status == "ok" and not r.comparable
    assert r.ratio is None and not r.suspect
    assert r.port is not None and r.original is not None  # both medians still reported
    assert r.device == "GPU: stand-in" and r.original_device.startswith("CPU")
    assert "CB003" in [d.code for d in r.diagnostics]


def test_runs_alternate_original_and_ports_in_both_directions(sources: Sources) -> None:
    log: list[str] = []
    orig, a, b = Wrapped(name="O", log=log), Wrapped(name="A", log=log), Wrapped(name="B", log=log)
    sides = [Side("a", a, cuda(sources.original)), Side("b", b, cuda(sources.original))]
    results = bench_kernel(Side("o", orig, cuda(sources.original)), sides, sources.kspec, BenchOptions(reps=3, warmup=1))
    assert [r.status for r in results] == ["ok", "ok"]
    assert "".join(log) == "OAB" + "BAO" + "OAB" + "BAO"
    assert all(r.port is not None and r.port.runs == 3 * 5 for r in results)


def test_a_kernel_without_a_port_is_unported_and_nothing_runs(sources: Sources) -> None:
    orig = Wrapped(name="O")
    [r] = bench_kernel(Side("o", orig, cuda(sources.original)), [Side("triton", None, None, reason="not a candidate")],
                       sources.kspec, FAST)
    assert r.status == "unported" and r.reason == "not a candidate"
    assert orig.runs == 0


def test_a_port_that_does_not_build_fails(sources: Sources, tmp_path) -> None:  # noqa: ANN001
    broken = tmp_path / "broken.cu"
    broken.write_text("__global__ void axpy(int n, float a, const float *x, float *y) { this is not C++ }\n")
    r = _bench(sources, CpuCudaRunner(workers=1), broken)
    assert r.status == "fail" and "does not build" in r.reason
    assert r.compile_s is not None


def test_an_original_that_does_not_build_is_an_error(sources: Sources, tmp_path) -> None:  # noqa: ANN001
    broken = tmp_path / "broken.cu"
    broken.write_text("__global__ void axpy(int n) { ??? }\n")
    [r] = bench_kernel(Side("o", CpuCudaRunner(), cuda(broken)), [Side("cuda", CpuCudaRunner(), cuda(sources.original))],
                       sources.kspec, FAST)
    assert r.status == "error" and "original does not build" in r.reason


def test_spread_percentiles() -> None:
    s = Spread.of([float(x) for x in range(1, 11)])
    assert (s.runs, s.median_s) == (10, 5.5)
    assert math.isclose(s.p10_s, 1.9) and math.isclose(s.p90_s, 9.1)


def test_largest_trial_and_geometric_mean(tmp_path) -> None:  # noqa: ANN001
    spec = parse_spec('[k]\ngrid = 1\nblock = 1\nsizes = { a = [4, 100, 3], b = [9, 1, 1] }\nargs = []\n', tmp_path / "k.toml")
    assert largest_trial(spec.kernels["k"]) == 1  # 100 x 1 beats 4 x 9
    assert geometric_mean([2.0, 8.0]) == pytest.approx(4.0)
    assert geometric_mean([]) is None
    assert device_kind("GPU: H100") == "GPU" and device_kind("CPU: PoCL") == "CPU"
