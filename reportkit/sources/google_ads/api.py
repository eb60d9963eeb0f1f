"""Talking to the Google Ads API (``google-ads``, gRPC): the client, GAQL streams, errors.

Each ``GoogleAdsService.SearchStream`` call holds one of the customer's shared request
slots (:class:`reportkit.sources.quota.Gate`). A transient failure (``UNAVAILABLE``,
``DEADLINE_EXCEEDED``, ``INTERNAL``) restarts the stream after a back-off shared by every
worker; an exhausted quota (``RESOURCE_EXHAUSTED``) fails the client at once, saying when
to retry (the failure's ``quota_error_details.retry_delay``); authentication and
permission errors are configuration errors naming the customer id.
"""

from __future__ import annotations

import os

from reportkit.errors import ConfigError, SourceError
from reportkit.sources.quota import CAPS, Gate, backoff_s

VERSION = "v26"
ENV_ENDPOINT = "REPORTKIT_GOOGLE_ADS_ENDPOINT"
ENV_DEVELOPER_TOKEN = "GOOGLE_ADS_DEVELOPER_TOKEN"
MAX_RETRIES = 3
RETRY_INITIAL_S = 1.0
RETRY_MAXIMUM_S = 30.0
TIMEOUT_S = 120.0
FAILURE_KEY = f"google.ads.googleads.{VERSION}.errors.googleadsfailure-bin"


def make_client(login_customer_id: str | None):
    """A ``GoogleAdsClient`` from the environment, never from params.

    Normally the library's own variables (``GoogleAdsClient.load_from_env``):
    ``GOOGLE_ADS_DEVELOPER_TOKEN`` and either ``GOOGLE_ADS_CLIENT_ID``,
    ``GOOGLE_ADS_CLIENT_SECRET``, ``GOOGLE_ADS_REFRESH_TOKEN`` (OAuth2) or
    ``GOOGLE_ADS_JSON_KEY_FILE_PATH`` (a service account). ``REPORTKIT_GOOGLE_ADS_ENDPOINT``
    (a gRPC ``host:port``, always TLS) points it at another server with anonymous
    credentials; a private CA is trusted through ``GRPC_DEFAULT_SSL_ROOTS_FILE_PATH``.
    ``login_customer_id`` (a manager account) comes from the params.
    """
    import logging

    from google.ads.googleads.client import GoogleAdsClient
    library_log = logging.getLogger("google.ads.googleads.client")
    if library_log.level == logging.NOTSET:     # its per-request warnings are ours to say
        library_log.setLevel(logging.CRITICAL)
    token = os.environ.get(ENV_DEVELOPER_TOKEN)
    if not token:
        raise ConfigError("Google Ads credentials", f"{ENV_DEVELOPER_TOKEN} is not set",
                          f"set {ENV_DEVELOPER_TOKEN} (Google Ads > Tools > API Center) and "
                          "GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET, GOOGLE_ADS_REFRESH_TOKEN "
                          "(or GOOGLE_ADS_JSON_KEY_FILE_PATH); never put them in params")
    endpoint = os.environ.get(ENV_ENDPOINT)
    if endpoint:
        from google.auth.credentials import AnonymousCredentials
        return GoogleAdsClient(AnonymousCredentials(), developer_token=token, endpoint=endpoint,
                               login_customer_id=login_customer_id, version=VERSION,
                               use_proto_plus=True)
    os.environ.setdefault("GOOGLE_ADS_USE_PROTO_PLUS", "true")
    try:
        client = GoogleAdsClient.load_from_env(version=VERSION)
    except (ValueError, KeyError) as error:
        raise ConfigError("Google Ads credentials", f"the GOOGLE_ADS_* variables are incomplete: "
                          f"{error}", "set GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET and "
                          "GOOGLE_ADS_REFRESH_TOKEN, or GOOGLE_ADS_JSON_KEY_FILE_PATH") from None
    client.login_customer_id = login_customer_id or client.login_customer_id
    return client


def _failure(error):
    """The GoogleAdsFailure of an error (from the exception or the trailing metadata), or None."""
    failure = getattr(error, "failure", None)
    if failure is not None:
        return failure
    from google.ads.googleads.v26.errors.types.errors import GoogleAdsFailure
    call = getattr(error, "response", None) or error    # api_core errors keep the grpc call
    trailing = call.trailing_metadata() if hasattr(call, "trailing_metadata") else None
    for key, value in trailing or ():
        if key == FAILURE_KEY:
            return GoogleAdsFailure.deserialize(value)
    return None


