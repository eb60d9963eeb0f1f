"""A small fake of the Google Ads API (v26 ``GoogleAdsService.SearchStream``) on 127.0.0.1.

A real gRPC server over TLS (a certificate for 127.0.0.1 made at test time, see
:func:`test_certificate`), serving the service with the library's own request and response
messages. It understands the two GAQL queries the source sends: ``FROM customer`` (the
account's currency and time zone) and ``FROM campaign WHERE segments.date BETWEEN 'a' AND
'b'`` (its rows within the dates, streamed ``batch`` rows a message). It checks the
``developer-token`` metadata, records ``login-customer-id``, and answers ``script`` errors
first: a gRPC status with a ``GoogleAdsFailure`` in the trailing metadata, like Google Ads.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import threading
import time
from concurrent import futures

import grpc

DEV_TOKEN = "test-dev-token"
SERVICE = "google.ads.googleads.v26.services.GoogleAdsService"
FAILURE_KEY = "google.ads.googleads.v26.errors.googleadsfailure-bin"


def make_certificate(folder):
    """(key PEM, certificate PEM, certificate path): a self-signed certificate for 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    cert_pem = cert.public_bytes(serialization.Encoding.PEM)
    path = folder / "fake-google-ads-ca.pem"
    path.write_bytes(cert_pem)
    return key_pem, cert_pem, path


def failure(kind: str, code: str, message: str, retry_s: int | None = None) -> bytes:
    """A serialized GoogleAdsFailure with one error, e.g. ("quota_error", "RESOURCE_EXHAUSTED")."""
    from google.ads.googleads.v26.errors.types import errors as e
    from google.ads.googleads.v26.errors.types import (authentication_error, authorization_error,
                                                        quota_error)
    enums = {"quota_error": quota_error.QuotaErrorEnum.QuotaError,
             "authentication_error": authentication_error.AuthenticationErrorEnum.AuthenticationError,
             "authorization_error": authorization_error.AuthorizationErrorEnum.AuthorizationError}
    err = e.GoogleAdsError(error_code=e.ErrorCode(**{kind: enums[kind][code]}), message=message)
    if retry_s:
        err.details = e.ErrorDetails(quota_error_details=e.QuotaErrorDetails(
            rate_name="Number of operations for basic access", retry_delay={"seconds": retry_s}))
    return e.GoogleAdsFailure.serialize(e.GoogleAdsFailure(errors=[err], request_id="fake-req"))


class FakeGoogleAds:
    def __init__(self, cert, rows=(), customer_id="1234567890", currency="EUR",
                 time_zone="Europe/Berlin", script=(), always=None, batch=2, delay_s=0.0,
                 max_calls=60):
        self.key_pem, self.cert_pem = cert[0], cert[1]
        self.rows = list(rows)       # dicts: date, campaign, type (SEARCH...), cost_micros, clicks...
        self.customer_id, self.currency, self.time_zone = customer_id, currency, time_zone
        self.script, self.always = list(script), always   # (grpc.StatusCode, failure bytes|None, text)
        self.batch, self.delay_s, self.max_calls = batch, delay_s, max_calls
        self.calls: list[dict] = []
        self.in_flight = self.max_in_flight = 0
        self._lock = threading.Lock()

    def __enter__(self):
        from google.ads.googleads.v26.services.types import google_ads_service as s
        handler = grpc.method_handlers_generic_handler(SERVICE, {
            "SearchStream": grpc.unary_stream_rpc_method_handler(
                self._search_stream, request_deserializer=s.SearchGoogleAdsStreamRequest.deserialize,
                response_serializer=s.SearchGoogleAdsStreamResponse.serialize)})
        self._server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
        self._server.add_generic_rpc_handlers((handler,))
        creds = grpc.ssl_server_credentials([(self.key_pem, self.cert_pem)])
        self.port = self._server.add_secure_port("127.0.0.1:0", creds)
        self._server.start()
        return self

    def __exit__(self, *exc):
        self._server.stop(grace=None)

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    def _search_stream(self, request, context):
        meta = dict(context.invocation_metadata())
        with self._lock:
            record = {"messages": 0}
            self.calls.append(record)
            record.update({"customer_id": request.customer_id, "query": request.query,
                           "developer_token": meta.get("developer-token"),
                           "login_customer_id": meta.get("login-customer-id")})
            n = len(self.calls)
            scripted = self.script.pop(0) if self.script else self.always
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            if n > self.max_calls:
                context.abort(grpc.StatusCode.INTERNAL, "fake server: call limit reached")
            if meta.get("developer-token") != DEV_TOKEN:
                scripted = (grpc.StatusCode.UNAUTHENTICATED,
                            failure("authentication_error", "DEVELOPER_TOKEN_INVALID",
                                    "The developer token is not valid."), "bad developer token")
            elif request.customer_id != self.customer_id and not scripted:
                scripted = (grpc.StatusCode.PERMISSION_DENIED,
                            failure("authorization_error", "USER_PERMISSION_DENIED",
                                    "User doesn't have permission to access customer."), "denied")
            if scripted:
                code, details, text = scripted
                if details:
                    context.set_trailing_metadata(((FAILURE_KEY, details),))
                context.abort(code, text)
            for message in self._answer(request):
                record["messages"] += 1
                yield message
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, request):
        from google.ads.googleads.v26.resources.types import campaign, customer
        from google.ads.googleads.v26.common.types import metrics, segments
        from google.ads.googleads.v26.enums.types.advertising_channel_type import \
            AdvertisingChannelTypeEnum
        from google.ads.googleads.v26.services.types import google_ads_service as s
        query = request.query
        if "FROM customer" in query:
            row = s.GoogleAdsRow(customer=customer.Customer(
                id=int(self.customer_id), currency_code=self.currency, time_zone=self.time_zone,
                descriptive_name="Shop"))
            yield s.SearchGoogleAdsStreamResponse(results=[row], request_id="fake-c")
            return
        start, end = re.search(r"BETWEEN '([0-9-]+)' AND '([0-9-]+)'", query).groups()
        out = []
        for r in sorted(self.rows, key=lambda r: (r["date"], r["campaign"])):
            if start <= r["date"] <= end:
                out.append(s.GoogleAdsRow(
                    segments=segments.Segments(date=r["date"]),
                    campaign=campaign.Campaign(
                        name=r["campaign"], advertising_channel_type=getattr(
                            AdvertisingChannelTypeEnum.AdvertisingChannelType, r.get("type", "SEARCH"))),
                    metrics=metrics.Metrics(cost_micros=r.get("cost_micros", 0), clicks=r.get("clicks", 0),
                                            impressions=r.get("impressions", 0),
                                            conversions=r.get("conversions", 0.0),
                                            conversions_value=r.get("conversions_value", 0.0))))
        if not out:
            yield s.SearchGoogleAdsStreamResponse(results=[], request_id="fake-e")
        for i in range(0, len(out), self.batch):
            yield s.SearchGoogleAdsStreamResponse(results=out[i:i + self.batch], request_id=f"fake-{i}")
