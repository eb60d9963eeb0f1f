"""Several sources per client, merged into one fact table without double counting.

Params: ``sources: [...]`` (instead of ``source``). Each entry may say ``owns: [measures]``.
A measure owned by one source is taken from that source only; the same column from the
other sources is dropped (GA4 and Google Ads both carry clicks: count them once). A
measure that two sources carry and nobody owns is an error, not a silent sum.
Rows keep their ``source`` column, so every figure can be traced to where it came from.
"""

from __future__ import annotations

from reportkit.errors import ConfigError, DataError
from reportkit.core.measures import ADDITIVE_MEASURES, KEY_COLUMNS
from reportkit.sources.registry import SourceData
from reportkit.core.lazy import lazy

pd = lazy("pandas")

def _carried(frame: pd.DataFrame) -> list[str]:
    return [m for m in ADDITIVE_MEASURES if m in frame.columns and frame[m].notna().any()]


def merge(parts: list[tuple[object, SourceData]], where: str = "sources") -> SourceData:
    """One SourceData from (source params, data) pairs; see the module docstring for the rules."""
    owned = {m: i for i, (src, _) in enumerate(parts) for m in (src.owns or [])}
    carriers: dict[str, list[int]] = {}
    for i, (_, data) in enumerate(parts):
        for m in _carried(data.facts):
            carriers.setdefault(m, []).append(i)
    for measure, who in carriers.items():
        if len(who) > 1 and measure not in owned:
            names = " and ".join(f"sources[{i}] ({parts[i][0].type})" for i in who)
            raise DataError(f"{where}: measure '{measure}'", f"{names} both carry {measure}; adding "
                            "them would count it twice",
                            f"add owns: [{measure}] to the source that should supply it")
    frames = []
    for i, (_, data) in enumerate(parts):
        frame = data.facts
        drop = [m for m in ADDITIVE_MEASURES if m in frame.columns and owned.get(m, i) != i]
        frame = frame.drop(columns=drop)
        measures = [m for m in ADDITIVE_MEASURES if m in frame.columns]
        if measures:  # a source left with no measure adds no rows
            frames.append(frame)
    facts = pd.concat(frames, ignore_index=True) if frames else parts[0][1].facts.iloc[0:0]
    dupes = facts.duplicated(list(KEY_COLUMNS))
    if dupes.any():
        row = facts[dupes].iloc[0]
        raise DataError(f"{where}: source '{row['source']}'", "two sources write rows with the "
                        f"same source name for date {row['date']:%Y-%m-%d}, {row['channel']}, "
                        f"{row['campaign']}", "give each file source its own source_name")
    facts = facts.sort_values(list(KEY_COLUMNS), kind="stable").reset_index(drop=True)
    users_from = owned.get("users")
    with_users = [i for i, (_, d) in enumerate(parts) if d.users is not None and not d.users.empty]
    if users_from is None and len(with_users) > 1:
        raise DataError(f"{where}: users", "several sources carry period users",
                        "add owns: [users] to the source that should supply them")
    pick = users_from if users_from is not None else (with_users[0] if with_users else None)
    out = SourceData(facts, parts[pick][1].users if pick is not None else None,
                     origin="; ".join(d.origin for _, d in parts))
    for _, data in parts:
        out.findings += data.findings
        out.pulls += data.pulls
        out.columns += data.columns
    return out


def load_many(cfg, periods, refresh: bool = False) -> SourceData:
    parts = [(src, src.load(cfg, periods, refresh=refresh)) for src in cfg.sources]
    if not parts:
        raise ConfigError("sources", "the list is empty", "list at least one source")
    return merge(parts)
