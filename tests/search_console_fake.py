"""A small fake of the Search Console API (searchconsole v1, REST/JSON) on 127.0.0.1.

``POST /webmasters/v3/sites/<site, URL-encoded>/searchAnalytics/query`` with the documented
body (startDate, endDate, dimensions, rowLimit, startRow, dataState); it answers from a table
of daily rows like Search Console would: filter by dates, group by the requested dimensions,
sum clicks and impressions, position weighted by impressions, sort by clicks, page with
``startRow``/``rowLimit``, leave out ``rows`` when there are none, and with ``dataState: all``
say ``metadata.firstIncompleteDate`` when the range reaches the fresh days.
"""

from __future__ import annotations

from urllib.parse import unquote

from http_fake import FakeHTTP


def error(status: int, message: str, reason: str = "") -> tuple[int, dict]:
    names = {400: "INVALID_ARGUMENT", 401: "UNAUTHENTICATED", 403: "PERMISSION_DENIED",
             429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 503: "UNAVAILABLE"}
    return status, {"error": {"code": status, "message": message,
                              "status": names.get(status, "UNKNOWN"),
                              "errors": [{"message": message, "reason": reason or "error"}]}}


class FakeSearchConsole(FakeHTTP):
    def __init__(self, rows=(), sites=("sc-domain:example.com",), first_incomplete=None, **kw):
        super().__init__(**kw)
        self.rows = list(rows)         # dicts: date, clicks, impressions, position (+ page, query...)
        self.sites = set(sites)
        self.first_incomplete = first_incomplete   # "YYYY-MM-DD": fresh data from that day on

    def answer(self, method, path, query, body):
        prefix, suffix = "/webmasters/v3/sites/", "/searchAnalytics/query"
        if method != "POST" or not (path.startswith(prefix) and path.endswith(suffix)):
            return error(404, f"no route {method} {path}")
        site = unquote(path[len(prefix):-len(suffix)])
        if site not in self.sites:
            return error(403, f"User does not have sufficient permission for site '{site}'.",
                         "forbidden")
        dims = body.get("dimensions", [])
        start, end = body["startDate"], body["endDate"]
        groups: dict[tuple, list[float]] = {}
        for row in self.rows:
            if not start <= row["date"] <= end:
                continue
            if body.get("dataState", "final") == "final" and self.first_incomplete \
                    and row["date"] >= self.first_incomplete:
                continue
            key = tuple(row.get(d, "") for d in dims)
            g = groups.setdefault(key, [0.0, 0.0, 0.0])
            g[0] += row["clicks"]
            g[1] += row["impressions"]
            g[2] += row["position"] * row["impressions"]
        out = [{"keys": list(k), "clicks": c, "impressions": i, "ctr": c / i if i else 0,
                "position": p / i if i else 0}
               for k, (c, i, p) in sorted(groups.items(), key=lambda kv: (-kv[1][0], kv[0]))]
        first, limit = int(body.get("startRow", 0)), int(body.get("rowLimit", 1000))
        response = {"responseAggregationType": "byProperty"}
        if out[first:first + limit]:
            response["rows"] = out[first:first + limit]
        if body.get("dataState") == "all" and self.first_incomplete and self.first_incomplete <= end:
            response["metadata"] = {"firstIncompleteDate": self.first_incomplete}
        return 200, response

    def queries(self) -> list[dict]:
        return [c["body"] for c in self.calls]
