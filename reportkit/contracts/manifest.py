"""The batch manifest: ``reports/<period>/manifest.json``, one entry per client of the period.

Written after every batch (entries of clients not in that batch are kept), read by the agency
overview and ``run --resume``. Fields may be added freely; renaming or removing one bumps
``SCHEMA_VERSION``.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1


class ManifestEntry(BaseModel):
    client_id: str
    params: str = Field(description="The params file, absolute path")
    status: Literal["ok", "failed"]
    duration_s: float
    outputs: dict[str, str] = Field(default_factory=dict, description="html, ipynb, json (pdf) -> path")
    error: Optional[str] = Field(None, description="Short; names the failing cell or the input to fix")
    data_to: Optional[str] = Field(None, description="The last day of data (the sidecar's data_quality.data_to)")
    api: Optional[dict[str, dict]] = Field(None, description="Per API source type: calls made, pulls "
                                           "made and cached, and the last quota the platform reported")
    inputs: Optional[str] = Field(None, description="Hash of what made the outputs (resolved params, data, "
                                  "work files, template, reportkit); a run skips a client whose inputs match")
    skipped: Optional[str] = Field(None, description="Why the last batch did not render this client again "
                                   "(its outputs are from an earlier run), or null when it rendered")


class Manifest(BaseModel):
    schema_version: int = SCHEMA_VERSION
    period: str = Field(description="The folder name: YYYY-MM or START_END")
    generated_at: str
    clients: list[ManifestEntry] = Field(default_factory=list)
