"""Where cuport finds its LLM endpoint, model and budgets.

Precedence, highest first: command-line flags, environment (`OPENAI_BASE_URL`, `OPENAI_API_KEY`,
`CUPORT_LLM_MODEL`, `CUPORT_LLM_REPLAY`), `cuport.toml` (`[llm]`), `pyproject.toml`
(`[tool.cuport.llm]`). The API key is read from the environment only: a key in a file that is
committed is a leak waiting to happen.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from cuport.verify.build_cache import default_cache_root

# environment variables a candidate must never see (the runners' children inherit os.environ)
SECRET_ENV = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_ORG_ID", "OPENAI_PROJECT_ID", "OPENAI_ORGANIZATION")


class LLMConfigError(Exception):
    """A usage error: `--llm` without an endpoint, a malformed budget, a bad config value."""


@dataclass(frozen=True)
class Budget:
    attempts: int = 4  # candidates per kernel (first answer + repairs)
    tokens: int = 200_000  # prompt + completion tokens for the whole run
    seconds: float = 900.0  # wall time for the whole run


@dataclass(frozen=True)
class LLMSettings:
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    temperature: float = 0.0
    max_tokens: int = 4096
    timeout_s: float = 120.0
    retries: int = 4  # per request, only for 408/409/429/5xx and timeouts
    backoff_s: float = 1.0  # first backoff; doubles each retry unless Retry-After says otherwise
    concurrency: int = 2
    price_in: float = 0.0  # currency per million prompt tokens (0: unknown, cost reported as 0)
    price_out: float = 0.0
    budget: Budget = Budget()
    cache_dir: Path = field(default_factory=lambda: default_cache_root() / "llm")
    replay: bool = False  # answer only from the cache; a miss is an error and nothing is sent


_NUMERIC = {"temperature": float, "max_tokens": int, "timeout": float, "retries": int, "concurrency": int,
            "price_in": float, "price_out": float, "backoff": float}


def parse_budget(text: str, base: Budget | None = None) -> Budget:
    """`--llm-budget`: `N` (attempts) or `attempts=N,tokens=T,seconds=S` in any subset."""
    b = base or Budget()
    text = text.strip()
    if text.isdigit():
        return replace(b, attempts=int(text)) if int(text) > 0 else _bad_budget(text)
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, _, value = part.partition("=")
        key = key.strip()
        try:
            if key == "attempts":
                b = replace(b, attempts=int(value))
            elif key == "tokens":
                b = replace(b, tokens=int(value))
            elif key == "seconds":
                b = replace(b, seconds=float(value))
            else:
                return _bad_budget(text)
        except ValueError:
            return _bad_budget(text)
    if b.attempts < 1 or b.tokens < 1 or b.seconds <= 0:
        return _bad_budget(text)
    return b


def _bad_budget(text: str) -> Budget:
    raise LLMConfigError(f"--llm-budget {text!r}: expected N or attempts=N,tokens=T,seconds=S (all positive)")


def file_settings(cwd: Path) -> dict[str, object]:
    """The `[llm]` table of cuport.toml, else `[tool.cuport.llm]` of pyproject.toml, searching upwards."""
    for folder in (cwd, *cwd.parents):
        for name, keys in (("cuport.toml", ("llm",)), ("pyproject.toml", ("tool", "cuport", "llm"))):
            path = folder / name
            if not path.is_file():
                continue
            try:
                data: object = tomllib.loads(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise LLMConfigError(f"{path}: cannot read the LLM settings: {exc}") from None
            for k in keys:
                data = data.get(k, {}) if isinstance(data, dict) else {}
            if isinstance(data, dict) and data:
                return {**data, "_file": str(path)}
    return {}


def load_settings(
    *,
    model: str | None = None,
    budget: str | None = None,
    replay: bool = False,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> LLMSettings:
    """Settings for `--llm`; LLMConfigError (exit 2) when there is no endpoint or a value is bad."""
    env = os.environ if env is None else env
    conf = file_settings(cwd or Path.cwd())
    where = conf.pop("_file", "config")
    replay = replay or env.get("CUPORT_LLM_REPLAY", "") not in ("", "0")
    base_url = env.get("OPENAI_BASE_URL") or str(conf.get("base_url", ""))
    chosen = model or env.get("CUPORT_LLM_MODEL") or str(conf.get("model", ""))
    if not base_url and not replay:
        raise LLMConfigError(
            "--llm needs an endpoint: set OPENAI_BASE_URL (e.g. http://localhost:8000/v1 for vLLM) "
            "or base_url in [tool.cuport.llm] of pyproject.toml / [llm] of cuport.toml"
        )
    if not chosen:
        raise LLMConfigError("--llm needs a model: --llm-model NAME, CUPORT_LLM_MODEL, or model in the config file")
    extra: dict[str, object] = {}
    for key, kind in _NUMERIC.items():
        if key in conf:
            try:
                extra[{"timeout": "timeout_s", "backoff": "backoff_s"}.get(key, key)] = kind(conf[key])  # type: ignore[arg-type]
            except (TypeError, ValueError):
                raise LLMConfigError(f"{where}: llm.{key} = {conf[key]!r} is not a number") from None
    b = Budget()
    for key in ("attempts", "tokens", "seconds"):
        if key in conf:
            b = parse_budget(f"{key}={conf[key]}", b)
    if budget:
        b = parse_budget(budget, b)
    cache = Path(str(env.get("CUPORT_LLM_CACHE") or conf.get("cache_dir") or default_cache_root() / "llm"))
    settings = LLMSettings(base_url=base_url or "replay://", model=chosen, api_key=env.get("OPENAI_API_KEY", ""),
                           budget=b, cache_dir=cache, replay=replay, **extra)  # type: ignore[arg-type]
    if settings.concurrency < 1 or settings.retries < 0 or settings.timeout_s <= 0:
        raise LLMConfigError(f"{where}: llm.concurrency must be >= 1, retries >= 0, timeout > 0")
    return settings


def scrub_secrets(environ: dict[str, str] | None = None) -> list[str]:
    """Remove API keys and endpoints from this process's environment, once they are loaded.

    The runners start candidates with a copy of os.environ; a candidate must not find a key there.
    """
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    removed = [k for k in SECRET_ENV if k in environ]
    for k in removed:
        del environ[k]
    return removed
