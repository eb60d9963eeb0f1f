"""The output contracts: versioned models, their JSON Schemas in docs/ kept current, and the
demo sidecar read back through its model."""

import json
from pathlib import Path

from reportkit.contracts.__main__ import SCHEMAS, schema_text
from reportkit.contracts.manifest import Manifest, ManifestEntry
from reportkit.contracts.sidecar import SCHEMA_VERSION, Sidecar

REPO = Path(__file__).resolve().parents[1]


def test_json_schemas_in_docs_are_current():
    for name, model in SCHEMAS.items():
        committed = (REPO / "docs" / "schema" / name).read_text(encoding="utf-8")
        assert committed == schema_text(model), (
            f"docs/schema/{name} is out of date: run `python -m reportkit.contracts docs/schema`")


def test_sidecar_round_trip_keeps_every_field_and_number_type():
    from reportkit import config, report
    side = report.build(config.load(REPO / "params" / "acme_outdoor.yaml")).sidecar().to_json()
    assert side["schema_version"] == SCHEMA_VERSION == 1
    again = Sidecar.model_validate_json(json.dumps(side)).to_json()
    assert json.dumps(again, sort_keys=True) == json.dumps(side, sort_keys=True)
    assert isinstance(side["kpis"]["transactions"]["value"], float)      # a sum of floats stays a float
    assert side["goals"][0]["status"] in ("achieved", "on_track", "at_risk", "behind", "missed", "not_started")


def test_manifest_model_defaults_and_version():
    m = Manifest(period="2026-10", generated_at="2026-11-21T06:00:00+00:00",
                 clients=[ManifestEntry(client_id="a", params="/p/a.yaml", status="ok", duration_s=0.5)])
    data = m.model_dump(mode="json")
    assert data["schema_version"] == 1 and data["clients"][0]["error"] is None
    assert list(data["clients"][0]) == ["client_id", "params", "status", "duration_s", "outputs", "error", "data_to",
                                         "api", "inputs", "skipped"]
