"""reportkit: monthly client reports from marketing data.

The pipeline reads top to bottom: config -> sources -> facts -> metrics -> story -> charts,
shown by ``notebooks/client_report.ipynb`` and rendered per client by ``reportkit.run.render``.
"""

__version__ = "0.1.0"
