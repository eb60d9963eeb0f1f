"""Reading params: a YAML file, the notebook's parameters over it, validated into a ClientConfig."""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml
from pydantic import ValidationError

from reportkit.config.client import ClientConfig
from reportkit.config.explain import explain
from reportkit.config.notebook_params import parameter_names, unknown_names, valid_names
from reportkit.errors import ConfigError, InputError
from reportkit.paths import resolve_path

# Input limits: a params file is a few kilobytes; these are far above any real one and far
# below what hurts (a "billion laughs" file, a 50 MB name in every heading and chart).
MAX_PARAMS_BYTES = 1_000_000
MAX_YAML_NODES = 100_000        # after alias expansion: aliases may not multiply a small file
MAX_NAME_CHARS = 200            # names and labels shown in headings, charts and tables
MAX_TEXT_CHARS = 5_000          # any other text value
NAME_KEYS = {"client_name", "name", "label", "title"}
# control characters (tab and newline aside) and the bidi embeddings/overrides/isolates:
# they break chart SVGs and can reverse the figures around a name on the page
_BAD_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
BAD_CHARS = _BAD_CHARS  # the same rule for the texts of the work files (reportkit.work.files)


def check_text(values, where: str, path: str = "") -> None:
    """Every text value within its length limit and free of control and bidi-override characters."""
    if isinstance(values, dict):
        for key, value in values.items():
            check_text(value, where, f"{path}.{key}" if path else str(key))
    elif isinstance(values, list):
        for index, value in enumerate(values):
            check_text(value, where, f"{path}[{index}]")
    elif isinstance(values, str):
        leaf = path.rsplit(".", 1)[-1].split("[")[0]
        limit = MAX_NAME_CHARS if leaf in NAME_KEYS else MAX_TEXT_CHARS
        if len(values) > limit:
            raise ConfigError(f"{where}: key '{path}'", f"is {len(values):,} characters long; at most "
                              f"{limit:,} are allowed", "shorten it")
        bad = _BAD_CHARS.search(values)
        if bad:
            raise ConfigError(f"{where}: key '{path}'",
                              f"contains the control character U+{ord(bad.group()):04X} at position "
                              f"{bad.start() + 1}", "remove it (retype the text in a plain editor)")


def validate(values: dict, where: str = "params") -> ClientConfig:
    """A ClientConfig from a dict, or a ConfigError naming ``where``, the key and the fix."""
    if not isinstance(values, dict):
        raise ConfigError(where, "the params file must be a mapping of keys to values",
                          "start from params/acme_outdoor.yaml")
    check_text(values, where)
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


def _read_text(path: Path, error: type[InputError]) -> str:
    size = path.stat().st_size
    if size > MAX_PARAMS_BYTES:
        raise error(str(path), f"is {size:,} bytes; a params file may have at most {MAX_PARAMS_BYTES:,}",
                    "keep long texts in the work or commentary files the params name")
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = raw[:problem.start].count(b"\n") + 1
        raise error(str(path), f"is not UTF-8 text: byte 0x{raw[problem.start]:02x} at line {line} "
                    "(saved as Windows-1252 or Latin-1?)", "save the file as UTF-8") from None


def _expanded_size(node, seen: dict) -> int:
    """How many nodes ``node`` stands for once every alias is expanded (without expanding)."""
    key = id(node)
    if key in seen:
        return seen[key]
    seen[key] = 1  # a recursive alias counts once (PyYAML refuses it when constructing)
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, seen) + _expanded_size(v, seen) for k, v in node.value)
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, seen) for v in node.value)
    else:
        size = 1
    seen[key] = size
    return size


def load_yaml(path: Path, error: type[InputError] = ConfigError):
    """A YAML file's content, or ``error`` naming the file, line and column of bad syntax.

    Within limits: the file's size (:data:`MAX_PARAMS_BYTES`) and the nodes it stands for
    once aliases are expanded (:data:`MAX_YAML_NODES`), checked before anything is built."""
    text = _read_text(path, error)
    loader = _SAFE_LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        size = _expanded_size(node, {})
        if size > MAX_YAML_NODES:
            raise error(str(path), f"expands to more than {MAX_YAML_NODES:,} values through YAML "
                        "aliases (*name)", "write the values out, or use fewer aliases")
        return loader.construct_document(node)
    except yaml.YAMLError as problem:
        mark = getattr(problem, "problem_mark", None)
        line = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        what = getattr(problem, "problem", problem)
        lines = text.splitlines()
        if mark and mark.line < len(lines) and "\t" in lines[mark.line]:
            what = f"a tab character (YAML indents with spaces, never tabs): {what}"
        raise error(str(path), f"is not valid YAML{line}: {what}",
                    "fix the YAML syntax (indentation with spaces, a missing ':' or quote)") from None
    finally:
        loader.dispose()


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
