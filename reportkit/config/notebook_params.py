"""A template notebook's parameters cell, checked against the params model.

Every name the cell assigns must be a key of :class:`ClientConfig` (or ``params_file``): a
name the model does not know (``perod = "2026-09"``) would be ignored silently and the report
rendered for another period.
"""

from __future__ import annotations

import ast
from pathlib import Path

from reportkit.config.client import ClientConfig
from reportkit.errors import ConfigError
from reportkit.core.lazy import lazy

nbformat = lazy("nbformat")

RUNNER_NAMES = {"params_file"}  # set by the runner, not a params key


def valid_names() -> list[str]:
    return [*ClientConfig.model_fields, *sorted(RUNNER_NAMES)]


def parameter_names(source: str) -> list[str]:
    """The names a parameters cell assigns (``x = ...`` and ``x: type = ...``)."""
    names = []
    for node in ast.parse(source).body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names


def unknown_names(names) -> list[str]:
    known = set(valid_names())
    return [n for n in names if n not in known]


def check_notebook(path: str | Path) -> None:
    """A ConfigError naming the notebook when its parameters cell is missing or assigns a
    name the params model does not know."""
    where = str(path)
    try:
        nb = nbformat.read(str(path), as_version=4)
    except (OSError, ValueError) as error:
        raise ConfigError(where, f"cannot read the notebook: {error}",
                          "check notebook: in params (a .ipynb relative to the project root)") from None
    cells = [c for c in nb.cells if c.cell_type == "code" and "parameters" in c.metadata.get("tags", [])]
    if not cells:
        raise ConfigError(where, "has no cell tagged 'parameters'",
                          "copy notebooks/client_report.ipynb and keep its parameters cell")
    try:
        names = parameter_names(cells[0].source)
    except SyntaxError as error:
        raise ConfigError(where, f"parameters cell, line {error.lineno}: {error.msg}",
                          "fix the Python syntax of the parameters cell") from None
    unknown = unknown_names(names)
    if unknown:
        raise ConfigError(f"{where} (parameters cell)", f"unknown parameter {unknown[0]!r}",
                          f"use one of: {', '.join(valid_names())}")


_HEADER = ("# Parameters: every key of a params/<client_id>.yaml file (README: params reference).\n"
           "# None means: take it from params/<client_id>.yaml. No credentials here, ever.\n"
           "# Written by reportkit.config.notebook_params.parameters_cell() (a test keeps it current).\n")


def _type_name(annotation) -> str:
    """A parameter's type as papermill shows it (``papermill --help-notebook``): str, float,
    bool, list or dict (a params model is a dict in YAML and in the cell)."""
    import types
    import typing
    from datetime import date
    from pydantic import BaseModel
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        if all(isinstance(a, type) and issubclass(a, BaseModel) for a in args):
            return "dict"
        return _type_name(args[0])
    if origin is typing.Annotated:
        return _type_name(args[0])
    if origin is list:
        return "list"
    if origin is typing.Literal or annotation in (str, date):
        return "str"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "dict"
    return getattr(annotation, "__name__", "str")


def parameters_cell() -> str:
    """The template's parameters cell: each key of the params model with its type and help
    (its description), ``None`` (take it from the params file) except ``client_id``."""
    lines = [_HEADER.rstrip("\n")]
    for name, field in ClientConfig.model_fields.items():
        value = '"acme_outdoor"' if name == "client_id" else "None"
        # papermill cannot parse a line whose help has a quote or " = "
        help_ = " ".join((field.description or "").split()).replace("'", "").replace(" = ", " is ")
        lines.append(f"{name}: {_type_name(field.annotation)} = {value}  # {help_}".rstrip(" #"))
    lines.append('params_file: str = None  # None: params/<client_id>.yaml; "": the parameters are complete')
    return "\n".join(lines)
