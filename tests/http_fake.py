"""The HTTP plumbing of the fake API servers (Search Console, Meta Graph API) on 127.0.0.1.

A subclass implements ``answer(method, path, query, body) -> (status, payload, headers)``.
Every request is counted in ``calls``; ``in_flight`` / ``max_in_flight`` count requests being
answered at the same time (``delay_s`` keeps each one open for a while). ``script`` lists
answers to give first, one per call. After ``max_calls`` every call gets a 500, so a client
that loops forever fails instead of hanging.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class FakeHTTP:
    def __init__(self, script=(), always=None, max_calls=60, delay_s=0.0):
        self.script = list(script)      # [(status, payload) or (status, payload, headers)]
        self.always = always
        self.max_calls, self.delay_s = max_calls, delay_s
        self.calls: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = None

    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                status, payload, headers = fake._handle(self.command, self.path, raw,
                                                        {k.lower(): v for k, v in self.headers.items()})
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                         daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def _handle(self, method: str, target: str, raw: bytes, headers: dict):
        parts = urlsplit(target)
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        ctype = headers.get("content-type", "")
        if raw and "json" in ctype:
            body = json.loads(raw)
        elif raw:
            body = {k: v[-1] for k, v in parse_qs(raw.decode()).items()}
        else:
            body = {}
        with self._lock:
            self.calls.append({"method": method, "path": parts.path, "query": query, "body": body,
                               "headers": headers})
            n = len(self.calls)
            scripted = self.script.pop(0) if self.script else self.always
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            if n > self.max_calls:
                return 500, {"error": {"code": 500, "message": "fake server: call limit reached"}}, {}
            if scripted:
                return (*scripted, {})[:3]
            return (*self.answer(method, parts.path, query, body), {})[:3]
        finally:
            with self._lock:
                self.in_flight -= 1

    def answer(self, method: str, path: str, query: dict, body: dict):
        raise NotImplementedError
