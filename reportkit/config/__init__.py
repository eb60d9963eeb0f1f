"""Client params: the pydantic model of a params file (:mod:`.client`, :mod:`.goals`), how a
file or the notebook's parameters are read (:mod:`.load`) and the error text (:mod:`.explain`)."""

from reportkit.config.client import Agency, ClientConfig, CustomKPI, PdfOptions, WarehouseConfig, WorkFiles
from reportkit.config.load import from_notebook, load, load_yaml, read_params, validate

__all__ = ["Agency", "ClientConfig", "CustomKPI", "PdfOptions", "WarehouseConfig", "WorkFiles",
           "from_notebook", "load", "load_yaml", "read_params", "validate"]
