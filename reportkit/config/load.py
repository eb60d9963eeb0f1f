"""Reading params: a YAML file, the notebook's parameters over it, validated into a ClientConfig."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import ValidationError

from reportkit.config.client import ClientConfig
from reportkit.config.explain import explain
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


def from_notebook(namespace: dict) -> ClientConfig:
    """The config of a notebook run: its parameter variables over a params file.

    The template's parameters cell leaves every key ``None`` except ``client_id``, so an
    analyst can open the notebook, set ``client_id`` (and override any key) and run it.
    The base file is ``params_file`` when the runner names it, else
    ``params/<client_id>.yaml``; ``params_file = ""`` means the parameters are complete
    (no file is read). Plain ``papermill -f params/<client>.yaml`` injects every key of
    that file.
    """
    given = {name: namespace[name] for name in ClientConfig.model_fields
             if namespace.get(name) is not None}
    named = namespace.get("params_file")
    client_id = given.get("client_id")
    if named is not None:
        file = resolve_path(named) if named else None
    else:
        file = resolve_path(f"params/{client_id}.yaml") if client_id else None
    values = read_params(file) if file and file.is_file() else {}
    if {"start", "end"} & given.keys():
        values.pop("period", None)
    if "period" in given:
        values.pop("start", None), values.pop("end", None)
    values.update(given)
    where = str(file) if file and file.is_file() else "notebook parameters"
    return validate(values, where=where)
