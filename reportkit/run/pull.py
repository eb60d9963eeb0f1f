"""``reportkit pull``: fill the warehouse for many clients, in parallel, and sum up the calls.

Each client is pulled in a worker process (forked, like the batch's): the platforms' limits
are shared between them by :mod:`reportkit.sources.quota` (request slots and back-off
beside the warehouse), so more workers never mean more concurrent requests to one property
or account than its cap. :func:`summary` adds up, per source, the API calls made and the
latest quota the platform reported (:func:`reportkit.sources.pulling.summary`).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from reportkit.sources.pulling import summary  # noqa: F401 - the CLI reads it from here


# Imported once by the parent before it forks the workers (each would import them again).
PRELOAD = ("reportkit.sources", "google.analytics.data_v1beta", "reportkit.sources.ga4.api",
           "googleapiclient.discovery", "reportkit.sources.search_console.api",
           "facebook_business.api", "reportkit.sources.meta_ads.api",
           "google.ads.googleads.client", "reportkit.sources.google_ads.api")


def preload() -> None:
    import importlib
    from reportkit.sources import discover
    discover()
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:     # a platform library that is not installed: its source says so
            continue


def pull_one(path: str, refresh: bool) -> dict:
    """One client's pull: its result, or ``{"error": ReportkitError}`` (never raises one)."""
    from reportkit import config
    from reportkit.errors import ReportkitError
    from reportkit.sources import pull
    try:
        return {"path": path, **pull(config.load(path), refresh=refresh)}
    except ReportkitError as error:
        return {"path": path, "error": error}


def pull_many(files: list[Path], refresh: bool = False, workers: int = 1):
    """Yield each client's :func:`pull_one` result as it finishes."""
    paths = [str(f) for f in files]
    if workers <= 1 or len(paths) <= 1:
        for path in paths:
            yield pull_one(path, refresh)
        return
    preload()
    with ProcessPoolExecutor(max_workers=min(workers, len(paths)),
                             mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(pull_one, path, refresh) for path in paths]
        for future in as_completed(futures):
            yield future.result()


def quota_words(kind: str, quota: dict | None) -> str:
    """A platform's quota report in a few words."""
    if not quota:
        return "no quota reported"
    if kind == "ga4":
        parts = [f"{quota[k]['remaining']:,} tokens left {w}" for k, w in
                 (("tokens_per_day", "today"), ("tokens_per_hour", "this hour")) if k in quota]
        return ", ".join(parts) or "no quota reported"
    if kind == "meta_ads":
        from reportkit.sources.meta_ads.api import busy_pct
        return f"{busy_pct(quota):.0f}% of Meta's rate limit used"
    return ", ".join(f"{k}: {v}" for k, v in quota.items())
