"""A small fake of the GA4 Data API (v1beta, REST/JSON) on 127.0.0.1 for tests.

It speaks the documented JSON (developers.google.com/analytics/devguides/reporting/data/v1): ``POST
/v1beta/properties/<id>:runReport`` and ``:batchRunReports``, camelCase bodies, int64 as
strings, errors as ``{"error": {"code", "message", "status"}}``. It answers from a
small table of rows keyed by API names, like GA4 would: filter by date range, group by
the requested dimensions, sum the metrics, drop all-zero rows, sort, add a ``dateRange``
dimension when several ranges are asked for, page with ``limit``/``offset`` and report
``rowCount``. ``script`` lists errors to answer first (one per HTTP call); every call is
counted in ``calls``;
``max_in_flight`` is the most requests it answered at the same time. It is bounded: after ``max_calls`` it answers 500 to everything.
"""

from __future__ import annotations

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATUS_NAMES = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 429: "RESOURCE_EXHAUSTED",
                500: "INTERNAL", 503: "UNAVAILABLE"}
CURRENCY_METRICS = {"totalRevenue", "advertiserAdCost", "purchaseRevenue"}


def _day(text: str) -> date:
    return date.fromisoformat(text) if "-" in text else date(int(text[:4]), int(text[4:6]), int(text[6:]))


class FakeGA4:
    def __init__(self, rows=(), users=None, currency="EUR", time_zone="Europe/Berlin",
                 metadata=None, script=(), always=None, restricted=(), max_calls=60, delay_s=0.0,
                 hold=None):
        self.rows = list(rows)                 # dicts: date YYYYMMDD + dimension/metric API names
        self.users = dict(users or {})         # {("2026-10-01", "2026-10-31"): 1234}
        self.currency, self.time_zone = currency, time_zone
        self.metadata = dict(metadata or {})   # extra response metadata, camelCase
        self.script = list(script)             # [(status, message), ...] answered first, in order
        self.always = always                   # (status, message) answered to every call
        self.restricted = dict(restricted)     # {metricName: [restricted type ints]}
        self.max_calls, self.delay_s = max_calls, delay_s
        # (n, seconds): keep each request open until n are open at once or seconds have passed,
        # so that clients that would exceed a concurrency cap are all seen at the same time
        self.hold = hold
        self._gathered = threading.Condition()
        self.calls: list[dict] = []
        self.tokens_used = 0
        self.in_flight = self.max_in_flight = 0   # requests being answered at the same time
        self._lock = threading.Lock()
        self._server = None

    # --- lifecycle ------------------------------------------------------------------
    def __enter__(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, payload = fake.answer(self.path.split("?")[0], body)
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

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

    # --- answers --------------------------------------------------------------------
    def answer(self, path: str, body: dict) -> tuple[int, dict]:
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        if self.hold:
            with self._gathered:
                self._gathered.notify_all()
                self._gathered.wait_for(lambda: self.in_flight >= self.hold[0], timeout=self.hold[1])
        try:
            return self._answer(path, body)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, path: str, body: dict) -> tuple[int, dict]:
        with self._lock:
            self.calls.append({"path": path, "body": body})
            n = len(self.calls)
            scripted = self.script.pop(0) if self.script else self.always
        if self.delay_s:
            import time
            time.sleep(self.delay_s)
        if n > self.max_calls:
            scripted = (500, "fake server: call limit reached")
        if scripted:
            status, message = scripted
            return status, {"error": {"code": status, "message": message,
                                      "status": STATUS_NAMES.get(status, "UNKNOWN")}}
        if path.endswith(":batchRunReports"):
            return 200, {"reports": [self.report(r) for r in body.get("requests", [])],
                         "kind": "analyticsData#batchRunReports"}
        if path.endswith(":runReport"):
            return 200, self.report(body)
        return 404, {"error": {"code": 404, "message": f"no route {path}", "status": "NOT_FOUND"}}

    def report(self, req: dict) -> dict:
        dims = [d["name"] for d in req.get("dimensions", [])]
        metrics = [m["name"] for m in req.get("metrics", [])]
        ranges = req.get("dateRanges", [])
        out_rows = []
        for i, rng in enumerate(ranges):
            start, end = _day(rng["startDate"]), _day(rng["endDate"])
            label = rng.get("name") or f"date_range_{i}"
            groups: dict[tuple, list[float]] = {}
            for row in self.rows:
                if not start <= _day(row["date"]) <= end:
                    continue
                key = tuple(row.get(d, "(not set)") for d in dims)
                sums = groups.setdefault(key, [0.0] * len(metrics))
                for j, m in enumerate(metrics):
                    if m == "totalUsers" or m in self.restricted:
                        continue
                    sums[j] += float(row.get(m, 0))
            if "totalUsers" in metrics and not dims:
                users = self.users.get((start.isoformat(), end.isoformat()))
                if users:
                    groups[()] = [float(users) if m == "totalUsers" else 0.0 for m in metrics]
            for key, sums in sorted(groups.items()):
                if not any(sums):
                    continue   # GA4 leaves out rows whose metrics are all zero
                values = list(key) + ([label] if len(ranges) > 1 else [])
                out_rows.append({"dimensionValues": [{"value": v} for v in values],
                                 "metricValues": [{"value": _num(v)} for v in sums]})
        offset, limit = int(req.get("offset", 0) or 0), int(req.get("limit", 10000) or 10000)
        headers = dims + (["dateRange"] if len(ranges) > 1 else [])
        with self._lock:
            self.tokens_used += 10
            used = self.tokens_used
        metadata = {"currencyCode": self.currency, "timeZone": self.time_zone, **self.metadata}
        restrictions = [{"metricName": m, "restrictedMetricTypes": self.restricted[m]}
                        for m in metrics if m in self.restricted]
        if restrictions:
            metadata["schemaRestrictionResponse"] = {"activeMetricRestrictions": restrictions}
        response = {
            "dimensionHeaders": [{"name": h} for h in headers],
            "metricHeaders": [{"name": m, "type": "TYPE_CURRENCY" if m in CURRENCY_METRICS
                               else "TYPE_INTEGER"} for m in metrics],
            "rowCount": len(out_rows), "metadata": metadata, "kind": "analyticsData#runReport"}
        page = out_rows[offset:offset + limit]
        if page:   # GA4 leaves out "rows" (and "rowCount" when 0) for an empty report
            response["rows"] = page
        if req.get("returnPropertyQuota"):
            response["propertyQuota"] = {
                "tokensPerDay": {"consumed": 10, "remaining": 200000 - used},
                "tokensPerHour": {"consumed": 10, "remaining": 40000 - used}}
        return response

    # --- what tests look at -----------------------------------------------------------
    def requests(self) -> list[dict]:
        """Every RunReportRequest received (batches unpacked), in order."""
        out = []
        for call in self.calls:
            body = call["body"]
            out += body.get("requests", [body] if "metrics" in body else [])
        return out


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(value, 6))
