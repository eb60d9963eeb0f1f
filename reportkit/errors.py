"""Errors that say where (file, key, row, cell), what is wrong and how to fix it."""

from __future__ import annotations


class ReportkitError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class LocatedError(ReportkitError):
    """An error that says where (file, key, row), what is wrong and how to fix it."""

    def __init__(self, where: str, problem: str, fix: str = ""):
        self.where, self.problem, self.fix = where, problem, fix
        text = f"{where}: {problem}"
        if fix:
            text += f"\n  fix: {fix}"
        super().__init__(text)


class InputError(LocatedError):
    """Bad params or bad input data: the user must fix something (exit status 2)."""

    exit_code = 2


class ConfigError(InputError):
    """A params file that does not validate."""


class DataError(InputError):
    """Input data that fails a hard check."""


class RenderError(ReportkitError):
    """The notebook failed while executing; the failed notebook is kept for inspection."""

    def __init__(self, client_id: str, message: str, failed_notebook: str | None = None,
                 cell_index: int | None = None):
        self.client_id, self.failed_notebook, self.cell_index = client_id, failed_notebook, cell_index
        text = f"{client_id}: {message}"
        if failed_notebook:
            text += f"\n  failed notebook kept at: {failed_notebook}"
        super().__init__(text)


class SourceError(LocatedError):
    """A data source that cannot deliver right now (quota exhausted, API down): exit status 1.

    Not the user's input at fault, so not an InputError; the message still says where,
    what happened and what to do.
    """
