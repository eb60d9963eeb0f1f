"""The embedded demo data: three deterministic clients with 27+ months of daily facts.

Realistic enough for a report to have something true to say: weekly and yearly
seasonality, growth and decline by channel, a campaign launched mid-way, and a
tracking outage of a few days (sessions and conversions missing while ad cost runs on).
Users are not additive, so they come separately, one row per calendar month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import Field

from reportkit.core.i18n import _
from reportkit.core.measures import TRACKED_MEASURES
from reportkit.paths import resolve_path, write_atomic
from reportkit.errors import ConfigError
from reportkit.sources.canonical_csv import read_facts_csv, read_users_csv
from reportkit.sources.registry import Source, SourceData
from reportkit.core.lazy import lazy

np = lazy("numpy")
pd = lazy("pandas")

FIRST_DAY = date(2024, 8, 1)
LAST_DAY = date(2026, 11, 20)   # the demo "today" is 2026-11-21: November is half-way


@dataclass(frozen=True)
class Stream:
    """One channel x campaign: a daily session rate and how those sessions behave."""

    channel: str
    campaign: str
    sessions_per_day: float
    growth_per_year: float = 0.0      # 0.15 = +15 % a year; -0.3 = a channel in decline
    conversion_rate: float = 0.01
    order_value: float = 0.0          # e-commerce only
    cpc: float = 0.0                  # paid streams: cost per click
    ctr: float = 0.0                  # paid streams: clicks per impression
    engaged_share: float = 0.62
    pages_per_session: float = 2.4
    launch: date | None = None        # no rows before the launch date
    weekday_boost: int | None = None  # e.g. newsletter day (0 = Monday)


@dataclass(frozen=True)
class DemoClient:
    client_id: str
    business_model: str
    seed: int
    month_shape: tuple[float, ...]    # yearly seasonality, Jan..Dec
    week_shape: tuple[float, ...]     # Mon..Sun
    outage: tuple[date, date]         # tracking outage (inclusive)
    sessions_per_user: float
    streams: tuple[Stream, ...]


NS = "(not set)"
DEMO_CLIENTS = {c.client_id: c for c in [
    DemoClient(
        "acme_outdoor", "ecommerce", 11,
        (0.85, 0.80, 0.90, 1.00, 1.10, 1.15, 1.05, 0.95, 0.95, 1.00, 1.25, 1.35),
        (1.00, 0.98, 0.97, 0.96, 0.95, 1.08, 1.12),
        (date(2026, 10, 13), date(2026, 10, 15)), 1.32,
        (Stream("Organic Search", NS, 900, 0.18, 0.018, 85),
         Stream("Paid Search", "Brand Search", 260, 0.05, 0.045, 90, cpc=0.35, ctr=0.18),
         Stream("Paid Search", "Generic Search", 380, 0.0, 0.016, 80, cpc=0.95, ctr=0.045),
         Stream("Paid Search", "Performance Max", 300, 0.10, 0.022, 95, cpc=0.70, ctr=0.03,
                launch=date(2026, 3, 2)),
         Stream("Paid Social", "Prospecting", 420, -0.05, 0.008, 70, cpc=0.55, ctr=0.011,
                engaged_share=0.45),
         Stream("Email", "Newsletter", 160, 0.10, 0.040, 75, weekday_boost=1),
         Stream("Referral", NS, 140, -0.35, 0.012, 80),
         Stream("Direct", NS, 500, 0.08, 0.020, 88))),
    DemoClient(
        "northwind_b2b", "leadgen", 22,
        (1.00, 1.05, 1.10, 1.00, 1.00, 0.95, 0.85, 0.75, 1.05, 1.10, 1.05, 0.70),
        (1.10, 1.15, 1.12, 1.08, 0.95, 0.35, 0.30),
        (date(2025, 6, 10), date(2025, 6, 13)), 1.45,
        (Stream("Organic Search", NS, 420, 0.12, 0.012),
         Stream("Paid Search", "Brand", 60, 0.03, 0.050, cpc=1.20, ctr=0.20),
         Stream("Paid Search", "Generic - Software", 180, 0.0, 0.018, cpc=4.50, ctr=0.05),
         Stream("Paid Social", "LinkedIn ABM", 90, 0.20, 0.012, cpc=6.00, ctr=0.006,
                launch=date(2025, 9, 1)),
         Stream("Display", "Remarketing", 150, -0.45, 0.004, cpc=0.60, ctr=0.004,
                engaged_share=0.35),
         Stream("Email", "Nurture", 50, 0.05, 0.030, weekday_boost=3),
         Stream("Direct", NS, 200, 0.06, 0.015),
         Stream("Referral", NS, 60, 0.0, 0.010))),
    DemoClient(
        "daily_gazette", "publisher", 33,
        (1.10, 1.05, 1.05, 1.00, 0.95, 0.90, 0.85, 0.85, 0.95, 1.00, 1.10, 0.95),
        (1.05, 1.06, 1.05, 1.04, 1.00, 0.88, 0.92),
        (date(2026, 9, 21), date(2026, 9, 23)), 1.85,
        (Stream("Organic Search", NS, 9000, 0.06, 0.0015, pages_per_session=1.8),
         Stream("Organic Social", NS, 4000, -0.30, 0.0010, engaged_share=0.40, pages_per_session=1.3),
         Stream("Direct", NS, 6000, 0.04, 0.0020, engaged_share=0.75, pages_per_session=3.1),
         Stream("Email", "Daily Briefing", 2500, 0.15, 0.0005, engaged_share=0.80, pages_per_session=2.6),
         Stream("Referral", NS, 1500, 0.0, 0.0010),
         Stream("Paid Social", "Subscriber Drive", 800, 0.0, 0.0060, cpc=0.25, ctr=0.009,
                launch=date(2026, 9, 1), engaged_share=0.50))),
]}


def _season(days: pd.DatetimeIndex, month_shape) -> np.ndarray:
    """Smooth yearly shape: month factors at mid-month, interpolated by day of year."""
    anchors = np.array([15.5 + 30.44 * i for i in range(12)])
    doy = days.day_of_year.to_numpy(dtype=float)
    xs = np.concatenate([anchors - 365.25, anchors, anchors + 365.25])
    ys = np.tile(np.asarray(month_shape), 3)
    return np.interp(doy, xs, ys)


def _stream_rows(client: DemoClient, stream: Stream, days: pd.DatetimeIndex,
                 rng: np.random.Generator) -> pd.DataFrame:
    if stream.launch:
        days = days[days >= pd.Timestamp(stream.launch)]
    years = (days - pd.Timestamp(FIRST_DAY)).days.to_numpy() / 365.25
    week = np.asarray(client.week_shape)[days.day_of_week]
    if stream.weekday_boost is not None:
        week = np.where(days.day_of_week == stream.weekday_boost, week * 2.2, week * 0.8)
    rate = stream.sessions_per_day * (1 + stream.growth_per_year) ** years
    rate = rate * _season(days, client.month_shape) * week
    if stream.launch:  # a new campaign ramps up over its first four weeks
        ramp = np.clip((days - pd.Timestamp(stream.launch)).days.to_numpy() / 28, 0.15, 1.0)
        rate = rate * ramp
    n = len(days)
    sessions = rng.poisson(rate)
    out = {"date": days, "channel": stream.channel, "campaign": stream.campaign,
           "sessions": sessions,
           "engaged_sessions": rng.binomial(sessions, stream.engaged_share),
           "pageviews": np.round(sessions * stream.pages_per_session
                                 * rng.lognormal(0, 0.05, n)).astype(int)}
    cvr = np.clip(stream.conversion_rate * rng.lognormal(0, 0.15, n), 0, 1)
    conversions = rng.binomial(sessions, cvr)
    out["conversions"] = conversions
    if client.business_model == "ecommerce":
        out["transactions"] = conversions
        shape = 4.0  # order values vary; a day's revenue is a sum of its orders
        revenue = rng.gamma(np.maximum(conversions, 1) * shape, stream.order_value / shape)
        out["revenue"] = np.where(conversions > 0, np.round(revenue, 2), 0.0)
    if stream.cpc:
        clicks = np.round(sessions * rng.uniform(1.03, 1.10, n)).astype(int)
        out["clicks"] = clicks
        out["impressions"] = np.round(clicks / (stream.ctr * rng.lognormal(0, 0.08, n))).astype(int)
        seasonal_cpc = _season(days, client.month_shape) ** 0.5  # auctions get dearer in peaks
        out["cost"] = np.round(clicks * stream.cpc * seasonal_cpc * rng.lognormal(0, 0.06, n), 2)
    return pd.DataFrame(out)


def generate(client: DemoClient) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(facts, monthly users) for one demo client; the same every time."""
    rng = np.random.default_rng(client.seed)
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    facts = pd.concat([_stream_rows(client, s, days, rng) for s in client.streams], ignore_index=True)
    facts.insert(1, "source", "demo")
    outage = facts["date"].between(pd.Timestamp(client.outage[0]), pd.Timestamp(client.outage[1]))
    for col in TRACKED_MEASURES:
        if col in facts.columns:
            facts.loc[outage, col] = 0
    facts = facts.sort_values(["date", "channel", "campaign"], kind="stable").reset_index(drop=True)

    monthly = facts.groupby(facts["date"].dt.to_period("M"))["sessions"].sum()
    full_months = [m for m in monthly.index if m.end_time.normalize() <= pd.Timestamp(LAST_DAY)]
    users = pd.DataFrame({
        "start": [m.start_time.date().isoformat() for m in full_months],
        "end": [m.end_time.date().isoformat() for m in full_months],
        "users": [int(round(monthly[m] / (client.sessions_per_user * rng.uniform(0.97, 1.03))))
                  for m in full_months]})
    facts["date"] = facts["date"].dt.strftime("%Y-%m-%d")
    return facts, users


