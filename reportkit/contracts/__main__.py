"""``python -m reportkit.contracts [DIR]``: write the JSON Schemas of the sidecar and the
manifest into DIR (default ``docs/schema``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from reportkit.contracts.manifest import Manifest
from reportkit.contracts.sidecar import Sidecar

SCHEMAS = {"sidecar.schema.json": Sidecar, "manifest.schema.json": Manifest}


def schema_text(model) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def main(folder: str = "docs/schema") -> None:
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    for name, model in SCHEMAS.items():
        (out / name).write_text(schema_text(model), encoding="utf-8")
        print(out / name)


if __name__ == "__main__":
    main(*sys.argv[1:])
