"""Google Analytics 4 through the Data API (``google-analytics-data``, REST transport).

Params: ``source: {type: ga4, property_id: "123456"}``. Credentials come from the
environment only (see :func:`make_client`). One ``batchRunReports`` call carries the
client's three reports (traffic, ad cost, period users), each over every comparison
range not already in the warehouse; each report pages with ``limit``/``offset`` until
``rowCount`` rows have arrived. Transient errors (500, 503, rate-limit 429) are retried
with backoff a few times; an exhausted token quota is not retried.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field

from reportkit.core.i18n import _
from reportkit.errors import ConfigError
from reportkit.core.facts import normalize
from reportkit.core.periods import DateRange
from reportkit.sources.registry import Source, SourceData
from reportkit.sources.ga4.notes import findings_for
from reportkit.core.lazy import lazy

pd = lazy("pandas")

if TYPE_CHECKING:  # imported where used: reading params never loads the warehouse (nor pandas)
    from reportkit.sources import warehouse as _wh

DIMENSIONS = {"date": "date", "sessionDefaultChannelGroup": "channel", "sessionCampaignName": "campaign"}
QUERIES = {
    "traffic": (tuple(DIMENSIONS), {"sessions": "sessions", "engagedSessions": "engaged_sessions",
                                    "screenPageViews": "pageviews", "keyEvents": "conversions",
                                    "transactions": "transactions", "totalRevenue": "revenue"}),
    "ads": (tuple(DIMENSIONS), {"advertiserAdCost": "cost", "advertiserAdClicks": "clicks",
                                "advertiserAdImpressions": "impressions"}),
    "users": ((), {"totalUsers": "users"}),   # its own request: users are not additive
}
ENV_ENDPOINT = "REPORTKIT_GA4_ENDPOINT"
ENV_KEYS = ("REPORTKIT_GA4_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS")
SCOPE = "https://www.googleapis.com/auth/analytics.readonly"


def make_client():
    """A ``BetaAnalyticsDataClient`` (REST) from the environment, never from params.

    ``REPORTKIT_GA4_ENDPOINT=http://127.0.0.1:8080`` points it at another endpoint (a
    proxy or a test server) with anonymous credentials. Otherwise the service-account
    key file named by ``REPORTKIT_GA4_CREDENTIALS`` or ``GOOGLE_APPLICATION_CREDENTIALS``.
    """
    from google.analytics.data_v1beta import BetaAnalyticsDataClient
    endpoint = os.environ.get(ENV_ENDPOINT)
    if endpoint:
        from google.auth.credentials import AnonymousCredentials
        return BetaAnalyticsDataClient(transport="rest", credentials=AnonymousCredentials(),
                                       client_options={"api_endpoint": endpoint})
    name = next((n for n in ENV_KEYS if os.environ.get(n)), None)
    if name is None:
        raise ConfigError("GA4 credentials", "no credentials found in the environment",
                          "set GOOGLE_APPLICATION_CREDENTIALS (or REPORTKIT_GA4_CREDENTIALS) to the "
                          "path of a service-account JSON key that has Viewer access to the GA4 "
                          "property; never put the key in params")
    path = Path(os.environ[name]).expanduser()
    if not path.is_file():
        raise ConfigError(f"environment variable {name}", f"names {path}, which is not a file",
                          "point it at the service account's JSON key file")
    from google.oauth2 import service_account
    try:
        creds = service_account.Credentials.from_service_account_file(str(path), scopes=[SCOPE])
    except (ValueError, KeyError) as error:
        raise ConfigError(f"environment variable {name} ({path})",
                          f"is not a service-account key: {error}",
                          "download a JSON key for the service account from Google Cloud") from None
    return BetaAnalyticsDataClient(transport="rest", credentials=creds)


@dataclass(frozen=True)
class Job:
    """One query over one comparison range: the unit the warehouse caches."""

    query: str
    period: str          # current | previous | yoy
    range: DateRange
    key: _wh.PullKey


def query_id(name: str) -> str:
    """The query's cache name: changes whenever its dimensions or metrics change."""
    dims, metrics = QUERIES[name]
    digest = hashlib.sha1(json.dumps([dims, list(metrics)]).encode()).hexdigest()[:8]
    return f"{name}:{digest}"


def cache_source(property_id: str) -> str:
    """The warehouse's name for a property's pulls: ``ga4:<id>``, plus ``@<endpoint>`` when
    ``REPORTKIT_GA4_ENDPOINT`` points elsewhere, so data from a test server or proxy is never
    served later as the real property's."""
    endpoint = os.environ.get(ENV_ENDPOINT)
    return f"ga4:{property_id}" + (f"@{endpoint}" if endpoint else "")


