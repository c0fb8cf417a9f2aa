"""A fake SMS / Zalo gateway on 127.0.0.1 for the notifier's fault tests.

It keeps every request it received and delivers each idempotency key once: a key it
already delivered is answered 409 ``{"status": "duplicate"}``. ``mode`` makes it fail
the way real gateways do: ``ok``, ``error`` (HTTP 500), ``slow`` (answers after
``delay`` seconds, longer than the notifier's time-out), ``refuse`` (HTTP 400).
Stopping it closes the port, so the next attempt finds it down.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeGateway:
    def __init__(self) -> None:
        self.mode = "ok"
        self.delay = 1.0
        self.requests: list[dict[str, Any]] = []
        self.delivered: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/send"

    def start(self) -> FakeGateway:
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                key = self.headers.get("Idempotency-Key", "")
                with gateway._lock:
                    gateway.requests.append(
                        {"key": key, "body": body, "headers": dict(self.headers)}
                    )
                    mode = gateway.mode
                if mode == "slow":
                    time.sleep(gateway.delay)
                if mode == "error":
                    return self._answer(500, {"error": "internal"})
                if mode == "refuse":
                    return self._answer(400, {"error": "bad number"})
                with gateway._lock:
                    if key in gateway.delivered:
                        return self._answer(409, {"status": "duplicate"})
                    gateway.delivered[key] = body
                self._answer(200, {"status": "sent"})

            def _answer(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (slow mode)
                    self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
