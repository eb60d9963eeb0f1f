"""reportkit: monthly client reports from marketing data.

The pipeline reads top to bottom: config -> sources -> analysis -> story -> report, shown by
``notebooks/client_report.ipynb`` (through ``reportkit.notebook``) and rendered per client by
``reportkit.run``. A sub-package per layer; the design is in ``docs/architecture.md``.
"""

__version__ = "0.1.0"
