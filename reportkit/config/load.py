"""Reading params: a YAML file, the notebook's parameters over it, validated into a ClientConfig."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from reportkit.config.client import ClientConfig
from reportkit.config.explain import explain
from reportkit.config.notebook_params import parameter_names, unknown_names, valid_names
from reportkit.errors import ConfigError, InputError
from reportkit.paths import resolve_path

def validate(values: dict, where: str = "params") -> ClientConfig:
    """A ClientConfig from a dict, or a ConfigError naming ``where``, the key and the fix."""
    if not isinstance(values, dict):
        raise ConfigError(where, "the params file must be a mapping of keys to values",
                          "start from params/acme_outdoor.yaml")
    try:
        return ClientConfig.model_validate(values)
    except ValidationError as error:
        raise explain(error, where) from None


def read_params(path: str | os.PathLike) -> dict:
    """The raw mapping of a params YAML file, with a clear error for unreadable YAML."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError(str(path), "params file not found", "check the path; params live in params/<client_id>.yaml")
    values = load_yaml(path)
    return values if values is not None else {}


# libyaml's safe loader when PyYAML has it (its wheels do): ~10x quicker than the pure-Python one
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path, error: type[InputError] = ConfigError):
    """A YAML file's content, or ``error`` naming the file, line and column of bad syntax."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise error(str(path), f"is not valid YAML{line}: {getattr(problem, 'problem', problem)}",
                    "fix the YAML syntax (indentation, a missing ':' or quote)") from None


def load(path: str | os.PathLike) -> ClientConfig:
    return validate(read_params(path), where=str(path))


NOTEBOOK_CELL = "the notebook's parameters cell"
INJECTED = "papermill's parameters (-p, -f or reportkit run)"


def parameter_origins(namespace: dict) -> dict[str, str]:
    """Which cell set each parameter: the notebook's own parameters cell or the one papermill
    injected, read from the cells this session ran (IPython's ``In``; papermill's injected
    cell starts with ``# Parameters``, the template's with ``# Parameters:``). Later wins."""
    origins: dict[str, str] = {}
    for source in namespace.get("In") or []:
        first = source.lstrip().split("\n", 1)[0].strip() if isinstance(source, str) else ""
        if not first.startswith("# Parameters"):
            continue
        try:
            names = parameter_names(source)
        except SyntaxError:
            continue
        origin = INJECTED if first == "# Parameters" else NOTEBOOK_CELL
        origins.update(dict.fromkeys(names, origin))
    return origins


def from_notebook(namespace: dict) -> ClientConfig:
    """The config of a notebook run: its parameter variables over a params file.

    The template's parameters cell leaves every key ``None`` except ``client_id``, so an
    analyst can open the notebook, set ``client_id`` (and override any key) and run it.
    The base file is ``params_file`` when the runner names it, else
    ``params/<client_id>.yaml``; ``params_file = ""`` means the parameters are complete
    (no file is read). Plain ``papermill -f params/<client>.yaml`` injects every key of
    that file.

    A name in a parameters cell that is not a params key, a missing params file and a value
    that does not validate are ConfigErrors saying where the value came from: the notebook's
    parameters cell, papermill's parameters, or the params file.
    """
    origins = parameter_origins(namespace)
    unknown = unknown_names(origins)
    if unknown:
        raise ConfigError(origins[unknown[0]], f"unknown parameter {unknown[0]!r}",
                          f"correct its spelling; the parameters are: {', '.join(valid_names())}")
    given = {name: namespace[name] for name in ClientConfig.model_fields
             if namespace.get(name) is not None}
    named = namespace.get("params_file")
    client_id = given.get("client_id")
    if named is not None:
        file = resolve_path(named) if named else None
    else:
        file = resolve_path(f"params/{client_id}.yaml") if client_id else None
    if file is not None and not file.is_file() and (named or not {"client_name", "business_model"} <= given.keys()):
        known = sorted(p.stem for p in resolve_path("params").glob("*.yaml"))
        raise ConfigError(str(file), f"params file not found (client_id = {client_id!r})",
                          f"create it, or set client_id to one of: {', '.join(known) or '(no params files)'}")
    values = read_params(file) if file and file.is_file() else {}
    if {"start", "end"} & given.keys():
        values.pop("period", None)
    if "period" in given:
        values.pop("start", None), values.pop("end", None)
    values.update(given)
    where = str(file) if file and file.is_file() else "notebook parameters"
    try:
        return ClientConfig.model_validate(values)
    except ValidationError as error:
        key = str(error.errors()[0]["loc"][0]) if error.errors()[0]["loc"] else ""
        if key in given:
            where = origins.get(key, "notebook parameters")
        raise explain(error, where) from None