def demo_paths(client_id: str, folder: Path | None = None) -> tuple[Path, Path]:
    folder = folder or resolve_path("data/demo")
    return folder / f"{client_id}.csv", folder / f"{client_id}_users.csv"


def ensure_demo_data(client_id: str, folder: Path | None = None) -> tuple[Path, Path]:
    """Write the demo client's CSVs if they are missing; return their paths."""
    if client_id not in DEMO_CLIENTS:
        raise ConfigError(f"source.type demo, client_id {client_id!r}",
                          f"the demo source has no client {client_id!r}",
                          f"use one of {', '.join(DEMO_CLIENTS)}, or set source: {{type: csv, path: ...}}")
    facts_path, users_path = demo_paths(client_id, folder)
    if not (facts_path.is_file() and users_path.is_file()):
        facts_path.parent.mkdir(parents=True, exist_ok=True)
        facts, users = generate(DEMO_CLIENTS[client_id])
        for frame, path in ((facts, facts_path), (users, users_path)):
            # atomic: parallel runs never read half a file
            write_atomic(path, lambda tmp, frame=frame: frame.to_csv(tmp, index=False))
    return facts_path, users_path


class DemoSource(Source):
    """The embedded demo data: generated into ``data/demo/<client_id>.csv`` when missing."""

    type: Literal["demo"] = "demo"
    path: str | None = Field(None, description="Facts CSV; default data/demo/<client_id>.csv")
    users_path: str | None = Field(None, description="Period users CSV; default data/demo/<client_id>_users.csv")

    def load(self, cfg, periods, refresh: bool = False) -> SourceData:
        if self.path:
            facts_path = resolve_path(self.path)
            users_path = resolve_path(self.users_path) if self.users_path else None
        else:
            facts_path, users_path = ensure_demo_data(cfg.client_id)
        users = read_users_csv(users_path) if users_path else None
        return SourceData(read_facts_csv(facts_path, default_source="demo"), users,
                          origin=_("reportkit demo data (generated, not a real business)"))
