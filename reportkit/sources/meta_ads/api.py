"""Talking to the Meta Marketing API (``facebook-business``): paging, async jobs, throttling.

Every request goes through ``FacebookAdsApi.call`` one at a time, so each holds a shared
slot of the ad account (:class:`reportkit.sources.quota.Gate`), is retried when Meta says
"slow down" and has its usage headers read:

- ``x-business-use-case-usage`` (per business, per use case: ``call_count``,
  ``total_cputime``, ``total_time`` in percent and ``estimated_time_to_regain_access`` in
  minutes) and ``x-fb-ads-insights-throttle`` (``app_id_util_pct``, ``acc_id_util_pct``).
- Rate-limit errors (codes 4, 17, 32, 613, 80000-80014) are retried with back-off shared
  by every worker, unless Meta says access returns only in some minutes: then the client
  fails at once, saying when to run it again.
- An invalid or expired token (code 190) and missing permissions (10, 200-299) are
  configuration errors.
"""

from __future__ import annotations

import json
import os
import time

from reportkit.errors import ConfigError, SourceError
from reportkit.sources.quota import CAPS, Gate, backoff_s

ENV_TOKEN = "REPORTKIT_META_ACCESS_TOKEN"
ENV_ENDPOINT = "REPORTKIT_META_ENDPOINT"
RATE_LIMIT_CODES = {4, 17, 32, 613, *range(80000, 80015)}
TRANSIENT_CODES = {1, 2}
MAX_RETRIES = 3
RETRY_INITIAL_S = 1.0
RETRY_MAXIMUM_S = 30.0
BUSY_PCT = 75              # account usage above this: every worker slows down
POLL_S = 2.0               # async report jobs: wait between status checks
POLL_MAX = 150             # ... at most this many times
TIMEOUT_S = 60


def make_api():
    """A ``FacebookAdsApi`` from the environment, never from params.

    The token comes from ``REPORTKIT_META_ACCESS_TOKEN`` (a system-user token with
    ``ads_read``). ``REPORTKIT_META_ENDPOINT`` (a base URL such as ``http://127.0.0.1:8080``,
    no API version, no trailing slash) replaces ``https://graph.facebook.com``.
    """
    from facebook_business.api import FacebookAdsApi
    from facebook_business.session import FacebookSession
    token = os.environ.get(ENV_TOKEN)
    if not token:
        raise ConfigError("Meta Ads credentials", f"{ENV_TOKEN} is not set",
                          f"set {ENV_TOKEN} to a system-user access token with the ads_read "
                          "permission (Business Settings > Users > System users); never put it in params")
    session = FacebookSession(access_token=token, timeout=TIMEOUT_S)
    endpoint = os.environ.get(ENV_ENDPOINT)
    if endpoint:
        session.GRAPH = endpoint.rstrip("/")
    return FacebookAdsApi(session)


def _usage(headers) -> dict:
    """The usage headers of a response, parsed (missing or unreadable ones left out)."""
    out = {}
    for name in ("x-business-use-case-usage", "x-fb-ads-insights-throttle", "x-ad-account-usage"):
        value = headers.get(name) if headers else None
        if value:
            try:
                out[name] = json.loads(value)
            except ValueError:
                continue
    return out


def regain_minutes(usage: dict) -> float:
    """Minutes until Meta gives access back (``estimated_time_to_regain_access``), or 0."""
    worst = 0.0
    for entries in (usage.get("x-business-use-case-usage") or {}).values():
        for entry in entries if isinstance(entries, list) else [entries]:
            worst = max(worst, float(entry.get("estimated_time_to_regain_access") or 0))
    return worst


def busy_pct(usage: dict) -> float:
    """The highest usage figure (percent of the limit) in the headers."""
    pcts = []
    throttle = usage.get("x-fb-ads-insights-throttle") or {}
    pcts += [float(throttle.get(k) or 0) for k in ("app_id_util_pct", "acc_id_util_pct")]
    for entries in (usage.get("x-business-use-case-usage") or {}).values():
        for entry in entries if isinstance(entries, list) else [entries]:
            pcts += [float(entry.get(k) or 0) for k in ("call_count", "total_cputime", "total_time")]
    return max(pcts, default=0.0)


def _scrub(error) -> str:
    """An error's text without the access token (requests names the URL, token included)."""
    text, token = str(error), os.environ.get(ENV_TOKEN)
    return text.replace(token, "<token>") if token else text


