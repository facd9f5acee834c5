"""Plain chat completions against any OpenAI-compatible endpoint, cached by content and accounted.

    ChatClient(settings).complete(messages) -> Completion

Every answer is stored under the sha256 of the model and every request parameter (messages,
temperature, max_tokens), so a re-run asks nothing twice and `replay` mode (CI) answers from the
cache alone: a miss is an error and no connection is opened. Retries, with exponential backoff or
the server's Retry-After, only for 408/409/429/5xx and timeouts; any other status fails at once.
A semaphore bounds the requests in flight across threads.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from cuport.translate.llm_config import LLMSettings

RETRYABLE = frozenset({408, 409, 429})
MAX_RETRY_AFTER_S = 60.0


class LLMError(Exception):
    """A request that did not produce an answer; `code` is the diagnostic (CMxxx)."""

    def __init__(self, code: str, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


@dataclass(frozen=True)
class Completion:
    text: str
    prompt_tokens: int
    completion_tokens: int
    cached: bool


@dataclass
class Usage:
    """Totals over a session; shared by every kernel of a run (thread-safe through `add`)."""

    requests: int = 0  # sent over the network
    cache_hits: int = 0
    retries: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


def cache_key(model: str, params: dict[str, object]) -> str:
    blob = json.dumps({"model": model, **params}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class ChatClient:
    def __init__(self, settings: LLMSettings, *, sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings = settings
        self.usage = Usage()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        self._sleep = sleep
        self._client: object | None = None

    # --- public -------------------------------------------------------------------------------
    def complete(self, messages: list[dict[str, str]]) -> Completion:
        s = self.settings
        params: dict[str, object] = {"messages": messages, "temperature": s.temperature, "max_tokens": s.max_tokens}
        key = cache_key(s.model, params)
        hit = self._load(key)
        if hit is not None:
            with self._lock:
                self.usage.cache_hits += 1
            return hit
        if s.replay:
            raise LLMError("CM003", f"replay mode: no recorded answer for request {key[:16]} (model {s.model})")
        with self._slots:
            text, pin, pout = self._send(params)
        self._store(key, s.model, params, text, pin, pout)
        with self._lock:
            self.usage.requests += 1
            self._count(pin, pout)
        return Completion(text, pin, pout, cached=False)

    # --- the network ----------------------------------------------------------------------------
    def _api(self):  # noqa: ANN202 - the openai client, created on first use (import costs ~0.3 s)
        if self._client is None:
            import openai

            self._client = openai.OpenAI(base_url=self.settings.base_url, api_key=self.settings.api_key or "none",
                                         timeout=self.settings.timeout_s, max_retries=0)
        return self._client

    def _send(self, params: dict[str, object]) -> tuple[str, int, int]:
        import openai

        s = self.settings
        api = self._api()
        for attempt in range(s.retries + 1):
            wait = s.backoff_s * (2**attempt)
            try:
                resp = api.chat.completions.create(model=s.model, **params)  # type: ignore[attr-defined]
            except openai.APITimeoutError:
                failure = LLMError("CM002", f"no answer from {s.base_url} within {s.timeout_s:g} s", 408)
            except openai.APIStatusError as exc:
                failure = LLMError("CM002", f"{s.base_url} answered HTTP {exc.status_code}: {_short(exc.message)}",
                                   exc.status_code)
                if exc.status_code not in RETRYABLE and exc.status_code < 500:
                    raise failure from None
                after = _retry_after(exc.response.headers.get("retry-after"))
                wait = after if after is not None else wait
            except openai.APIConnectionError as exc:
                raise LLMError("CM002", f"cannot reach {s.base_url}: {_short(str(exc))}") from None
            else:
                return _answer(resp)
            if attempt == s.retries:
                raise LLMError(failure.code, f"{failure} (after {s.retries} retries)", failure.status)
            with self._lock:
                self.usage.retries += 1
            self._sleep(min(wait, MAX_RETRY_AFTER_S))
        raise AssertionError("unreachable")

    def _count(self, pin: int, pout: int) -> None:
        s = self.settings
        self.usage.prompt_tokens += pin
        self.usage.completion_tokens += pout
        self.usage.cost += (pin * s.price_in + pout * s.price_out) / 1e6

    # --- the cache ------------------------------------------------------------------------------
    def _path(self, key: str) -> Path:
        return self.settings.cache_dir / key[:2] / f"{key}.json"

    def _load(self, key: str) -> Completion | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            return Completion(str(data["answer"]), int(data["prompt_tokens"]), int(data["completion_tokens"]), True)
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: ask again

    def _store(self, key: str, model: str, params: dict[str, object], text: str, pin: int, pout: int) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        record = {"model": model, "request": params, "answer": text, "prompt_tokens": pin, "completion_tokens": pout}
        tmp.write_text(json.dumps(record, indent=1, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)


def _answer(resp: object) -> tuple[str, int, int]:
    try:
        text = resp.choices[0].message.content or ""  # type: ignore[attr-defined]
    except (AttributeError, IndexError, TypeError):
        raise LLMError("CM002", "the endpoint's answer has no choices[0].message.content") from None
    usage = getattr(resp, "usage", None)
    pin = int(getattr(usage, "prompt_tokens", 0) or 0)
    pout = int(getattr(usage, "completion_tokens", 0) or 0)
    return text, pin, pout


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) < 300 else text[:297] + "..."
