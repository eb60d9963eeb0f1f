"""Error text for params that do not validate: which file and key, what is wrong, the fix."""

from __future__ import annotations

import re

from pydantic import ValidationError

from reportkit.config.client import ClientConfig
from reportkit.errors import ConfigError
from reportkit.sources import registry as _sources

FIXES = {
    "client_id": "use lower-case letters, digits, '_' or '-', e.g. client_id: acme_shop",
    "client_name": "set the name shown on the report, e.g. client_name: Acme Shop",
    "business_model": "use one of: ecommerce, leadgen, publisher",
    "period": "write the month as YYYY-MM, e.g. period: \"2026-10\", or last_month, last_quarter, "
              "month_to_date, or use start: and end:",
    "start": "write dates as YYYY-MM-DD, e.g. start: \"2026-10-01\"",
    "end": "write dates as YYYY-MM-DD, e.g. end: \"2026-10-31\"",
    "currency": "use a three-letter ISO code in capitals, e.g. currency: EUR",
    "source": "e.g. source: {type: demo} or source: {type: csv, path: data/acme.csv}",
    "sources": "a list of sources, e.g. [{type: ga4, property_id: \"123\"}, "
               "{type: file, preset: google_ads, path: data/ads.csv, owns: [cost, clicks, impressions]}]",
    "warehouse": "e.g. warehouse: {path: data/warehouse.duckdb, fresh_hours: 24}",
    "kpis": "list KPI keys from the README's KPI table, or declare it under custom_kpis",
    "custom_kpis": "each needs key, label, numerator (and optional denominator), e.g. "
                   "{key: rps, label: Revenue per session, numerator: revenue, denominator: sessions}",
    "agency": "e.g. agency: {name: Our Agency, accent_color: \"#1f5fa8\"}",
    "as_of": "write the date as YYYY-MM-DD",
    "work": "e.g. work: {log: data/work/acme/work_log.csv, plan: data/work/acme/plan.csv, "
            "action_items: data/work/acme/action_items.csv, communication: data/work/acme/communication.yaml}",
    "pdf": "e.g. pdf: {enabled: true, paper: A4, cover: false} (paper: A4 or Letter; cover: true or false)",
    "goals": "each goal needs id, name, kpi, start, deadline and target; see README 'Goals'",
    "industry": "an industry name from data/benchmarks/*.csv, e.g. industry: Apparel",
    "benchmarks": "e.g. benchmarks: [{kpi: cpc, value: 0.8, label: Agency portfolio median}]",
    "budget": "e.g. budget: {monthly: 30000, channels: {Paid Search: 20000}}",
    "material_change": "a fraction, e.g. material_change: 0.05 for 5%",
}


def _short(value, limit: int = 80) -> str:
    """An input as quoted in a message: never the whole of a long one."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def explain(error: ValidationError, where: str) -> ConfigError:
    first = error.errors()[0]
    loc = [str(p) for p in first["loc"] if not str(p).startswith("function-after")]
    # Discriminated unions add the tag ('demo', 'csv') to the location; drop it.
    loc = [p for p in loc if p not in set(_sources.types())] or ["(file)"]
    key = ".".join(loc)
    message = re.sub(r"^(Value error|Assertion failed), ", "", first["msg"])
    if len(message) > 500:
        message = message[:500] + "..."
    if first["type"] == "union_tag_invalid":
        tag = first.get("ctx", {}).get("tag")
        message = f"unknown source type {tag!r}; known types: {', '.join(_sources.types())}"
        fix = FIXES.get(loc[0], "see the params reference in README.md")
    elif first["type"] == "extra_forbidden":
        fields = ", ".join(ClientConfig.model_fields) if len(loc) == 1 else ""
        message = "unknown key" + (f"; known keys: {fields}" if fields else "")
        fix = "remove it or correct its spelling"
    elif first["type"] == "missing":
        message = "required key is missing"
        fix = FIXES.get(loc[0], "add it")
    else:
        if "input" in first and first["type"] not in ("value_error",):
            message += f" (got {_short(first['input'])})"
        fix = FIXES.get(loc[0], "see the params reference in README.md")
    more = len(error.errors()) - 1
    if more:
        fix += f"  ({more} more problem{'s' if more > 1 else ''} after this one)"
    return ConfigError(f"{where}: key '{key}'", message, fix)
