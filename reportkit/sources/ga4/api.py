"""The GA4 Data API calls: batching, paging, retries and what their errors mean to a user.

``fetch`` sends every job's report in ``batchRunReports`` calls of at most five reports
(one call for a normal client), then asks for the next pages of the reports whose
``rowCount`` is larger than what has arrived, until every row is in: it never stops
silently at a page limit.
"""

from __future__ import annotations

from google.api_core import exceptions as gexc
from google.api_core.retry import Retry

from reportkit.errors import ConfigError, SourceError

MAX_BATCH = 5              # GA4 allows at most 5 requests per batchRunReports
MAX_RETRIES = 3            # transient errors count against the property's quota: a few only
RETRY_INITIAL_S = 0.5
RETRY_MAXIMUM_S = 8.0
TIMEOUT_S = 60.0

# Which token quota a RESOURCE_EXHAUSTED message names, and when it resets.
QUOTAS = (("tokens per day", "the property's daily token quota (200,000 tokens; 2,000,000 on "
           "Analytics 360)", "at midnight Pacific time"),
          ("tokens per project per hour", "this project's hourly token quota for the property "
           "(14,000 tokens)", "within the hour"),
          ("tokens per hour", "the property's hourly token quota (40,000 tokens)", "within the hour"),
          ("potentially thresholded requests per hour", "the property's hourly quota of "
           "potentially thresholded requests (120)", "within the hour"),
          ("server errors per project per hour", "this project's hourly allowance of server "
           "errors for the property (10)", "within the hour"))


def exhausted_quota(error: Exception) -> tuple[str, str] | None:
    """(quota, reset time) when ``error`` is an exhausted token quota, else None.

    A 429 for too many concurrent requests or a short burst is worth retrying; an
    exhausted token quota is not: retrying only burns the quota of everyone else.
    """
    if not isinstance(error, gexc.TooManyRequests):
        return None
    text = str(error).lower()
    for needle, quota, reset in QUOTAS:
        if needle in text:
            return quota, reset
    return None


def _retry(counter: dict | None = None, gate=None) -> Retry:
    """Retry transient errors a few times; each retry is counted in ``counter["calls"]`` and
    asks every worker on the property to back off (``gate``)."""
    attempts = {"n": 0}

    def transient(error: Exception) -> bool:
        retryable = (isinstance(error, (gexc.ServiceUnavailable, gexc.InternalServerError))
                     or (isinstance(error, gexc.TooManyRequests) and not exhausted_quota(error)))
        if retryable and attempts["n"] < MAX_RETRIES:
            attempts["n"] += 1
            if counter is not None:
                counter["calls"] += 1
            if gate is not None:
                gate.back_off(RETRY_INITIAL_S * 2 ** (attempts["n"] - 1))
            return True
        return False

    return Retry(predicate=transient, initial=RETRY_INITIAL_S, maximum=RETRY_MAXIMUM_S,
                 multiplier=2.0, timeout=TIMEOUT_S * (MAX_RETRIES + 1))


def _explain(error: Exception, property_id: str) -> Exception:
    where = f"GA4 property {property_id}"
    if isinstance(error, gexc.RetryError) and error.cause is not None:
        error = error.cause
    quota = exhausted_quota(error)
    if quota:
        return SourceError(where, f"{quota[0]} is used up ({error.message if hasattr(error, 'message') else error})",
                           f"the quota resets {quota[1]}; run this client again after that (pulls "
                           "already made are kept in the warehouse). Every tool reading this property "
                           "(Looker Studio, other connectors) shares the quota.")
    if isinstance(error, gexc.Forbidden):
        return ConfigError(where, f"permission denied: {getattr(error, 'message', error)}",
                           "give the service account (the e-mail in its key file) Viewer access in "
                           "GA4 Admin > Property access management, and check source.property_id")
    if isinstance(error, gexc.Unauthorized):
        return ConfigError(where, f"authentication failed: {getattr(error, 'message', error)}",
                           "check the key named by GOOGLE_APPLICATION_CREDENTIALS")
    if isinstance(error, (gexc.BadRequest, gexc.NotFound)):
        return ConfigError(where, f"the API refused the request: {getattr(error, 'message', error)}",
                           "check source.property_id (digits only) and source.include_ads")
    if isinstance(error, gexc.GoogleAPICallError):
        return SourceError(where, f"the API failed after {MAX_RETRIES + 1} attempts: "
                           f"{getattr(error, 'message', error)}",
                           "Google may be having problems: run this client again later")
    return SourceError(where, f"the API could not be reached: {error}",
                       "check the network connection (and REPORTKIT_GA4_ENDPOINT if set)")


def _request(property_id: str, jobs: list, queries: dict, limit: int, offset: int):
    from google.analytics.data_v1beta import types as t
    dims, metrics = queries[jobs[0].query]
    return t.RunReportRequest(
        property=f"properties/{property_id}",
        dimensions=[t.Dimension(name=d) for d in dims],
        metrics=[t.Metric(name=m) for m in metrics],
        date_ranges=[t.DateRange(start_date=j.range.start.isoformat(),
                                 end_date=j.range.end.isoformat(), name=j.period) for j in jobs],
        limit=limit, offset=offset, return_property_quota=True)


