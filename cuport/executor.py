"""Where pure job functions run: this process, a local process pool, or a Ray cluster.

Port, verify and bench jobs are pure functions of their inputs (source, spec, target, options), so
the same function runs unchanged on any executor and gives the same result. `run_jobs` yields each
result with its index as it completes, so callers can cache it at once (an interrupted run keeps
what finished) and move a progress bar.

    executor = make_executor("local", jobs=4)          # "ray": ray.init(address or local)
    for i, result in executor.run(fn, items): ...

Ray is optional (`pip install cuport[ray]`); asking for it without it installed is a usage error.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import cache
from pathlib import Path
from typing import Any, Protocol, TypeVar

from cuport.fsutil import write_atomic

T = TypeVar("T")
R = TypeVar("R")


class ExecutorError(Exception):
    """The executor cannot start (Ray missing, no cluster at the address)."""


class Executor(Protocol):
    name: str

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]: ...


class InProcess:
    name = "inline"

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        for i, item in enumerate(items):
            yield i, fn(item)


class LocalPool:
    """A process pool; at most `2 * jobs` tasks in flight, so Ctrl-C cancels the rest at once."""

    name = "local"

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        if self.jobs <= 1 or len(items) <= 1:
            yield from InProcess().run(fn, items)
            return
        pool = ProcessPoolExecutor(max_workers=self.jobs)
        pending: dict[Future[R], int] = {}
        queue = iter(enumerate(items))
        try:
            while True:
                while len(pending) < 2 * self.jobs:
                    nxt = next(queue, None)
                    if nxt is None:
                        break
                    pending[pool.submit(fn, nxt[1])] = nxt[0]
                if not pending:
                    break
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield pending.pop(fut), fut.result()
        finally:
            # normal end, Ctrl-C or a consumer that stopped early: drop what has not started
            pool.shutdown(wait=True, cancel_futures=True)


class RayExecutor:
    """Tasks on a Ray cluster (`address`), or a local Ray instance when no address is given."""

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None) -> None:
        try:
            import ray
        except ImportError:
            raise ExecutorError("--executor ray needs Ray: pip install 'cuport[ray]'") from None
        self._ray = ray
        if not ray.is_initialized():
            try:
                if address:
                    ray.init(address=address, ignore_reinit_error=True, log_to_driver=False)
                else:
                    ray.init(num_cpus=num_cpus, ignore_reinit_error=True, log_to_driver=False,
                             include_dashboard=False)
            except Exception as exc:  # ConnectionError and Ray's own errors: say where, not a traceback
                raise ExecutorError(f"cannot start Ray{f' at {address}' if address else ''}: {exc}") from None

    def run(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        ray = self._ray
        remote = ray.remote(fn)
        refs = {remote.remote(item): i for i, item in enumerate(items)}
        try:
            while refs:
                done, _ = ray.wait(list(refs), num_returns=1)
                for ref in done:
                    yield refs.pop(ref), ray.get(ref)
        finally:
            for ref in refs:
                ray.cancel(ref, force=True)


def make_executor(kind: str, jobs: int, address: str | None = None) -> Executor:
    if kind == "ray":
        return RayExecutor(address, num_cpus=jobs if jobs > 1 else None)
    if kind != "local":
        raise ExecutorError(f"--executor {kind}: expected local or ray")
    return LocalPool(jobs)


class Progress:
    """`label  12/340  ####......` on stderr, redrawn in place; silent unless stderr is a terminal."""

    def __init__(self, total: int, label: str, stream: Any = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.label = label
        self.done = 0
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = (isatty() and os.environ.get("TERM") != "dumb") if enabled is None else enabled
        self.enabled = self.enabled and total > 0

    def step(self, note: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        width = 30
        filled = width * self.done // self.total
        bar = "#" * filled + "." * (width - filled)
        line = f"\r{self.label} {self.done}/{self.total} [{bar}] {note[-40:]}"
        self.stream.write(line.ljust(100)[:120])
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * 120 + "\r")
            self.stream.flush()


class ResultCache:
    """JSON results of pure jobs by content-hash key, one file each under `root` (written
    atomically, so an interrupted run leaves whole entries or none). A damaged entry is a miss."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        try:
            value = json.loads(self._path(key).read_text("utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            return None
        return value if isinstance(value, dict) else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            write_atomic(self._path(key), json.dumps(value))
        except OSError:
            pass  # a cache that cannot be written (full disk, read-only home) only costs speed


@cache
def code_fingerprint() -> str:
    """cuport's version plus its installed sources (names, sizes, mtimes): a changed emitter or rule
    table invalidates cached ports even while the version number stands still."""
    from cuport import __version__

    h = hashlib.sha256(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".toml", ".j2", ".html", ".txt", ".json") and "__pycache__" not in p.parts:
            st = p.stat()
            h.update(f"{p.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]
