"""The agency overview from hand-written sidecars and a manifest (no notebook needed)."""

import json
import re

from reportkit.deliver.overview import collect, write_overview


OCT = {"start": "2026-10-01", "end": "2026-10-31"}


def _sidecar(cid, name, kpis, dq_status="ok", goals=None, budget=None, findings=()):
    """A sidecar with the contract's required keys (reportkit.contracts.sidecar)."""
    return {"client_id": cid, "client_name": name, "business_model": "ecommerce", "currency": "EUR",
            "period": OCT, "previous": {"start": "2026-09-01", "end": "2026-09-30"},
            "yoy": {"start": "2025-10-01", "end": "2025-10-31"}, "period_key": "2026-10",
            "kpis": kpis, "channels": [], "summary": [],
            "goals": [{"kpi": "revenue", "label": "Revenue", "unit": "currency", "kind": "reach",
                       "measure": "monthly", "scope": None, "start": "2026-10-01", "deadline": "2026-12-31",
                       "target": 1000.0, "direction": "up", "value": None, "expected_now": None,
                       "forecast": None, "status_words": g["status"].replace("_", " "), **g}
                      for g in goals or []],
            "budget": budget or {}, "source": "test",
            "data_quality": {"status": dq_status, "source": "test", "data_from": None, "data_to": None,
                             "findings": list(findings)},
            "agency": {"name": "Northstar <Digital>", "logo": None, "accent_color": "#123456"},
            "generated_at": "2026-11-21T08:00:00+00:00"}


def _kpi(label, change, better="higher", value=100.0, unit="count"):
    return {"label": label, "value": value, "previous": None, "yoy": None, "change_previous": change,
            "change_yoy": None, "abs_change_previous": None, "abs_change_yoy": None, "better": better,
            "unit": unit, "explain": "", "formula": ""}


def _folder(tmp_path, sidecars, manifest=None):
    folder = tmp_path / "2026-10"
    folder.mkdir()
    for side in sidecars:
        (folder / f"{side['client_id']}.json").write_text(json.dumps(side))
        (folder / f"{side['client_id']}.html").write_text("<html></html>")
    if manifest is not None:
        (folder / "manifest.json").write_text(json.dumps(manifest))
    return folder


def test_clients_needing_attention_come_first_without_manifest(tmp_path):
    calm = _sidecar("calm", "Calm Co", {"sessions": _kpi("Sessions", 0.02)})
    # cost up 15 %: lower is better, so a move the wrong way of >= 10 %  -> attention 5
    costly = _sidecar("costly", "Costly Co", {"cost": _kpi("Ad spend", 0.15, "lower"),
                                              "sessions": _kpi("Sessions", -0.05)})
    # a data warning -> 20, one goal behind -> 10, budget over -> 10: 40 in all
    shaky = _sidecar("shaky", "Shaky Co", {"sessions": _kpi("Sessions", None)}, dq_status="warning",
                     goals=[{"id": "g1", "name": "Grow revenue", "status": "behind"},
                            {"id": "g2", "name": "Keep ROAS", "status": "on_track",
                             "status_words": "on track"},
                            {"id": "g3", "name": "Grow organic", "status": "not_started"}],
                     budget={"status": "over", "spend": 11200.0, "budget": 10000.0, "share_used": 1.12},
                     findings=[{"level": "warning", "period": "current", "message": "3 days missing"}])
    folder = _folder(tmp_path, [calm, costly, shaky])
    rows, manifest = collect(folder)
    assert manifest is None
    assert [r.client_id for r in rows] == ["shaky", "costly", "calm"]
    assert [r.attention() for r in rows] == [40, 5, 0]
    assert all(r.run_status == "ok" for r in rows)           # no manifest: every sidecar ok
    # biggest change: |+0.15| beats |-0.05| for costly
    assert rows[1].biggest_change()[0] == "cost"
    html = write_overview(folder).read_text()
    assert "Grow revenue: behind" in html and "Keep ROAS: on track" in html
    assert "112% of budget" in html and ">over budget<" in html   # 11,200 / 10,000
    assert html.count('class="rk-badge warning"') >= 3      # behind, budget over, data warning


def test_manifest_failures_first_and_page_is_escaped_and_self_contained(tmp_path):
    good = _sidecar("good", "Good <b>Co</b>", {"revenue": _kpi("Revenue", 0.10, value=1500.0, unit="currency")},
                    budget={"status": "on_budget", "spend": 970.0, "budget": 1000.0, "share_used": 0.97})
    manifest = {"period": "2026-10", "generated_at": "2026-11-21T08:00:00+00:00", "clients": [
        {"client_id": "good", "params": "/p/good.yaml", "status": "ok", "duration_s": 1.0, "outputs": {},
         "error": None},
        {"client_id": "broken", "params": "/p/broken.yaml", "status": "failed", "duration_s": 0.1,
         "outputs": {}, "error": "data file not found"}]}
    folder = _folder(tmp_path, [good], manifest)
    index = write_overview(folder)
    html = index.read_text()
    rows = re.findall(r'<tr data-client="([^"]+)" data-attention="(\d+)">', html)
    assert rows == [("broken", "100"), ("good", "0")]       # failed run: 100; good: nothing to flag
    assert "Good &lt;b&gt;Co&lt;/b&gt;" in html and "<b>Co</b>" not in html
    assert "Northstar &lt;Digital&gt;" in html
    assert '<a href="good.html">' in html
    assert "97% of budget" in html                           # 970 / 1000 spent
    assert "+10.0%" in html                                  # revenue change 0.10
    assert 'title="data file not found"' in html              # the failure: the badge's title
    assert '<div class="rk-note">data file not found</div>' in html   # and a line under it
    assert "default-src 'none'" in html and "<script" not in html
    assert "http://" not in html and "https://" not in html
    assert "—" in html                                        # no goals: a dash
    assert "--accent: #123456" in html


def test_a_failed_notebook_left_behind_marks_the_run_failed(tmp_path):
    folder = _folder(tmp_path, [_sidecar("late", "Late Co", {})])
    (folder / "late.failed.ipynb").write_text("{}")
    rows, _ = collect(folder)
    assert rows[0].run_status == "failed" and rows[0].attention() == 100
