"""What the API sources share: one cached pull per comparison range, and Google keys.

:func:`pull_ranges` is the cache flow of a source that asks its API once per range
(Search Console, Meta Ads, Google Ads): each of the current, previous and year-ago ranges
is one warehouse pull; a usable cached pull is reused and makes no call, the others are
fetched and stored. :func:`records` turns the pulls into the ``data_quality.pulls``
entries, with the calls each made and the quota the platform reported.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

from reportkit.core.i18n import N_, _
from reportkit.errors import ConfigError
from reportkit.paths import file_lock


def ranges(periods) -> dict:
    return {"current": periods.current, "previous": periods.previous, "yoy": periods.yoy}


@contextmanager
def pull_lock(warehouse_path: str | Path, client_id: str, source: str):
    """One pull of a client's source at a time, across processes: a second batch (or ``reportkit
    pull``) that needs the same pulls waits here, then finds the first one's in the warehouse
    and makes no call. One lock file per client and source (beside the warehouse, like the quota
    slots), so other clients are never held up."""
    path = Path(warehouse_path)
    name = hashlib.sha256(f"{client_id}\n{source}".encode()).hexdigest()[:24]
    with file_lock(path.with_name(path.name + ".pulls") / f"{name}.lock"):
        yield


def reusable(cached, fresh_hours: float, refresh: bool, since) -> bool:
    """Can a cached pull be used: by the warehouse's rule (final, or younger than
    ``fresh_hours``), or -- with ``refresh`` -- when it was pulled after ``since`` (the start of
    this load: another process pulled it while this one waited for the lock)."""
    from reportkit.sources import warehouse as _wh
    if cached is None:
        return False
    return cached.pulled_at >= since if refresh else _wh.usable(cached, fresh_hours)


def cached_or_pulled(store, client_id: str, source: str, keys: dict, fresh_hours: float,
                     refresh: bool, fetch_due) -> tuple[dict, set]:
    """({name: Pull}, {names fetched now}) for the warehouse ``keys`` ({name: PullKey}) of one
    client's ``source``: a :func:`reusable` cached pull is taken as it is; if any is due, the
    client's :func:`pull_lock` is taken, what is due is decided again under it (another
    process may have pulled it meanwhile) and ``fetch_due(names)`` fetches and stores those,
    returning their pulls."""
    from reportkit.sources import warehouse as _wh
    since = _wh.utcnow()

    def due(pulls: dict) -> list:
        return [name for name in keys if not reusable(pulls[name], fresh_hours, refresh, since)]

    pulls = {name: store.get(key) for name, key in keys.items()}
    if not due(pulls):
        return pulls, set()
    with pull_lock(store.path, client_id, source):
        pulls = {name: store.get(key) for name, key in keys.items()}
        todo = due(pulls)
        if todo:
            pulls.update(fetch_due(todo))
    return pulls, set(todo)


def pull_ranges(cfg, periods, refresh: bool, source: str, query: str, fetch) -> tuple[dict, set]:
    """({period: Pull}, {periods fetched now}) for ``source`` / ``query`` over every range.

    ``fetch(period, range)`` returns ``(frame, meta, final)``: the rows for the warehouse,
    the metadata to keep (``calls`` and ``quota`` among it) and whether the data is final
    (None: the warehouse's rule, the range ended more than three days before the pull).
    Fetching holds the client's :func:`pull_lock` (:func:`cached_or_pulled`).
    """
    from reportkit.sources import warehouse as _wh  # here: reading params never loads the warehouse
    store = _wh.open_for(cfg)
    rngs = ranges(periods)
    keys = {period: _wh.PullKey(cfg.client_id, source, query, rng.start, rng.end)
            for period, rng in rngs.items()}

    def fetch_due(todo: list) -> dict:
        out = {}
        for period in todo:
            frame, meta, final = fetch(period, rngs[period])
            out[period] = store.put(keys[period], frame, meta, final=final)
        return out

    return cached_or_pulled(store, cfg.client_id, source, keys, cfg.warehouse.fresh_hours, refresh, fetch_due)


def records(pulls: dict, fresh: set, periods) -> list[dict]:
    """The ``data_quality.pulls`` entries: one per range, with calls made and quota seen."""
    rngs = ranges(periods)
    return [{"source": p.key.source, "query": p.key.query, "period": period,
             "start": rngs[period].start.isoformat(), "end": rngs[period].end.isoformat(),
             "pulled_at": p.pulled_at.isoformat(timespec="seconds"), "final": p.final,
             "cached": period not in fresh,
             "calls": int(p.meta.get("calls", 0)) if period in fresh else 0,
             "quota": p.meta.get("quota") or None}
            for period, p in pulls.items()]


def summary(results: list[dict]) -> dict[str, dict]:
    """{source type: {"calls", "pulls", "cached", "quota"}} over every client's pull records.

    ``quota`` is the last quota a platform reported for any of its properties/accounts (GA4:
    tokens left; Meta: the usage headers), None when it reports none.
    """
    out: dict[str, dict] = {}
    for result in results:
        for record in result.get("pulls") or []:
            kind = str(record.get("source", "")).split(":", 1)[0]
            entry = out.setdefault(kind, {"calls": 0, "pulls": 0, "cached": 0, "quota": None})
            entry["calls"] += int(record.get("calls") or 0)
            entry["cached" if record.get("cached") else "pulls"] += 1
            if record.get("quota") and not record.get("cached"):
                entry["quota"] = record["quota"]
    return out


PERIOD_WORDS = {"current": N_("this period"), "previous": N_("the previous period"), "yoy": N_("last year")}


def finding(source: str, kind: str, level: str, period: str, message: str) -> dict:
    """A data-quality finding (the shape of ``analysis.quality`` findings) from ``source``."""
    return {"level": level, "period": period, "message": message, "source": source, "kind": kind}


def account_findings(source: str, name: str, account: str, money: str, currency: str,
                     time_zone: str | None, pulls: dict) -> list[dict]:
    """An ad account's empty ranges, other currency and other time zone, once each.

    ``name``: the platform ("Google Ads"); ``account``: its account in words ("Google Ads
    account"); ``money``: its money measures in words ("cost and conversion value"); both
    marked for translation by the caller (``N_``) and translated here.
    """
    account, money = _(account), _(money)
    out: dict[tuple, dict] = {}
    for period, pull in pulls.items():
        meta = pull.meta
        if meta.get("row_count") == 0:
            out[("empty", period)] = finding(source, "empty", "warning", period, _(
                "{platform} returned no campaign data for {period}.").format(
                    platform=name, period=_(PERIOD_WORDS[period])))
        theirs = meta.get("currency")
        if theirs and theirs != currency:
            out[("currency",)] = finding(
                source, "currency", "warning", "all", _(
                    "The {account} reports money in {theirs}, but this report is in {currency}: its "
                    "{money} are in {theirs}, not converted.").format(
                        account=account, theirs=theirs, currency=currency, money=money))
        zone = meta.get("time_zone")
        if zone and time_zone and zone != time_zone:
            out[("time_zone",)] = finding(
                source, "time_zone", "warning", "all", _(
                    "The {account} counts days in the {zone} time zone, not {expected} as expected: "
                    "days start and end at other hours.").format(account=account, zone=zone, expected=time_zone))
    return list(out.values())


def service_account(env_names: tuple[str, ...], scope: str, what: str, access: str):
    """Google service-account credentials from the key file the first set variable names.

    ``what`` names the platform in messages; ``access`` says what access the account needs.
    """
    name = next((n for n in env_names if os.environ.get(n)), None)
    if name is None:
        raise ConfigError(f"{what} credentials", "no credentials found in the environment",
                          f"set {env_names[-1]} (or {', '.join(env_names[:-1])}) to the path of a "
                          f"service-account JSON key that has {access}; never put the key in params")
    path = Path(os.environ[name]).expanduser()
    if not path.is_file():
        raise ConfigError(f"environment variable {name}", f"names {path}, which is not a file",
                          "point it at the service account's JSON key file")
    from google.oauth2 import service_account as _sa
    try:
        return _sa.Credentials.from_service_account_file(str(path), scopes=[scope])
    except (ValueError, KeyError) as error:
        raise ConfigError(f"environment variable {name} ({path})",
                          f"is not a service-account key: {error}",
                          "download a JSON key for the service account from Google Cloud") from None
