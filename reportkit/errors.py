"""Errors that say where (file, key, row, cell), what is wrong and how to fix it.

Every error keeps its parts as attributes and its constructor arguments as ``args``, so it
survives pickling (a worker process or a Dask task hands it back to the batch) unchanged.
"""

from __future__ import annotations


class ReportkitError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 1
    failed_notebook: str | None = None    # where the failed run's notebook was kept, if any

    def kept_at(self, path: str) -> "ReportkitError":
        """Record where the failed run's notebook was kept (shown under the message)."""
        self.failed_notebook = path
        return self

    def _render_traceback_(self) -> list[str]:
        """What IPython (JupyterLab, papermill, the in-process engine) shows for this error:
        the message, not a traceback (it says where and how to fix already)."""
        return [f"{type(self).__name__}: {line}" if i == 0 else line
                for i, line in enumerate(str(self).splitlines())]

    def _kept(self) -> str:
        return f"\n  failed notebook kept at: {self.failed_notebook}" if self.failed_notebook else ""


class LocatedError(ReportkitError):
    """An error that says where (file, key, row), what is wrong and how to fix it."""

    def __init__(self, where: str, problem: str, fix: str = ""):
        self.where, self.problem, self.fix = where, problem, fix
        super().__init__(where, problem, fix)

    def __str__(self) -> str:
        return f"{self.where}: {self.problem}" + (f"\n  fix: {self.fix}" if self.fix else "") + self._kept()


class InputError(LocatedError):
    """Bad params or bad input data: the user must fix something (exit status 2)."""

    exit_code = 2


class ConfigError(InputError):
    """A params file that does not validate."""


class DataError(InputError):
    """Input data that fails a hard check."""


class SourceError(LocatedError):
    """A data source that cannot deliver right now (quota exhausted, API down): exit status 1.

    Not the user's input at fault, so not an InputError; the message still says where,
    what happened and what to do.
    """


class RenderError(ReportkitError):
    """The notebook failed while executing (``cell_index``: the failing cell, when known)."""

    def __init__(self, client_id: str, message: str, cell_index: int | None = None):
        self.client_id, self.message, self.cell_index = client_id, message, cell_index
        super().__init__(client_id, message, cell_index)

    def __str__(self) -> str:
        return f"{self.client_id}: {self.message}" + self._kept()