def plan(src, client_id: str, periods) -> list[Job]:
    from reportkit.sources import warehouse as _wh
    names = ["traffic", "ads", "users"] if src.include_ads else ["traffic", "users"]
    ranges = {"current": periods.current, "previous": periods.previous, "yoy": periods.yoy}
    return [Job(name, period, rng, _wh.PullKey(client_id, cache_source(src.property_id),
                                                query_id(name), rng.start, rng.end))
            for name in names for period, rng in ranges.items()]


def _to_frame(job: Job, rows: list[dict]) -> pd.DataFrame:
    """API rows (dimension name -> value) to the canonical columns of the job's query."""
    dims, metrics = QUERIES[job.query]
    frame = pd.DataFrame(rows, columns=[*dims, *metrics])
    frame = frame.rename(columns={**DIMENSIONS, **metrics})
    for col in metrics.values():
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    if "date" in frame.columns:
        frame["date"] = pd.to_datetime(frame["date"], format="%Y%m%d")
    return frame


class GA4Source(Source):
    """Google Analytics 4 Data API. Credentials come from the environment, never from here."""

    type: Literal["ga4"]
    property_id: str = Field(pattern=r"^[0-9]+$", description="GA4 property id (digits only), "
                             "from GA4 Admin > Property details")
    include_ads: bool = Field(True, description="Also pull advertiserAdCost/Clicks/Impressions "
                              "(needs a Google Ads link or cost-data import)")
    time_zone: str | None = Field(None, description="Expected reporting time zone, e.g. "
                                  "Europe/Berlin; a property in another zone is flagged")
    page_size: int = Field(100_000, ge=1, le=250_000, description="Rows per GA4 request page")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        from reportkit.sources import warehouse as _wh
        from reportkit.sources.pulling import cached_or_pulled
        store = _wh.open_for(cfg)
        jobs = plan(self, cfg.client_id, periods)

        def fetch_due(todo: list[Job]) -> dict:
            from reportkit.sources.ga4.api import fetch  # google-api-core only when a pull is needed
            from reportkit.sources.quota import CAPS, Gate
            gate = Gate.beside(store.path, f"ga4:{self.property_id}", CAPS["ga4"])
            results = fetch(make_client(), self.property_id, todo, QUERIES, self.page_size, gate=gate)
            out = {}
            for job in todo:
                rows, meta = results[job]
                out[job] = store.put(job.key, _to_frame(job, rows), meta)
            return out

        # one pull of this client's property at a time: a concurrent batch waits, then uses it
        pulls, fresh = cached_or_pulled(store, cfg.client_id, cache_source(self.property_id),
                                        {job: job.key for job in jobs}, cfg.warehouse.fresh_hours,
                                        refresh, fetch_due)
        return _assemble(self, cfg.currency, jobs, pulls, fresh=fresh)


def _assemble(src, currency: str, jobs: list[Job], pulls: dict, fresh: set) -> SourceData:
    keys = ["date", "channel", "campaign"]
    facts = None
    for name in dict.fromkeys(j.query for j in jobs if j.query != "users"):
        part = pd.concat([pulls[j].frame for j in jobs if j.query == name], ignore_index=True)
        # traffic and ads rows of the same day/channel/campaign become one row
        facts = part if facts is None else facts.merge(part, on=keys, how="outer")
    facts = normalize(facts, f"GA4 property {src.property_id}", default_source="ga4")
    users = pd.DataFrame(
        [{"start": pd.Timestamp(j.range.start), "end": pd.Timestamp(j.range.end),
          "users": float(pulls[j].frame["users"].iloc[0])}
         for j in jobs if j.query == "users" and len(pulls[j].frame)],
        columns=["start", "end", "users"])
    findings = findings_for(src, currency, [(j, pulls[j].meta) for j in jobs])
    latest = max(p.pulled_at for p in pulls.values())
    origin = _("Google Analytics 4, property {property}, as pulled {moment} UTC").format(
        property=src.property_id, moment=f"{latest:%Y-%m-%d %H:%M}")
    records = [{"source": j.key.source, "query": j.key.query, "period": j.period,
                "start": j.range.start.isoformat(), "end": j.range.end.isoformat(),
                "pulled_at": pulls[j].pulled_at.isoformat(timespec="seconds"),
                "final": pulls[j].final, "cached": j not in fresh,
                "calls": int(pulls[j].meta.get("calls", 0)) if j in fresh else 0,
                "quota": pulls[j].meta.get("quota") or None} for j in jobs]
    return SourceData(facts, users, origin=origin, findings=findings, pulls=records)


__all__ = ["GA4Source", "make_client", "plan"]