def _codes(failure) -> list[tuple[str, str]]:
    """(error kind, code name) of each error in a failure, e.g. ("quota_error", "RESOURCE_EXHAUSTED")."""
    out = []
    for err in getattr(failure, "errors", []) or []:
        code = err.error_code
        kind = type(code).pb(code).WhichOneof("error_code")
        if kind:
            out.append((kind, getattr(code, kind).name))
    return out


def _message(error, failure) -> str:
    if failure is not None and failure.errors:
        return "; ".join(e.message for e in failure.errors if e.message) or str(error)
    details = getattr(error, "message", None) or (error.details() if callable(
        getattr(error, "details", None)) else None)
    return details or str(error)


def _status(error):
    """The gRPC status code of a GoogleAdsException, an api_core error or a grpc error."""
    if getattr(error, "grpc_status_code", None) is not None:
        return error.grpc_status_code
    call = getattr(error, "error", error)       # GoogleAdsException wraps the grpc error
    return call.code() if callable(getattr(call, "code", None)) else None


def retry_delay_s(failure) -> float | None:
    for err in getattr(failure, "errors", []) or []:
        delay = err.details.quota_error_details.retry_delay
        seconds = delay.total_seconds() if hasattr(delay, "total_seconds") else 0
        if seconds:
            return float(seconds)
    return None


class Caller:
    """GAQL streams of one customer: shared slots and back-off, retries, calls counted."""

    def __init__(self, client, warehouse_path, customer_id: str):
        self.client, self.customer_id = client, customer_id
        self.where = f"Google Ads customer {customer_id}"
        self.gate = Gate.beside(warehouse_path, f"google_ads:{customer_id}", CAPS["google_ads"])
        self.service = client.get_service("GoogleAdsService", version=VERSION)
        self.calls = 0

    def rows(self, query: str) -> list:
        """Every row of a GAQL query, through SearchStream."""
        import grpc
        from google.ads.googleads.errors import GoogleAdsException
        from google.api_core.exceptions import GoogleAPICallError
        transient = {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED,
                     grpc.StatusCode.INTERNAL}
        for attempt in range(MAX_RETRIES + 1):
            with self.gate.slot():
                self.calls += 1
                try:
                    stream = self.service.search_stream(customer_id=self.customer_id, query=query,
                                                        timeout=TIMEOUT_S)
                    return [row for batch in stream for row in batch.results]
                except (GoogleAdsException, GoogleAPICallError, grpc.RpcError) as error:
                    failure = _failure(error)
                    if _status(error) not in transient or attempt == MAX_RETRIES:
                        raise self._explain(error, failure) from None
            self.gate.back_off(backoff_s(attempt, RETRY_INITIAL_S, RETRY_MAXIMUM_S))
        raise AssertionError("unreachable")

    def _explain(self, error, failure) -> Exception:
        import grpc
        status, codes, text = _status(error), _codes(failure), _message(error, failure)
        kinds = {k for k, _ in codes}
        if status == grpc.StatusCode.RESOURCE_EXHAUSTED or "quota_error" in kinds:
            delay = retry_delay_s(failure)
            when = f"in {delay / 60:.0f} minutes" if delay and delay >= 60 else (
                f"in {delay:.0f} seconds" if delay else "later (the daily quota resets at midnight "
                "Pacific time)")
            return SourceError(self.where, f"the API quota is used up: {text}",
                               f"run this client again {when}; pulls already made are kept in the "
                               "warehouse. The developer token's quota is shared by every client.")
        if status == grpc.StatusCode.UNAUTHENTICATED or "authentication_error" in kinds:
            return ConfigError(self.where, f"authentication failed: {text}",
                               f"check {ENV_DEVELOPER_TOKEN} and the OAuth2 or service-account "
                               "variables (GOOGLE_ADS_*)")
        if status == grpc.StatusCode.PERMISSION_DENIED or "authorization_error" in kinds:
            return ConfigError(self.where, f"permission denied: {text}",
                               "check source.customer_id (10 digits, no dashes) and, for an account "
                               "reached through a manager account, source.login_customer_id")
        if status == grpc.StatusCode.INVALID_ARGUMENT:
            return ConfigError(self.where, f"the API refused the request: {text}",
                               "check source.customer_id and source.login_customer_id")
        if status is None:
            return SourceError(self.where, f"the API could not be reached: {error}",
                               f"check the network connection (and {ENV_ENDPOINT} if set)")
        return SourceError(self.where, f"the API failed after {self.calls} attempts: "
                           f"{status.name}: {text}", "Google may be having problems: run this "
                           "client again later")
