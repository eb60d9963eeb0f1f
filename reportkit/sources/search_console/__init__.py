"""Google Search Console through the Search Console API (``google-api-python-client``).

Params: ``source: {type: search_console, site_url: "sc-domain:example.com"}``. One pull per
comparison range: ``searchanalytics.query`` by date (and optionally one ``breakdown``:
page, query, device or country, which becomes the campaign column), paged with
``startRow``. Rows become the organic measures: ``organic_clicks``, ``organic_impressions``
and ``position_sum`` = position x impressions, so that average position over any group is
weighted by impressions. Search Console data is 2-3 days late: with ``data_state: all``
the fresh days are included, the response's ``firstIncompleteDate`` marks the pull not
final and it is pulled again on the next run.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Literal

from pydantic import Field

from reportkit.core import formatting as fmt
from reportkit.core.i18n import _
from reportkit.core.facts import normalize
from reportkit.paths import resolve_path
from reportkit.sources.pulling import PERIOD_WORDS, finding, pull_ranges, records
from reportkit.sources.registry import Source, SourceData
from reportkit.core.lazy import lazy

pd = lazy("pandas")

CHANNEL = "Organic Search"
PACIFIC = "America/Los_Angeles"    # Search Console counts days in Pacific time


def _finding(kind: str, level: str, period: str, message: str) -> dict:
    return finding("search_console", kind, level, period, message)


class SearchConsoleSource(Source):
    """Google Search Console (organic search). Credentials come from the environment."""

    type: Literal["search_console"]
    site_url: str = Field(pattern=r"^(https?://\S+/|sc-domain:\S+)$", description="The Search "
                          "Console property: https://www.example.com/ (URL prefix, with the "
                          "trailing slash) or sc-domain:example.com (domain property)")
    breakdown: Literal["page", "query", "device", "country"] | None = Field(
        None, description="One extra dimension, shown as the campaign column (default: none)")
    search_type: Literal["web", "image", "video", "news", "discover", "googleNews"] = "web"
    data_state: Literal["final", "all"] = Field("all", description="all: include the last 2-3 days "
                                                "(not final, pulled again later); final: only final days")
    time_zone: str | None = Field(None, description="The report's time zone, e.g. Europe/Berlin; "
                                  "Search Console counts days in Pacific time, which is flagged")
    page_size: int = Field(25_000, ge=1, le=25_000, description="Rows per request")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        dims = ["date", *([self.breakdown] if self.breakdown else [])]
        query = "organic:" + hashlib.sha1(json.dumps([dims, self.search_type, self.data_state])
                                          .encode()).hexdigest()[:8]
        service = {}

        def fetch(period, rng):
            from reportkit.sources.search_console import api   # the client library only when pulling
            if "s" not in service:
                service["s"] = api.make_service()
            rows, meta = api.fetch(service["s"], resolve_path(cfg.warehouse.path), self,
                                   rng.start.isoformat(), rng.end.isoformat())
            incomplete = meta.get("first_incomplete_date")
            final = None if not incomplete else incomplete > rng.end.isoformat()
            return _to_frame(self, rows), meta, final

        try:
            pulls, fresh = pull_ranges(cfg, periods, refresh, f"search_console:{self.site_url}",
                                       query, fetch)
        finally:
            if "s" in service:
                service["s"].close()   # its HTTP connections, left open otherwise
        facts = normalize(pd.concat([p.frame for p in pulls.values()], ignore_index=True),
                          f"Search Console site {self.site_url}", default_source="search_console")
        latest = max(p.pulled_at for p in pulls.values())
        return SourceData(facts, origin=_("Google Search Console, {site}, as pulled {moment} UTC").format(
                              site=self.site_url, moment=f"{latest:%Y-%m-%d %H:%M}"), findings=self._findings(pulls),
                          pulls=records(pulls, fresh, periods))

    def _findings(self, pulls: dict) -> list[dict]:
        out = []
        for period, pull in pulls.items():
            if pull.meta.get("row_count") == 0:
                out.append(_finding("empty", "warning", period, _(
                    "Search Console returned no organic search data for {period}.").format(
                        period=_(PERIOD_WORDS[period]))))
            day = pull.meta.get("first_incomplete_date")
            if day and period == "current":
                out.append(_finding("not_final", "info", period, _(
                    "Search Console data from {day} on is not final yet (it arrives 2-3 days late): "
                    "organic clicks and impressions of those days may still rise.").format(
                        day=fmt.day(date.fromisoformat(day)))))
        if self.time_zone and self.time_zone != PACIFIC:
            out.append(_finding("time_zone", "info", "all", _(
                "Search Console counts days in Pacific time ({pacific}), not {zone}: organic figures "
                "per day start and end at other hours than the rest of this report.").format(
                    pacific=PACIFIC, zone=self.time_zone)))
        return out


def _to_frame(src, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["date", "clicks", "impressions", "position",
                                        *([src.breakdown] if src.breakdown else [])])
    out = pd.DataFrame({"date": pd.to_datetime(frame["date"], format="%Y-%m-%d"),
                        "channel": CHANNEL,
                        "campaign": frame[src.breakdown] if src.breakdown else "(organic)",
                        "organic_clicks": pd.to_numeric(frame["clicks"]).astype("float64"),
                        "organic_impressions": pd.to_numeric(frame["impressions"]).astype("float64")})
    # position_sum: average position x impressions, so any average is weighted by impressions
    out["position_sum"] = pd.to_numeric(frame["position"]).astype("float64") * out["organic_impressions"]
    return out


__all__ = ["SearchConsoleSource"]
