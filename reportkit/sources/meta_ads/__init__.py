"""Meta Ads (Facebook, Instagram) through the Marketing API's Insights (``facebook-business``).

Params: ``source: {type: meta_ads, account_id: "1234567890", conversions: [lead]}``. One
pull per comparison range: Insights of the ad account at ``level=campaign`` with
``time_increment=1`` (one row per campaign and day), cursor-paged; a range longer than
``async_after_days`` runs as an async report job. ``spend`` becomes cost (in the account's
currency), ``impressions`` and ``clicks`` (all clicks) stay; conversions are the sum of the
``actions`` of the types the params name, revenue the sum of their ``action_values``. The
account's currency and time zone are read once per pull and compared with the params.
"""

from __future__ import annotations

import hashlib
import json
from typing import Literal

from pydantic import Field

from reportkit.core.i18n import N_, _
from reportkit.core.facts import normalize
from reportkit.paths import resolve_path
from reportkit.sources.pulling import account_findings, finding, pull_ranges, records
from reportkit.sources.registry import Source, SourceData
from reportkit.core.lazy import lazy

pd = lazy("pandas")

CHANNEL = "Paid Social"
FIELDS = ("campaign_id", "campaign_name", "date_start", "spend", "impressions", "clicks",
          "actions", "action_values", "account_currency")


class MetaAdsSource(Source):
    """Meta Ads Insights. The access token comes from the environment, never from here."""

    type: Literal["meta_ads"]
    account_id: str = Field(pattern=r"^[0-9]+$", description="The ad account id, digits only "
                            "(Ads Manager > account menu; without the act_ prefix)")
    conversions: list[str] = Field(default_factory=list, description="Action types counted as "
                                   "conversions, e.g. [offsite_conversion.fb_pixel_purchase] or [lead]")
    revenue: list[str] | None = Field(None, description="Action types whose action_values are "
                                      "revenue (default: the conversions' types)")
    time_zone: str | None = Field(None, description="Expected account time zone, e.g. "
                                  "Europe/Berlin; an account in another zone is flagged")
    async_after_days: int = Field(62, ge=1, description="Ranges longer than this run as an "
                                  "async report job")
    page_size: int = Field(500, ge=1, le=5000, description="Rows per Insights page")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        revenue = self.revenue if self.revenue is not None else self.conversions
        query = "insights:" + hashlib.sha1(json.dumps([FIELDS, self.conversions, revenue])
                                           .encode()).hexdigest()[:8]
        state: dict = {}

        def fetch(period, rng):
            from reportkit.sources.meta_ads import api   # the client library only when pulling
            if "caller" not in state:
                state["caller"] = api.Caller(api.make_api(), resolve_path(cfg.warehouse.path),
                                             self.account_id)
                state["account"] = state["caller"]("GET", (f"act_{self.account_id}",),
                                                   {"fields": "currency,timezone_name,name"})
            caller, account = state["caller"], state["account"]
            rows = self._insights(caller, rng)
            # calls since the last pull (the first pull also made the account call)
            meta = {"calls": caller.calls - state.get("counted", 0),
                    "currency": account.get("currency"), "time_zone": account.get("timezone_name"),
                    "row_count": len(rows), "quota": caller.usage or None}
            state["counted"] = caller.calls
            return _to_frame(rows, self.conversions, revenue), meta, None

        pulls, fresh = pull_ranges(cfg, periods, refresh, f"meta_ads:{self.account_id}", query, fetch)
        facts = normalize(pd.concat([p.frame for p in pulls.values()], ignore_index=True),
                          f"Meta ad account {self.account_id}", default_source="meta_ads")
        latest = max(p.pulled_at for p in pulls.values())
        return SourceData(facts, origin=_("Meta Ads, ad account {account}, as pulled {moment} UTC").format(
                              account=self.account_id, moment=f"{latest:%Y-%m-%d %H:%M}"),
                          findings=self._findings(cfg.currency, pulls),
                          pulls=records(pulls, fresh, periods))

    def _insights(self, caller, rng) -> list[dict]:
        params = {"level": "campaign", "time_increment": 1, "fields": ",".join(FIELDS),
                  "time_range": {"since": rng.start.isoformat(), "until": rng.end.isoformat()},
                  "limit": self.page_size}
        path = (f"act_{self.account_id}", "insights")
        if rng.days > self.async_after_days:
            return caller.async_job(path, params, {"limit": self.page_size})
        return caller.paged(path, params)

    def _findings(self, currency: str, pulls: dict) -> list[dict]:
        out = account_findings("meta_ads", "Meta Ads", N_("Meta ad account"), N_("cost and revenue"),
                               currency, self.time_zone, pulls)
        if self.conversions:
            out.append(finding("meta_ads", "attribution", "info", "all", _(
                "Meta counts conversions in its attribution window (by default 7 days after a click, "
                "1 day after a view): recent days' conversions may still rise.")))
        return out


def _actions(entries, types: list[str]) -> float:
    return sum(float(a.get("value") or 0) for a in entries or [] if a.get("action_type") in types)


def _to_frame(rows: list[dict], conversions: list[str], revenue: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "date": pd.to_datetime([r["date_start"] for r in rows], format="%Y-%m-%d"),
        "channel": CHANNEL,
        "campaign": [r.get("campaign_name") or r.get("campaign_id") for r in rows],
        "cost": [float(r.get("spend") or 0) for r in rows],     # values come as strings
        "impressions": [float(r.get("impressions") or 0) for r in rows],
        "clicks": [float(r.get("clicks") or 0) for r in rows]}, index=range(len(rows)))
    if conversions:
        frame["conversions"] = [_actions(r.get("actions"), conversions) for r in rows]
    if revenue:
        frame["revenue"] = [_actions(r.get("action_values"), revenue) for r in rows]
    # two campaigns of the same name: one row a day (the fact table's key has no campaign id)
    return frame.groupby(["date", "channel", "campaign"], as_index=False, sort=True).sum()


__all__ = ["MetaAdsSource"]
