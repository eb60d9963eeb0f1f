"""The output contracts, as pydantic models: the sidecar (``<client_id>.json``, every figure a
report shows) and the batch manifest (``manifest.json``). Both carry ``schema_version``; their
JSON Schemas are generated into ``docs/schema/`` (``python -m reportkit.contracts``)."""
