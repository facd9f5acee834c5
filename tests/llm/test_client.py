"""The chat client against a real loopback server: retries, rate limits, timeouts, cache, replay."""

from __future__ import annotations

from pathlib import Path

import pytest

from cuport.translate.llm_client import ChatClient, LLMError
from cuport.translate.llm_config import (
    LLMConfigError,
    LLMSettings,
    load_settings,
    parse_budget,
    scrub_secrets,
)

from .fake_server import FakeOpenAI

MSG = [{"role": "user", "content": "port this"}]


def settings(url: str, tmp: Path, **kw: object) -> LLMSettings:
    base = {"base_url": url, "model": "m", "api_key": "sk-test", "cache_dir": tmp / "cache", "backoff_s": 0.01,
            "timeout_s": 5.0}
    return LLMSettings(**{**base, **kw})  # type: ignore[arg-type]


def test_answer_is_accounted_and_cached(tmp_path: Path) -> None:
    with FakeOpenAI(["hello"]) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path, price_in=2.0, price_out=4.0))
        a = c.complete(MSG)
        b = c.complete(MSG)
    assert (a.text, a.cached, b.text, b.cached) == ("hello", False, "hello", True)
    assert len(srv.requests) == 1
    body = srv.requests[0]["body"]
    assert body["model"] == "m" and body["messages"] == MSG and srv.requests[0]["path"] == "/v1/chat/completions"
    assert srv.requests[0]["auth"] == "Bearer sk-test"
    u = c.usage
    assert (u.requests, u.cache_hits, u.prompt_tokens, u.completion_tokens) == (1, 1, 100, 50)
    assert u.cost == pytest.approx((100 * 2.0 + 50 * 4.0) / 1e6)


def test_cache_key_covers_every_parameter(tmp_path: Path) -> None:
    with FakeOpenAI(["a", "b", "c"]) as srv:
        ChatClient(settings(srv.base_url, tmp_path)).complete(MSG)
        ChatClient(settings(srv.base_url, tmp_path, temperature=0.5)).complete(MSG)
        ChatClient(settings(srv.base_url, tmp_path, model="other")).complete(MSG)
    assert len(srv.requests) == 3


def test_500_is_retried_then_ok(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeOpenAI([{"status": 500}, {"status": 503}, "ok"]) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path), sleep=waits.append)
        assert c.complete(MSG).text == "ok"
    assert len(srv.requests) == 3 and c.usage.retries == 2
    assert waits == [pytest.approx(0.01), pytest.approx(0.02)]  # exponential backoff


def test_400_is_not_retried(tmp_path: Path) -> None:
    with FakeOpenAI([{"status": 400, "body": "bad model"}, "never"]) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path), sleep=lambda s: None)
        with pytest.raises(LLMError) as err:
            c.complete(MSG)
    assert len(srv.requests) == 1 and err.value.status == 400 and err.value.code == "CM002"


def test_429_honours_retry_after(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeOpenAI([{"status": 429, "headers": {"Retry-After": "3"}}, "ok"]) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path), sleep=waits.append)
        assert c.complete(MSG).text == "ok"
    assert waits == [3.0]


def test_retries_are_bounded(tmp_path: Path) -> None:
    with FakeOpenAI([{"status": 502}] * 5) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path, retries=2), sleep=lambda s: None)
        with pytest.raises(LLMError, match="after 2 retries"):
            c.complete(MSG)
    assert len(srv.requests) == 3


def test_timeout_is_retried(tmp_path: Path) -> None:
    with FakeOpenAI([{"sleep": 1.5, "answer": "late"}, "fast"]) as srv:
        c = ChatClient(settings(srv.base_url, tmp_path, timeout_s=0.3), sleep=lambda s: None)
        assert c.complete(MSG).text == "fast"
    assert c.usage.retries == 1


def test_replay_answers_offline_and_a_miss_is_an_error(tmp_path: Path) -> None:
    with FakeOpenAI(["recorded"]) as srv:
        ChatClient(settings(srv.base_url, tmp_path)).complete(MSG)
    # the server is gone: replay must not need it
    c = ChatClient(settings("http://127.0.0.1:9/v1", tmp_path, replay=True))
    assert c.complete(MSG).text == "recorded"
    with pytest.raises(LLMError) as err:
        c.complete([{"role": "user", "content": "never asked"}])
    assert err.value.code == "CM003"


def test_settings_from_env_config_and_flags(tmp_path: Path) -> None:
    with pytest.raises(LLMConfigError, match="OPENAI_BASE_URL"):
        load_settings(cwd=tmp_path, env={"CUPORT_LLM_MODEL": "m"})
    (tmp_path / "pyproject.toml").write_text('[tool.cuport.llm]\nbase_url = "http://h/v1"\nmodel = "x"\nattempts = 2\n')
    s = load_settings(cwd=tmp_path, env={})
    assert (s.base_url, s.model, s.budget.attempts) == ("http://h/v1", "x", 2)
    s = load_settings(cwd=tmp_path, env={"OPENAI_BASE_URL": "http://e/v1", "CUPORT_LLM_MODEL": "y"},
                      model="z", budget="tokens=10")
    assert (s.base_url, s.model, s.budget.tokens, s.budget.attempts) == ("http://e/v1", "z", 10, 2)
    (tmp_path / "cuport.toml").write_text('[llm]\nbase_url = "http://c/v1"\nmodel = "w"\n')
    assert load_settings(cwd=tmp_path, env={}).model == "w"
    assert load_settings(cwd=tmp_path / "nothing", env={"CUPORT_LLM_REPLAY": "1", "CUPORT_LLM_MODEL": "m"}).replay


@pytest.mark.parametrize("text", ["0", "attempts=0", "bogus=1", "tokens=x"])
def test_bad_budget(text: str) -> None:
    with pytest.raises(LLMConfigError):
        parse_budget(text)


def test_scrub_secrets() -> None:
    env = {"OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": "u", "PATH": "/bin"}
    assert sorted(scrub_secrets(env)) == ["OPENAI_API_KEY", "OPENAI_BASE_URL"] and env == {"PATH": "/bin"}
