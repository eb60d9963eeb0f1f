"""The KPI registry: every KPI declared once, computed as a ratio of sums at every grain.

A KPI is a *base measure* (a sum) or ``numerator / denominator`` where each side is a
sum of base measures with + and - (``revenue - cost``). Ratios are never averaged: at
any grain (period, day, channel) the measures are summed first, then divided. A zero
or missing denominator gives ``None`` (undefined), never 0 or infinity.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Literal, Mapping
from reportkit.core.lazy import lazy

np = lazy("numpy")
pd = lazy("pandas")

Unit = Literal["count", "currency", "percent", "ratio"]
Better = Literal["higher", "lower"]

from reportkit.core.i18n import N_, _, in_sentence
from reportkit.core.measures import PERIOD_MEASURES

_TERM_RE = re.compile(r"\s*([+-]?)\s*([A-Za-z_][A-Za-z0-9_]*)\s*")


def parse_expression(text: str) -> tuple[tuple[int, str], ...]:
    """'revenue - cost' -> ((1, 'revenue'), (-1, 'cost')). Raises ValueError on bad syntax."""
    terms, pos, text = [], 0, str(text).strip()
    if not text:
        raise ValueError("empty expression")
    while pos < len(text):
        match = _TERM_RE.match(text, pos)
        if not match or (terms and not match.group(1)):
            raise ValueError(f"cannot read {text!r}: write measure names joined by + or -, "
                             "e.g. 'revenue - cost'")
        terms.append((-1 if match.group(1) == "-" else 1, match.group(2)))
        pos = match.end()
    return tuple(terms)


@dataclass(frozen=True)
class KPI:
    key: str
    label: str
    numerator: str
    denominator: str | None = None
    unit: Unit = "count"
    better: Better = "higher"
    explain: str = ""
    custom: bool = False
    one: str = ""       # one of a counted result, as read after "per" ("lead"); "" for others
    _num: tuple = field(default=(), repr=False, compare=False)
    _den: tuple = field(default=(), repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "_num", parse_expression(self.numerator))
        object.__setattr__(self, "_den", parse_expression(self.denominator) if self.denominator else ())

    @property
    def one_of(self) -> str:
        """One of this result, for "per …" ("lead", "Anmeldung"): :attr:`one` where the
        registry gives it, else the label as it reads inside a sentence (a custom KPI)."""
        return self.one or in_sentence(self.label)

    @property
    def measures(self) -> set[str]:
        return {name for _, name in self._num + self._den}

    @property
    def daily(self) -> bool:
        """True when the KPI exists at the day and channel grain (a users KPI does not)."""
        return not (self.measures & set(PERIOD_MEASURES))

    @property
    def additive(self) -> bool:
        """True when the KPI is a plain sum that can be split into parts that add up."""
        return not self._den and self.daily

    def evaluate(self, sums: Mapping[str, float | None]) -> float | None:
        """The KPI from summed measures; None when a measure is missing or the denominator is 0."""
        num = _combine(self._num, sums)
        if not self._den:
            return num
        den = _combine(self._den, sums)
        if num is None or den is None or den == 0:
            return None
        return num / den

    def evaluate_frame(self, sums: pd.DataFrame) -> pd.Series:
        """Vectorised :meth:`evaluate` over rows of summed measures (one row per group)."""
        num = _combine_frame(self._num, sums)
        if not self._den:
            return num
        den = _combine_frame(self._den, sums)
        return (num / den.where(den != 0)).astype("float64")


def _combine(terms, sums) -> float | None:
    total = 0.0
    for sign, name in terms:
        value = sums.get(name)
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        total += sign * float(value)
    return total


def _combine_frame(terms, sums: pd.DataFrame) -> pd.Series:
    total = pd.Series(0.0, index=sums.index)
    for sign, name in terms:
        if name not in sums.columns:
            return pd.Series(np.nan, index=sums.index)
        total = total + sign * sums[name].astype("float64")
    return total


REGISTRY: dict[str, KPI] = {k.key: k for k in [
    KPI("sessions", N_("Sessions"), "sessions", explain=N_("Visits to the website.")),
    KPI("users", N_("Users"), "users", explain=N_("People who visited, each counted once in the period.")),
    KPI("pageviews", N_("Page views"), "pageviews", explain=N_("Pages (and app screens) viewed.")),
    KPI("engaged_sessions", N_("Engaged sessions"), "engaged_sessions",
        explain=N_("Visits that lasted over 10 seconds, viewed 2+ pages or converted.")),
    KPI("engagement_rate", N_("Engagement rate"), "engaged_sessions", "sessions", unit="percent",
        explain=N_("Share of visits that were engaged.")),
    KPI("conversions", N_("Conversions"), "conversions", one=N_("conversion"),
        explain=N_("Key actions taken on the site, such as a purchase, a form or a sign-up.")),
    KPI("conversion_rate", N_("Conversion rate"), "conversions", "sessions", unit="percent",
        explain=N_("Share of visits that ended in a conversion.")),
    KPI("transactions", N_("Orders"), "transactions", one=N_("order"), explain=N_("Completed purchases.")),
    KPI("revenue", N_("Revenue"), "revenue", unit="currency", explain=N_("Sales value of the orders.")),
    KPI("aov", N_("Average order value"), "revenue", "transactions", unit="currency",
        explain=N_("Revenue divided by orders: what an order is worth on average.")),
    KPI("impressions", N_("Ad impressions"), "impressions", explain=N_("Times our ads were shown.")),
    KPI("clicks", N_("Ad clicks"), "clicks", explain=N_("Clicks on our ads.")),
    KPI("ctr", N_("Click-through rate"), "clicks", "impressions", unit="percent",
        explain=N_("Share of ad views that led to a click.")),
    KPI("cost", N_("Ad spend"), "cost", unit="currency", better="lower",
        explain=N_("What we spent on advertising.")),
    KPI("cpc", N_("Cost per click"), "cost", "clicks", unit="currency", better="lower",
        explain=N_("Ad spend divided by ad clicks: what one visit from an ad costs.")),
    KPI("cpa", N_("Cost per acquisition (blended)"), "cost", "conversions", unit="currency", better="lower",
        explain=N_("Ad spend divided by all conversions, unpaid channels included: a blended figure, "
                "not what one conversion from an ad costs.")),
    KPI("roas", N_("Return on ad spend"), "revenue", "cost", unit="ratio",
        explain=N_("Revenue for every 1 spent on ads (4.0 means 4 back for each 1 spent).")),
    KPI("organic_clicks", N_("Organic search clicks"), "organic_clicks",
        explain=N_("Clicks from Google's unpaid search results to the website.")),
    KPI("organic_impressions", N_("Search impressions"), "organic_impressions",
        explain=N_("Times the website appeared in Google's unpaid search results.")),
    KPI("organic_ctr", N_("Search click-through rate"), "organic_clicks", "organic_impressions",
        unit="percent", explain=N_("Share of appearances in unpaid search results that led to a click.")),
    KPI("avg_position", N_("Average search position"), "position_sum", "organic_impressions",
        unit="ratio", better="lower",
        explain=N_("Where the website ranked on average in unpaid search results (1 is the top), "
                "weighted by impressions.")),
    KPI("romi", N_("Return on marketing investment"), "revenue - cost", "cost", unit="percent",
        explain=N_("Revenue left after ad spend, as a share of the spend.")),
]}

# Words that depend on the business model: a lead-gen "conversion" is a lead. Each is
# (label, explanation) or, for a counted result, (label, explanation, one of it).
LABELS_BY_MODEL = {
    "leadgen": {"conversions": (N_("Leads"), N_("Enquiries and form fills from the website."), N_("lead")),
                "conversion_rate": (N_("Lead conversion rate"), N_("Share of visits that became a lead.")),
                "cpa": (N_("Cost per lead (blended)"), N_("Ad spend divided by all leads, unpaid channels "
                        "included: a blended figure, not what one lead from an ad costs."))},
    "publisher": {"conversions": (N_("Sign-ups"), N_("Newsletter and membership sign-ups."), N_("sign-up")),
                  "conversion_rate": (N_("Sign-up rate"), N_("Share of visits that ended in a sign-up.")),
                  "cpa": (N_("Cost per sign-up (blended)"), N_("Ad spend divided by all sign-ups, unpaid "
                          "channels included: a blended figure."))},
}

DEFAULT_KPIS = {
    "ecommerce": ["revenue", "transactions", "conversion_rate", "roas", "cost", "cpa", "aov",
                  "sessions", "users"],
    "leadgen": ["conversions", "cpa", "conversion_rate", "cost", "clicks", "cpc", "ctr",
                "sessions", "users"],
    "publisher": ["sessions", "users", "pageviews", "engagement_rate", "conversions",
                  "conversion_rate"],
}


def registry_for(business_model: str, custom: Iterable[KPI] = ()) -> dict[str, KPI]:
    """The registry with business-model wording applied and the client's custom KPIs added;
    built-in labels and explanations in the current locale's language (custom KPIs are
    shown as the params write them)."""
    reg = dict(REGISTRY)
    for key, (label, explain, *one) in LABELS_BY_MODEL.get(business_model, {}).items():
        reg[key] = replace(reg[key], label=label, explain=explain, one=one[0] if one else reg[key].one)
    reg = {key: _in_language(kpi) for key, kpi in reg.items()}
    for kpi in custom:
        reg[kpi.key] = kpi
    return reg


def _in_language(kpi: KPI) -> KPI:
    if kpi.custom:
        return kpi  # the params wrote it: shown as written
    label, explain, one = _(kpi.label), _(kpi.explain), _(kpi.one) if kpi.one else ""
    if (label, explain, one) == (kpi.label, kpi.explain, kpi.one):
        return kpi
    return replace(kpi, label=label, explain=explain, one=one)


def paid_channels(facts: pd.DataFrame) -> list[str]:
    """Channels the data says are paid: those with ad spend (cost > 0) in ``facts``."""
    if "cost" not in facts.columns or facts.empty:
        return []
    spend = facts.groupby("channel", observed=True)["cost"].sum(min_count=1)
    return sorted(str(c) for c in spend[spend > 0].index)


def measure_sums(facts: pd.DataFrame, measures: Iterable[str]) -> dict[str, float | None]:
    """Sum each measure over every row of ``facts``: {measure: total} in the measure's unit
    (a count, or money in the data's currency). A measure absent from the data, or blank in
    every row, is None (never 0); blank cells among recorded ones count as nothing."""
    out = {}
    for name in measures:
        if name in facts.columns:
            total = facts[name].sum(min_count=1)
            out[name] = None if pd.isna(total) else float(total)
        else:
            out[name] = None
    return out


def compute(facts: pd.DataFrame, kpis: Iterable[KPI],
            period_measures: Mapping[str, float | None] | None = None) -> dict[str, float | None]:
    """Each KPI over all rows of ``facts`` (one period), as a ratio of sums: {key: value}.

    Units: a count or money KPI in its measure's unit (money in the data's currency, never
    converted); a ``percent`` or ``ratio`` KPI as a fraction (conversion rate 0.032 = 3.2 %,
    ROAS 4.2 = 4.2× the cost). None when undefined: a denominator that sums to 0, a measure
    the data lacks, or a period-level measure not given — never 0 or infinity.

    ``period_measures`` supplies non-additive measures known only for the whole period
    (``users``); they are never summed from rows.
    """
    kpis = list(kpis)
    names = set().union(*(k.measures for k in kpis)) if kpis else set()
    sums = measure_sums(facts, names - set(PERIOD_MEASURES))
    for name in names & set(PERIOD_MEASURES):
        sums[name] = (period_measures or {}).get(name)
    return {k.key: k.evaluate(sums) for k in kpis}


def as_kpis(items: "str | KPI | Iterable[str | KPI]", registry: Mapping[str, KPI] | None = None) -> list[KPI]:
    """KPI objects from KPI keys (``"cpc"``), KPI objects, or a mix; a single key or KPI is a
    list of one. Keys are looked up in ``registry`` (default: the built-in :data:`REGISTRY`;
    pass ``cfg.registry()`` for a client's wording and custom KPIs). An unknown key is a
    KeyError naming the known ones. The KPIs come back in the order given (duplicates kept).

    >>> [k.key for k in as_kpis(["cpc", REGISTRY["ctr"]])]
    ['cpc', 'ctr']"""
    registry = REGISTRY if registry is None else registry
    if isinstance(items, (str, KPI)):
        items = [items]
    out = []
    for item in items:
        if isinstance(item, KPI):
            out.append(item)
        elif item in registry:
            out.append(registry[item])
        else:
            raise KeyError(f"unknown KPI {item!r}; known: {', '.join(sorted(registry))}")
    return out


def compute_by(facts: pd.DataFrame, by: str | list[str], kpis: "Iterable[KPI | str]",
               registry: Mapping[str, KPI] | None = None) -> pd.DataFrame:
    """KPIs per group (channel, date, ...), each a ratio of the group's sums.

    ``facts``: fact rows (e.g. ``report.slices["current"]``); ``by``: a column name or a list
    of them (the result's index, sorted); ``kpis``: KPI keys or KPI objects (see
    :func:`as_kpis`; ``registry`` as there). One column per KPI key, in the units of
    :func:`compute` (money in the data's currency; rates as fractions, 0.05 = 5 %).

    Undefined values are NaN (pandas' None for a table): a group whose denominator sums to 0
    or is blank, a measure the data lacks, and every KPI needing a period-level measure
    (users: never summed from rows). Never 0 or infinity; ``.isna()`` finds them.

    >>> compute_by(report.slices["current"], "channel", ["cpc", "ctr"])   # doctest: +SKIP
    """
    kpis = as_kpis(kpis, registry)
    names = sorted(set().union(*(k.measures for k in kpis)) & set(facts.columns)) if kpis else []
    grouped = facts.groupby(by, sort=True, observed=True)[names].sum(min_count=1)
    return pd.DataFrame({k.key: k.evaluate_frame(grouped) for k in kpis}, index=grouped.index)


def relative_change(value: float | None, base: float | None) -> float | None:
    """(value - base) / |base| as a fraction (0.05 = +5 %, -0.5 = halved); None when either is
    undefined or base is 0 (no change can be said against nothing)."""
    if value is None or base is None or base == 0:
        return None
    return (value - base) / abs(base)


def absolute_change(value: float | None, base: float | None) -> float | None:
    """value - base, in the KPI's own unit (a rate's change in fraction points: 0.01 = one
    percentage point); None when either is undefined."""
    if value is None or base is None:
        return None
    return value - base


FLAT_BELOW = 0.005  # a relative change smaller than this (0.5 %) is "about the same"


def verdict(better: Better, change: float | None) -> str:
    """'good', 'bad', 'flat' or 'none' (undefined) for a relative change of a KPI whose
    polarity is ``better`` ('higher' or 'lower' is better): a lower cost is good."""
    if change is None:
        return "none"
    if abs(change) < FLAT_BELOW:
        return "flat"
    improved = change > 0 if better == "higher" else change < 0
    return "good" if improved else "bad"
