"""The fact table's vocabulary: its key columns and its measures, declared once.

Only additive measures live in the fact table (docs/architecture.md, "Fact table");
``users`` is known only per period (never summed across days or channels).
"""

from __future__ import annotations

KEY_COLUMNS = ("date", "source", "channel", "campaign")
NOT_SET = "(not set)"            # a row without a campaign
UNKNOWN_CHANNEL = "(unknown)"    # a row without a channel
ADDITIVE_MEASURES = ("sessions", "engaged_sessions", "pageviews", "conversions", "transactions",
                     "revenue", "impressions", "clicks", "cost",
                     *("organic_clicks", "organic_impressions", "position_sum"))
# Organic search (Search Console) has its own measures: its clicks are not ad clicks.
# ``position_sum`` is average position x impressions per row, so the average position of
# any group is a ratio of sums (position_sum / organic_impressions), weighted by impressions.
ORGANIC_MEASURES = ("organic_clicks", "organic_impressions", "position_sum")
# Measures that exist only at the period grain (users are not additive).
PERIOD_MEASURES = ("users",)
KNOWN_MEASURES = frozenset(ADDITIVE_MEASURES) | frozenset(PERIOD_MEASURES)
# Measures a tracking outage zeroes: everything the website's tag counts (ad platforms still count).
TRACKED_MEASURES = ("sessions", "engaged_sessions", "pageviews", "conversions", "transactions", "revenue")
# Measures in money; every other measure is a count (an estimate of a count is a whole number).
CURRENCY_MEASURES = ("revenue", "cost")
# Every column of the canonical fact table, in order.
FACT_COLUMNS = (*KEY_COLUMNS, *ADDITIVE_MEASURES)
