"""Column mappings for the exports people actually have.

A preset says which export column becomes which fact column, how dates and numbers are
written, and which channel the rows belong to. Params keys of ``{type: file}`` (``columns``,
``date_format``, ``thousands``, ...) override the preset's. Column names are matched
ignoring case and surrounding spaces; a name ending in ``(*)`` matches any bracketed
suffix, e.g. ``Amount spent (*)`` matches ``Amount spent (EUR)``, and the bracket must
be the client's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportkit.core.i18n import N_
from reportkit.core.measures import FACT_COLUMNS


@dataclass(frozen=True)
class Preset:
    name: str
    columns: dict[str, str]                      # export column -> fact column
    date_format: str | None = None               # None: ISO (YYYY-MM-DD)
    thousands: str | None = None
    channel: str | None = None                   # every row's channel, when no column gives it
    channel_by: tuple[str, dict[str, str]] | None = None   # (fact column, value -> channel)
    required: tuple[str, ...] = ("date",)
    hint: str = ""                               # how to export it, for error messages
    alternatives: dict[str, str] = field(default_factory=dict)  # fallback column -> fact column
    label: str = "file"                          # the source in plain words ("Meta Ads export")
    sheets: tuple[str, ...] = ()                 # workbook sheets to read, first found wins


# Google Ads > Campaigns > Download (CSV): a title line and a date-range line before the
# header, "Day" when segmented by day, thousands separators, "--" for none, "Total: ..." rows.
GOOGLE_ADS = Preset(
    "google_ads",
    {"Day": "date", "Campaign": "campaign", "Campaign type": "campaign_type",
     "Impr.": "impressions", "Impressions": "impressions", "Clicks": "clicks", "Cost": "cost",
     "Conversions": "conversions", "Conv. value": "revenue", "Conversion value": "revenue",
     "Currency code": "currency_code"},
    thousands=",", channel="Paid Search",
    channel_by=("campaign_type", {"search": "Paid Search", "display": "Display",
                                  "video": "Paid Video", "shopping": "Paid Shopping",
                                  "performance max": "Cross-network", "demand gen": "Paid Social",
                                  "app": "Cross-network"}),
    required=("date",), label=N_("Google Ads export"),   # a "Campaign type" report has no Campaign
    hint="in Google Ads: Campaigns (or Campaign types) > Segment > Time > Day, then Download > CSV")

# Meta Ads Manager > Reports > Export (CSV or XLSX), broken down by day.
META_ADS = Preset(
    "meta_ads",
    {"Day": "date", "Campaign name": "campaign", "Amount spent (*)": "cost",
     "Impressions": "impressions", "Link clicks": "clicks", "Leads": "conversions",
     "Purchases": "transactions", "Purchases conversion value": "revenue",
     "Currency": "currency_code"},
    channel="Paid Social", required=("date", "campaign"), label=N_("Meta Ads export"),
    alternatives={"Reporting starts": "date", "Reporting ends": "date_end", "Clicks (all)": "clicks"},
    hint="in Meta Ads Manager: Breakdown > By time > Day, then Reports > Export table data")

# GA4 > Reports > Traffic acquisition > Share > Download file (CSV): '#' comment lines
# first, dates as YYYYMMDD.
GA4_EXPORT = Preset(
    "ga4",
    {"Date": "date", "Session default channel group": "channel",
     "Session primary channel group (Default Channel Group)": "channel",
     "Session campaign": "campaign", "Session campaign name": "campaign",
     "Sessions": "sessions", "Engaged sessions": "engaged_sessions", "Views": "pageviews",
     "Key events": "conversions", "Conversions": "conversions", "Transactions": "transactions",
     "Ecommerce purchases": "transactions", "Total revenue": "revenue"},
    date_format="%Y%m%d", thousands=",", required=("date", "channel"), label=N_("GA4 export"),
    hint="in GA4: Reports > Acquisition > Traffic acquisition, add the Date dimension, "
         "then Share this report > Download file > CSV")

# Search Console > Performance > Search results > Export (CSV or Excel): the "Dates" table
# (called "Chart" in older downloads). Organic clicks are not ad clicks (core.measures);
# CTR is recomputed from the sums, never read; Position becomes position x impressions.
SEARCH_CONSOLE = Preset(
    "search_console",
    {"Date": "date", "Clicks": "organic_clicks", "Impressions": "organic_impressions",
     "Position": "position"},
    channel="Organic Search", required=("date", "organic_clicks", "organic_impressions"),
    label=N_("Search Console export"), sheets=("Dates", "Chart"),
    hint="in Search Console: Performance > Search results > Export > Download CSV (use Dates.csv "
         "from the zip) or Download Excel")

PRESETS = {"google_ads": GOOGLE_ADS, "meta_ads": META_ADS, "ga4_export": GA4_EXPORT,
           "search_console": SEARCH_CONSOLE}
# No preset: columns already named like the fact table are taken as they are.
GENERIC = Preset("file", {}, alternatives={c: c for c in FACT_COLUMNS},
                 hint="map your columns with columns: {export name: fact name}")