def _meta(report) -> dict:
    m = report.metadata
    restricted = [{"metric": r.metric_name, "types": [int(x) for x in r.restricted_metric_types]}
                  for r in m.schema_restriction_response.active_metric_restrictions]
    sampling = [{"samples_read": int(s.samples_read_count), "sampling_space": int(s.sampling_space_size)}
                for s in m.sampling_metadatas]
    quota = {}
    q = report.property_quota
    for name in ("tokens_per_day", "tokens_per_hour", "tokens_per_project_per_hour",
                 "concurrent_requests", "server_errors_per_project_per_hour",
                 "potentially_thresholded_requests_per_hour"):
        status = getattr(q, name, None)
        if status is not None and (status.consumed or status.remaining):
            quota[name] = {"consumed": int(status.consumed), "remaining": int(status.remaining)}
    return {"currency_code": m.currency_code, "time_zone": m.time_zone,
            "subject_to_thresholding": bool(m.subject_to_thresholding),
            "data_loss_from_other_row": bool(m.data_loss_from_other_row),
            "sampling": sampling, "restricted_metrics": restricted, "quota": quota,
            "row_count": int(report.row_count)}


def _merge_meta(old: dict | None, new: dict) -> dict:
    if not old:
        return new
    out = dict(old)
    for flag in ("subject_to_thresholding", "data_loss_from_other_row"):
        out[flag] = old[flag] or new[flag]
    out["sampling"] = old["sampling"] or new["sampling"]   # the same per page: keep the first
    out["quota"] = new["quota"] or old["quota"]
    return out


def fetch(client, property_id: str, jobs: list, queries: dict, page_size: int,
          gate=None) -> dict:
    """{job: (rows, meta)} for every job; rows are dicts of dimension/metric name -> value.

    Jobs of the same query share one request (one date range each, at most 4 per request).
    ``gate`` (:class:`reportkit.sources.quota.Gate`): each call holds one of the property's
    shared request slots. The first job's meta counts the calls made (``calls``).
    """
    from contextlib import nullcontext

    from google.analytics.data_v1beta import types as t
    counter = {"calls": 0}
    groups: list[list] = []
    for name in dict.fromkeys(j.query for j in jobs):
        same = [j for j in jobs if j.query == name]
        groups += [same[i:i + 4] for i in range(0, len(same), 4)]
    rows = {id(g): [] for g in groups}
    metas: dict[int, dict] = {}
    pending = [(g, 0) for g in groups]
    while pending:
        batch, pending = pending[:MAX_BATCH], pending[MAX_BATCH:]
        request = t.BatchRunReportsRequest(
            property=f"properties/{property_id}",
            requests=[_request(property_id, g, queries, page_size, off) for g, off in batch])
        try:
            with gate.slot() if gate is not None else nullcontext():
                counter["calls"] += 1
                response = client.batch_run_reports(request=request, retry=_retry(counter, gate),
                                                    timeout=TIMEOUT_S)
        except Exception as error:  # noqa: BLE001 - every failure becomes a message for the user
            raise _explain(error, property_id) from None
        if len(response.reports) != len(batch):
            raise SourceError(f"GA4 property {property_id}", f"asked for {len(batch)} reports, "
                              f"got {len(response.reports)}", "run this client again")
        for (group, offset), report in zip(batch, response.reports):
            got = _rows(report)
            rows[id(group)] += got
            metas[id(group)] = _merge_meta(metas.get(id(group)), _meta(report))
            total, have = int(report.row_count), len(rows[id(group)])
            if have < total:
                if not got:
                    raise SourceError(f"GA4 property {property_id}", f"the {group[0].query} report "
                                      f"stopped at {have} of {total} rows", "run this client again")
                pending.append((group, have))
    out = _split(groups, rows, metas)
    for i, job in enumerate(jobs):
        out[job][1]["calls"] = counter["calls"] if i == 0 else 0
    return out


def _rows(report) -> list[dict]:
    dims = [h.name for h in report.dimension_headers]
    metrics = [h.name for h in report.metric_headers]
    return [{**{d: v.value for d, v in zip(dims, r.dimension_values)},
             **{m: v.value for m, v in zip(metrics, r.metric_values)}} for r in report.rows]


def _split(groups: list[list], rows: dict, metas: dict) -> dict:
    """Rows of a multi-range request belong to the range named in their ``dateRange`` value."""
    out = {}
    for group in groups:
        for job in group:
            mine = [r for r in rows[id(group)]
                    if len(group) == 1 or r.get("dateRange") == job.period]
            meta = {**metas.get(id(group), {}), "row_count": len(mine)}
            sampling = meta.get("sampling") or []
            if len(sampling) == len(group) > 1:   # one sampling entry per date range, in order
                meta["sampling"] = [sampling[group.index(job)]]
            out[job] = ([{k: v for k, v in r.items() if k != "dateRange"} for r in mine], meta)
    return out
