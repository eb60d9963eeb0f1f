"""Talking to the Search Console API (``google-api-python-client``): paging, retries, errors.

The client is built from the discovery document bundled with the library
(``static_discovery=True``: no network call to discover the API). One
``searchanalytics.query`` call returns at most 25,000 rows; the next page starts at
``startRow`` = rows so far, until a page comes back short.
"""

from __future__ import annotations

import os

from reportkit.errors import ConfigError, SourceError
from reportkit.sources.quota import CAPS, Gate, backoff_s

ENV_ENDPOINT = "REPORTKIT_SEARCH_CONSOLE_ENDPOINT"
ENV_KEYS = ("REPORTKIT_SEARCH_CONSOLE_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS")
SCOPE = "https://www.googleapis.com/auth/webmasters.readonly"
MAX_ROWS = 25_000          # the API's most rows a request
MAX_RETRIES = 3
RETRY_INITIAL_S = 0.5
RETRY_MAXIMUM_S = 8.0
TIMEOUT_S = 60


def make_service():
    """A ``searchconsole`` v1 service from the environment, never from params.

    ``REPORTKIT_SEARCH_CONSOLE_ENDPOINT`` (a root URL such as ``http://127.0.0.1:8080/``)
    points it at another server (a proxy, a test server) without credentials; otherwise
    the service-account key named by ``REPORTKIT_SEARCH_CONSOLE_CREDENTIALS`` or
    ``GOOGLE_APPLICATION_CREDENTIALS``.
    """
    from googleapiclient.discovery import build
    endpoint = os.environ.get(ENV_ENDPOINT)
    if endpoint:
        import httplib2
        return build("searchconsole", "v1", http=httplib2.Http(timeout=TIMEOUT_S),
                     static_discovery=True, cache_discovery=False,
                     client_options={"api_endpoint": endpoint.rstrip("/") + "/"})
    from reportkit.sources.pulling import service_account
    creds = service_account(ENV_KEYS, SCOPE, "Search Console",
                            "access to the site (Search Console > Settings > Users and permissions)")
    return build("searchconsole", "v1", credentials=creds, static_discovery=True,
                 cache_discovery=False)


def _status_and_text(error) -> tuple[int, str]:
    status = int(getattr(getattr(error, "resp", None), "status", 0) or 0)
    reason = error._get_reason() if hasattr(error, "_get_reason") else str(error)
    return status, str(reason)


def _explain(error, site: str, calls: int):
    where = f"Search Console site {site}"
    status, text = _status_and_text(error)
    if status == 401:
        return ConfigError(where, f"authentication failed: {text}",
                           "check the key named by REPORTKIT_SEARCH_CONSOLE_CREDENTIALS or "
                           "GOOGLE_APPLICATION_CREDENTIALS")
    if status == 403:
        return ConfigError(where, f"permission denied: {text}",
                           "add the service account's e-mail as a user of the property in Search "
                           "Console > Settings > Users and permissions, and check source.site_url "
                           "(https://www.example.com/ or sc-domain:example.com)")
    if status in (400, 404):
        return ConfigError(where, f"the API refused the request: {text}",
                           "check source.site_url and source.breakdown")
    if exhausted(status, text):
        return SourceError(where, f"the quota is used up: {text}",
                           "Search Console's short-term load quota recovers within about 15 minutes, "
                           "the daily one at midnight Pacific time; run this client again after that "
                           "(pulls already made are kept in the warehouse)")
    if status:
        return SourceError(where, f"the API failed after {calls} attempts: {text}",
                           "Google may be having problems: run this client again later")
    return SourceError(where, f"the API could not be reached: {error}",
                       f"check the network connection (and {ENV_ENDPOINT} if set)")


def exhausted(status: int, text: str) -> bool:
    """A 429 that says a quota is used up (not worth retrying) rather than 'slow down'."""
    return status == 429 and "quota" in text.lower()


def _transient(status: int, text: str) -> bool:
    return status in (500, 502, 503, 504) or (status == 429 and not exhausted(status, text))


def query(service, gate: Gate, site: str, body: dict, counter: dict) -> dict:
    """One ``searchanalytics.query`` call, retried with shared back-off when transient."""
    from googleapiclient.errors import HttpError
    for attempt in range(MAX_RETRIES + 1):
        with gate.slot():
            counter["calls"] += 1
            try:
                return service.searchanalytics().query(siteUrl=site, body=body).execute()
            except HttpError as error:
                status, text = _status_and_text(error)
                if not _transient(status, text) or attempt == MAX_RETRIES:
                    raise _explain(error, site, counter["calls"]) from None
            except OSError as error:
                raise _explain(error, site, counter["calls"]) from None
        # every worker on this site waits it out in its next gate.slot()
        gate.back_off(backoff_s(attempt, RETRY_INITIAL_S, RETRY_MAXIMUM_S))
    raise AssertionError("unreachable")


def fetch(service, warehouse_path, src, start: str, end: str) -> tuple[list[dict], dict]:
    """(rows, meta) for one date range: every page, and the response metadata."""
    gate = Gate.beside(warehouse_path, f"search_console:{src.site_url}", CAPS["search_console"])
    dims = ["date", *([src.breakdown] if src.breakdown else [])]
    counter = {"calls": 0}
    rows: list[dict] = []
    incomplete = None
    while True:
        body = {"startDate": start, "endDate": end, "dimensions": dims, "type": src.search_type,
                "dataState": src.data_state, "rowLimit": src.page_size, "startRow": len(rows)}
        response = query(service, gate, src.site_url, body, counter)
        page = response.get("rows") or []
        incomplete = incomplete or (response.get("metadata") or {}).get("firstIncompleteDate")
        rows += [{**dict(zip(dims, r.get("keys", []))), "clicks": r.get("clicks", 0),
                  "impressions": r.get("impressions", 0), "position": r.get("position", 0)}
                 for r in page]
        if len(page) < src.page_size:
            break
    return rows, {"calls": counter["calls"], "first_incomplete_date": incomplete,
                  "row_count": len(rows), "data_state": src.data_state}
