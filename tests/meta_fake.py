"""A small fake of the Meta Graph API (Marketing API Insights) on 127.0.0.1.

Routes, as ``facebook-business`` calls them (``/<version>/...``, the token in the
``access_token`` query parameter; POST parameters form-encoded, lists and dicts as JSON):

- ``GET act_<id>``: the account (``currency``, ``timezone_name``, ``name``).
- ``GET act_<id>/insights``: rows per campaign and day (``time_increment=1``) within
  ``time_range``, string values like Meta sends, paged ``limit`` at a time with
  ``paging.cursors.after`` and ``paging.next`` (left out on the last page).
- ``POST act_<id>/insights``: an async job -> ``report_run_id``; ``GET <run>`` says
  "Job Running" ``running_polls`` times, then "Job Completed"; ``GET <run>/insights`` pages.

Every answer carries ``x-business-use-case-usage`` and ``x-fb-ads-insights-throttle``
headers (``usage`` sets their figures). An unknown token gets OAuthException 190.
"""

from __future__ import annotations

import json

from http_fake import FakeHTTP

TOKEN = "test-token"


def graph_error(code: int, message: str, status: int = 400, kind: str = "OAuthException",
                headers: dict | None = None):
    body = {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbC"}}
    return (status, body, headers or {})


class FakeMeta(FakeHTTP):
    def __init__(self, rows=(), account="1234", currency="EUR", time_zone="Europe/Berlin",
                 running_polls=1, usage=None, **kw):
        super().__init__(**kw)
        self.rows = list(rows)          # dicts: date, campaign, spend, impressions, clicks, actions...
        self.account, self.currency, self.time_zone = account, currency, time_zone
        self.running_polls = running_polls
        self.usage = dict(usage or {"call_count": 5, "total_cputime": 3, "total_time": 4,
                                    "estimated_time_to_regain_access": 0})
        self.jobs: dict[str, dict] = {}

    def headers(self) -> dict:
        return {"x-business-use-case-usage": json.dumps({"999": [{"type": "ads_insights", **self.usage}]}),
                "x-fb-ads-insights-throttle": json.dumps({"app_id_util_pct": 1.0,
                                                          "acc_id_util_pct": self.usage["call_count"]})}

    def answer(self, method, path, query, body):
        params = {**query, **body}
        if params.get("access_token") != TOKEN:
            return graph_error(190, "Error validating access token: Session has expired.")
        parts = path.strip("/").split("/")[1:]           # drop the version
        act = f"act_{self.account}"
        if parts == [act] and method == "GET":
            return 200, {"id": act, "currency": self.currency, "timezone_name": self.time_zone,
                         "name": "Shop"}, self.headers()
        if parts == [act, "insights"] and method == "GET":
            return self.page(self.select(params), params)
        if parts == [act, "insights"] and method == "POST":
            run = f"9{len(self.jobs) + 1:04d}"
            self.jobs[run] = {"params": params, "polls": 0}
            return 200, {"report_run_id": run}, self.headers()
        if len(parts) == 1 and parts[0] in self.jobs:
            job = self.jobs[parts[0]]
            job["polls"] += 1
            done = job["polls"] > self.running_polls
            return 200, {"id": parts[0], "async_status": "Job Completed" if done else "Job Running",
                         "async_percent_completion": 100 if done else 50}, self.headers()
        if len(parts) == 2 and parts[0] in self.jobs and parts[1] == "insights":
            return self.page(self.select(self.jobs[parts[0]]["params"]), params)
        if parts and parts[0].startswith("act_"):
            return graph_error(100, f"Unsupported get request. Object with ID '{parts[0]}' does "
                               "not exist or cannot be loaded due to missing permissions",
                               kind="GraphMethodException")
        return graph_error(100, f"no route {method} {path}")

    def select(self, params) -> list[dict]:
        rng = json.loads(params["time_range"])
        assert params.get("level") == "campaign" and str(params.get("time_increment")) == "1"
        out = []
        for r in sorted(self.rows, key=lambda r: (r["date"], r["campaign"])):
            if rng["since"] <= r["date"] <= rng["until"]:
                row = {"campaign_id": str(abs(hash(r["campaign"])) % 10**9),
                       "campaign_name": r["campaign"], "date_start": r["date"],
                       "date_stop": r["date"], "spend": str(r.get("spend", 0)),
                       "impressions": str(r.get("impressions", 0)),
                       "clicks": str(r.get("clicks", 0)), "account_currency": self.currency}
                for key in ("actions", "action_values"):
                    if r.get(key):
                        row[key] = [{"action_type": t, "value": str(v)} for t, v in r[key].items()]
                out.append(row)
        return out

    def page(self, rows, params):
        start, limit = int(params.get("after") or 0), int(params.get("limit") or 25)
        body = {"data": rows[start:start + limit],
                "paging": {"cursors": {"before": str(start), "after": str(start + limit)}}}
        if start + limit < len(rows):
            body["paging"]["next"] = f"{self.url}/next?after={start + limit}"
        if not rows:
            body.pop("paging")
        return 200, body, self.headers()

    def insight_calls(self) -> list[dict]:
        return [c for c in self.calls if c["path"].endswith("/insights")]
