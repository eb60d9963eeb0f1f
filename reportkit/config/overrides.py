"""One batch's overrides of every client's period: ``reportkit run --all --period last-month``.

The batch resolves a relative period (``last-month``, ``last_quarter``, ``month_to_date``, in
the command line or in a params file) to a concrete month or range once, in the parent, as
of ``--as-of`` or the client's ``as_of`` or today; every worker then renders exactly that
period (a batch that runs over midnight cannot split across two months). The params file is
not changed; the manifest and the folder names are those of the resolved period.
"""

from __future__ import annotations

import os
from datetime import date

from reportkit.config.client import ClientConfig
from reportkit.config.load import read_params, validate
from reportkit.core import periods as _periods
from reportkit.errors import ConfigError

RANGE_KEYS = ("period", "start", "end")


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None  # the params' own as_of is checked (and explained) by validate()


def resolve(values: dict, period: str | None = None, as_of: date | None = None) -> dict:
    """The concrete overrides for one client's raw params ``values``.

    ``period``: a month YYYY-MM or a relative period for every client (None: the client's
    own); ``as_of``: the report date for every client (None: the client's own). A relative
    period, given here or in ``values``, becomes ``{"period": "YYYY-MM"}`` or
    ``{"start": ..., "end": ...}`` as of ``as_of`` / the client's ``as_of`` / today."""
    out: dict = {}
    if as_of is not None:
        out["as_of"] = as_of.isoformat()
    wanted = period if period is not None else (values.get("period") if isinstance(values, dict) else None)
    if wanted is None or (period is None and not _periods.relative_name(wanted)):
        return out
    anchor = as_of or _as_date(values.get("as_of") if isinstance(values, dict) else None) or date.today()
    try:
        _periods.check_period(str(wanted))
        month, start, end = (_periods.resolve_relative(wanted, anchor) if _periods.relative_name(wanted)
                             else (str(wanted), None, None))
    except ValueError as error:
        raise ConfigError("--period" if period is not None else "key 'period'", str(error),
                          "use --period last-month, --period YYYY-MM, last_quarter or month_to_date") from None
    if month:
        out["period"] = month
    else:
        out["start"], out["end"] = start.isoformat(), end.isoformat()
    return out


def apply(values: dict, overrides: dict) -> dict:
    """``values`` with ``overrides`` over them (a new period drops the old period/start/end)."""
    if not overrides or not isinstance(values, dict):
        return values
    merged = dict(values)
    if set(RANGE_KEYS) & overrides.keys():
        for key in RANGE_KEYS:
            merged.pop(key, None)
    merged.update(overrides)
    return merged


def load(path: str | os.PathLike, overrides: dict | None = None) -> ClientConfig:
    """A params file validated with ``overrides`` applied (the batch's resolved period)."""
    return validate(apply(read_params(path), overrides or {}), where=str(path))
