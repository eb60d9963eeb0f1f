"""Text for the agency only (the sidecar's ``agency_alerts``): never in the client's report.

Contact lapses and missed follow-ups (from the communication log), and benchmark rows that
are left out of the client's copy because they are undated or marked low confidence. The
agency overview shows them beside the client.
"""

from __future__ import annotations

from reportkit.analysis import benchmarks as _benchmarks


def agency_alerts(report) -> list[dict]:
    out = []
    comm = report.work.communication
    for flag in (comm.flags if comm is not None else []):
        kind = "follow_up" if flag.startswith("The follow-up") else "contact"
        out.append({"kind": kind, "message": flag})
    for row in _benchmarks.withheld(report):
        why = "no year recorded" if row["year"] is None else "marked low confidence"
        out.append({"kind": "benchmark",
                    "message": f"Benchmark left out of the client's report ({why}): {row['label']} "
                               f"{row['kpi']} {row['value']} from {row['source'] or 'an unnamed source'}"
                               + (f" — {row['caveat']}" if row.get("caveat") else "")})
    return out
