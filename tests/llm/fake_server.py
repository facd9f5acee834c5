"""A real HTTP server on loopback speaking the OpenAI chat-completions API, with scripted answers.

Each script entry is one response: a string (an answer), or a dict {"status": 500, "headers": {...}}
for an error, or {"sleep": s, "answer": text} for a slow answer. Every request body is recorded.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Script = list[str | dict[str, object]]


class FakeOpenAI:
    def __init__(self, script: Script | None = None) -> None:
        self.script: Script = list(script or [])
        self.requests: list[dict[str, object]] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                with owner._lock:
                    owner.requests.append({"path": self.path, "body": body,
                                           "auth": self.headers.get("Authorization", "")})
                    step = owner.script.pop(0) if owner.script else {"status": 500, "body": "script exhausted"}
                if isinstance(step, dict) and "sleep" in step:
                    time.sleep(float(step["sleep"]))  # type: ignore[arg-type]
                    step = str(step["answer"])
                if isinstance(step, dict):
                    self._send(int(step["status"]), {"error": {"message": str(step.get("body", "scripted"))}},
                               step.get("headers", {}))  # type: ignore[arg-type]
                    return
                self._send(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model"),
                    "choices": [{"index": 0, "finish_reason": "stop",
                                 "message": {"role": "assistant", "content": step}}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
                })

            def _send(self, status: int, payload: object, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    for k, v in (headers or {}).items():
                        self.send_header(k, str(v))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