class Caller:
    """Calls to one ad account: shared slots and back-off, retries, counts, last usage."""

    def __init__(self, api, warehouse_path, account: str):
        self.api, self.account = api, account
        self.where = f"Meta ad account {account}"
        self.gate = Gate.beside(warehouse_path, f"meta_ads:{account}", CAPS["meta_ads"])
        self.calls = 0
        self.usage: dict = {}

    def __call__(self, method: str, path: tuple, params: dict) -> dict:
        from facebook_business.exceptions import FacebookRequestError
        for attempt in range(MAX_RETRIES + 1):
            with self.gate.slot():
                self.calls += 1
                try:
                    response = self.api.call(method, path, params=params)
                except FacebookRequestError as error:
                    self.usage = _usage(error.http_headers()) or self.usage
                    if not self._retryable(error) or attempt == MAX_RETRIES:
                        raise self._explain(error) from None
                except OSError as error:   # requests' connection errors are OSErrors
                    raise SourceError(self.where, f"the API could not be reached: {_scrub(error)}",
                                      f"check the network connection (and {ENV_ENDPOINT} if set)") from None
                else:
                    self.usage = _usage(response.headers()) or self.usage
                    if busy_pct(self.usage) >= BUSY_PCT:
                        self.gate.back_off(backoff_s(0, RETRY_INITIAL_S, RETRY_MAXIMUM_S))
                    return response.json()
            self.gate.back_off(backoff_s(attempt, RETRY_INITIAL_S, RETRY_MAXIMUM_S))
        raise AssertionError("unreachable")

    def _retryable(self, error) -> bool:
        code = error.api_error_code()
        if code in RATE_LIMIT_CODES:
            return regain_minutes(self.usage) == 0
        return code in TRANSIENT_CODES or bool(error.api_transient_error()) \
            or (error.http_status() or 0) >= 500

    def _explain(self, error) -> Exception:
        code, text = error.api_error_code(), _scrub(error.api_error_message() or error.body())
        if code == 190:
            return ConfigError(self.where, f"the access token is invalid or has expired: {text}",
                               f"make a new system-user token with ads_read and set {ENV_TOKEN}")
        if code == 10 or (code is not None and 200 <= code < 300):
            return ConfigError(self.where, f"permission denied: {text}",
                               "give the system user access to this ad account (Business Settings > "
                               "Accounts > Ad accounts) and check source.account_id")
        if code == 100 or code == 803:
            return ConfigError(self.where, f"the API refused the request: {text}",
                               "check source.account_id (digits, without act_) and the action types")
        if code in RATE_LIMIT_CODES:
            minutes = regain_minutes(self.usage)
            when = (f"in about {minutes:.0f} minutes" if minutes else "later")
            return SourceError(self.where, f"Meta's rate limit is reached (code {code}): {text}",
                               f"Meta gives access back {when}; run this client again then (pulls "
                               "already made are kept in the warehouse). Other tools using this "
                               "account share the limit.")
        return SourceError(self.where, f"the API failed after {self.calls} attempts: {text}",
                           "Meta may be having problems: run this client again later")

    def paged(self, path: tuple, params: dict) -> list[dict]:
        """Every row of an edge, following ``paging.cursors.after`` while ``next`` is given."""
        rows, params = [], dict(params)
        while True:
            body = self(("GET"), path, params)
            rows += body.get("data") or []
            paging = body.get("paging") or {}
            after = (paging.get("cursors") or {}).get("after")
            if not (after and paging.get("next")):
                return rows
            params["after"] = after

    def async_job(self, path: tuple, params: dict, page_params: dict) -> list[dict]:
        """An async insights job: start it, wait for "Job Completed", read its rows."""
        run = self("POST", path, params).get("report_run_id")
        if not run:
            raise SourceError(self.where, "Meta did not start the report job", "run this client again")
        for _ in range(POLL_MAX):
            status = self("GET", (run,), {"fields": "async_status,async_percent_completion"})
            state = status.get("async_status")
            if state == "Job Completed":
                return self.paged((run, "insights"), page_params)
            if state in ("Job Failed", "Job Skipped"):
                raise SourceError(self.where, f"Meta's report job {run} ended with {state!r}",
                                  "run this client again (a shorter period may help)")
            time.sleep(POLL_S)
        raise SourceError(self.where, f"Meta's report job {run} was not done after "
                          f"{POLL_MAX * POLL_S:.0f} s", "run this client again later")
