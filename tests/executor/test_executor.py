"""Executors run the same pure job functions and give the same results: in-process, local pool, Ray."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.commands.port import Job, port_job
from cuport.corpus import corpus_root
from cuport.executor import ExecutorError, InProcess, LocalPool, ResultCache, make_executor


def _square(x: int) -> int:
    return x * x


def _port_jobs(out: Path) -> list[Job]:
    sources = sorted((corpus_root() / "elementwise").glob("*.cu"))[:3]
    return [Job(s, Path(), t, out / t, False, False, (), (), 32, None) for s in sources for t in ("hip", "opencl")]


def _comparable(outcomes: list, out: Path) -> list[tuple]:  # type: ignore[type-arg]
    return [(o.source, o.target, o.status, o.reason, [Path(w).relative_to(out).as_posix() for w in o.written],
             o.kernels, o.diagnostics) for o in outcomes]


def _ordered(pairs) -> list:  # type: ignore[no-untyped-def,type-arg]
    return [r for _, r in sorted(pairs, key=lambda p: p[0])]


def test_local_pool_matches_in_process(tmp_path: Path) -> None:
    assert _ordered(LocalPool(2).run(_square, list(range(20)))) == [x * x for x in range(20)]
    a, b = tmp_path / "a", tmp_path / "b"
    inline = _ordered(InProcess().run(port_job, _port_jobs(a)))
    pooled = _ordered(LocalPool(2).run(port_job, _port_jobs(b)))
    assert _comparable(inline, a) == _comparable(pooled, b)
    assert any(o.written for o in inline)


def test_unknown_executor_is_an_error() -> None:
    with pytest.raises(ExecutorError):
        make_executor("dask", 2)


def test_result_cache_round_trip_and_damage(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    assert cache.get("ab" * 32) is None
    cache.put("ab" * 32, {"x": [1, "y"]})
    assert cache.get("ab" * 32) == {"x": [1, "y"]}
    (tmp_path / "ab" / f"{'ab' * 32}.json").write_text("{half")
    assert cache.get("ab" * 32) is None  # a damaged entry is a miss, not a crash


@pytest.mark.slow
def test_ray_gives_the_same_results_as_the_local_pool(tmp_path: Path) -> None:
    ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'cuport[ray]')")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        executor = make_executor("ray", 2)
        assert executor.name == "ray"
        a, b = tmp_path / "local", tmp_path / "ray"
        local = _ordered(LocalPool(2).run(port_job, _port_jobs(a)))
        remote = _ordered(executor.run(port_job, _port_jobs(b)))
        assert _comparable(local, a) == _comparable(remote, b)
        files_a = {p.relative_to(a).as_posix(): p.read_text() for p in a.rglob("*") if p.is_file()}
        files_b = {p.relative_to(b).as_posix(): p.read_text() for p in b.rglob("*") if p.is_file()}
        assert files_a == files_b and files_a
        # the command line on the same instance: the same tree as the local pool writes
        from cuport import cli

        src = corpus_root() / "elementwise"
        for kind in ("local", "ray"):
            args = ["port", str(src), "--to", "hip", "-o", str(tmp_path / f"cli-{kind}"), "--jobs", "2",
                    "--executor", kind, "--no-cache"]
            assert cli.main(args) in (0, 1)
        trees = [{p.relative_to(tmp_path / f"cli-{k}").as_posix(): p.read_text()
                  for p in (tmp_path / f"cli-{k}").rglob("*") if p.is_file()} for k in ("local", "ray")]
        assert trees[0] == trees[1] and trees[0]
    finally:
        ray.shutdown()
