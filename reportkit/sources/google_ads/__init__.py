"""Google Ads through the Google Ads API (``google-ads``, gRPC ``GoogleAdsService.SearchStream``).

Params: ``source: {type: google_ads, customer_id: "1234567890"}`` (and ``login_customer_id``
for an account reached through a manager account). One pull per comparison range: a GAQL
query of campaigns by day; ``cost_micros`` / 1,000,000 is the cost in the account currency;
the channel comes from ``advertising_channel_type`` by the same rule as the Google Ads file
preset. The account's currency and time zone (the ``customer`` resource, read once per
pull) are compared with the params.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field

from reportkit.core.i18n import N_, _
from reportkit.core.facts import normalize
from reportkit.paths import resolve_path
from reportkit.sources.presets import GOOGLE_ADS
from reportkit.sources.pulling import account_findings, finding, pull_ranges, records
from reportkit.sources.registry import Source, SourceData
from reportkit.core.lazy import lazy

pd = lazy("pandas")

QUERY = ("SELECT segments.date, campaign.name, campaign.advertising_channel_type, "
         "metrics.cost_micros, metrics.clicks, metrics.impressions, metrics.conversions, "
         "metrics.conversions_value FROM campaign WHERE segments.date BETWEEN '{start}' AND '{end}'")
CUSTOMER_QUERY = "SELECT customer.currency_code, customer.time_zone, customer.descriptive_name FROM customer"
# advertising_channel_type names the file preset does not spell the same way
TYPE_WORDS = {"MULTI_CHANNEL": "app"}


def channel_for(type_name: str) -> str:
    """The channel of a campaign type, by the Google Ads file preset's rule (one home)."""
    column, mapping = GOOGLE_ADS.channel_by
    word = TYPE_WORDS.get(type_name, type_name.lower().replace("_", " "))
    return mapping.get(word, GOOGLE_ADS.channel)


class GoogleAdsSource(Source):
    """Google Ads API. Credentials come from the environment, never from here."""

    type: Literal["google_ads"]
    customer_id: str = Field(pattern=r"^[0-9]{10}$", description="The Google Ads account's "
                             "customer id, 10 digits without dashes (top right in Google Ads)")
    login_customer_id: str | None = Field(None, pattern=r"^[0-9]{10}$", description="The manager "
                                          "account (MCC) id through which the account is reached")
    time_zone: str | None = Field(None, description="Expected account time zone, e.g. "
                                  "Europe/Berlin; an account in another zone is flagged")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        query_id = "campaigns:" + hashlib.sha1(QUERY.encode()).hexdigest()[:8]
        state: dict = {}

        def fetch(period, rng):
            from reportkit.sources.google_ads import api   # the client library only when pulling
            if "caller" not in state:
                state["caller"] = api.Caller(api.make_client(self.login_customer_id),
                                             resolve_path(cfg.warehouse.path), self.customer_id)
                rows = state["caller"].rows(CUSTOMER_QUERY)
                state["customer"] = ({"currency": rows[0].customer.currency_code,
                                      "time_zone": rows[0].customer.time_zone} if rows else {})
            caller = state["caller"]
            rows = caller.rows(QUERY.format(start=rng.start.isoformat(), end=rng.end.isoformat()))
            # calls since the last pull (the first pull also made the customer call)
            meta = {"calls": caller.calls - state.get("counted", 0), **state["customer"],
                    "row_count": len(rows), "quota": None}
            state["counted"] = caller.calls
            return _to_frame(rows), meta, None

        pulls, fresh = pull_ranges(cfg, periods, refresh, f"google_ads:{self.customer_id}",
                                   query_id, fetch)
        facts = normalize(pd.concat([p.frame for p in pulls.values()], ignore_index=True),
                          f"Google Ads customer {self.customer_id}", default_source="google_ads")
        latest = max(p.pulled_at for p in pulls.values())
        return SourceData(facts, origin=_("Google Ads, customer {customer}, as pulled {moment} UTC").format(
                              customer=self.customer_id, moment=f"{latest:%Y-%m-%d %H:%M}"), findings=self._findings(cfg.currency, pulls),
                          pulls=records(pulls, fresh, periods))

    def _findings(self, currency: str, pulls: dict) -> list[dict]:
        out = account_findings("google_ads", "Google Ads", N_("Google Ads account"),
                               N_("cost and conversion value"), currency, self.time_zone, pulls)
        if not pulls["current"].final:
            out.append(finding("google_ads", "conversion_window", "info", "current", _(
                "Google Ads counts conversions on the day of the click and keeps adding them for "
                "the conversion window (30 days by default): this period's conversions may still rise.")))
        return out


def _to_frame(rows: list) -> pd.DataFrame:
    frame = pd.DataFrame({
        "date": pd.to_datetime([r.segments.date for r in rows], format="%Y-%m-%d"),
        "channel": [channel_for(r.campaign.advertising_channel_type.name) for r in rows],
        "campaign": [r.campaign.name for r in rows],
        "cost": [r.metrics.cost_micros / 1_000_000 for r in rows],   # micros -> account currency
        "clicks": [float(r.metrics.clicks) for r in rows],
        "impressions": [float(r.metrics.impressions) for r in rows],
        "conversions": [float(r.metrics.conversions) for r in rows],
        "revenue": [float(r.metrics.conversions_value) for r in rows]}, index=range(len(rows)))
    # two campaigns of the same name and type: one row a day (the key has no campaign id)
    return frame.groupby(["date", "channel", "campaign"], as_index=False, sort=True).sum()


__all__ = ["GoogleAdsSource", "channel_for"]
