"""A third-party module imported on its first use: ``pd = lazy("pandas")``.

Reading params, validating them and deciding that a client's inputs are unchanged
(:mod:`reportkit.run.inputs`) touch no data frame, yet the modules on that path -- the
source classes the params union is built from, the KPI registry -- import pandas, numpy or
nbformat at the top for the functions they hold. With ``pd = lazy("pandas")`` in their place
the module is imported when a function first uses ``pd.<name>``, so ``reportkit run`` on
unchanged inputs decides "skip" for every client without importing pandas, and a render
(whose parent imports everything before it forks) is unchanged. ``tests/test_hardening.py``
checks that the skip path stays free of them.

Only for third-party modules: reportkit's own modules are imported with ``import``
statements (inside the function that needs them when they are heavy), so the layer contract
(``tests/test_layers.py``) still sees every import.
"""

from __future__ import annotations

import sys


_PROBES = {"__wrapped__", "__copy__", "__deepcopy__", "__getstate__", "__setstate__", "__reduce__",
           "__reduce_ex__", "__getnewargs__", "__getnewargs_ex__"}


class LazyModule:
    """Stands for a module until one of its attributes is read; then imports it and copies
    its namespace in, so later reads are plain attribute reads."""

    def __init__(self, name: str):
        self.__dict__["_lazy_name"] = name

    def __getattr__(self, attr: str):
        if attr in _PROBES:  # inspect, copy and pickle probing the object import nothing
            raise AttributeError(attr)
        __import__(self.__dict__["_lazy_name"])  # a plain import: ``python -X importtime`` shows it
        module = sys.modules[self.__dict__["_lazy_name"]]
        self.__dict__.update(vars(module))
        return getattr(module, attr)  # also what the module's own __getattr__ provides

    def __setattr__(self, attr: str, value) -> None:
        raise AttributeError(f"{self.__dict__['_lazy_name']} is imported lazily; set {attr} on the module")

    def __repr__(self) -> str:
        return f"<lazy module {self.__dict__['_lazy_name']!r}>"


def lazy(name: str) -> LazyModule:
    """The module ``name``, imported the first time an attribute of it is read."""
    return LazyModule(name)
