"""A papermill engine that runs the notebook's cells in the current process.

``reportkit-inprocess`` executes each code cell with an IPython ``InteractiveShell`` and
records what a Jupyter kernel would send as nbformat outputs: ``display_data`` (from
``display()``, including custom mimetypes such as the sidecar's), ``execute_result``,
``stream`` (stdout/stderr) and ``error`` (ename, evalue, traceback), so papermill's own
error handling (``PapermillExecutionError``) and nbconvert see the same notebook.

It skips the kernel's start-up and imports, which dominate a report's run time. It has no
isolation of its own: the batch runner (:mod:`reportkit.run.batch`) forks one fresh process per
client from a parent that has already imported pandas, matplotlib, seaborn and reportkit, so
every client starts from the same clean state and nothing survives a client. Used alone,
``papermill --engine reportkit-inprocess`` is fine for one notebook per process.
"""

from __future__ import annotations

import base64
import signal
import sys
import threading

import nbformat
from IPython.core.displayhook import DisplayHook
from IPython.core.displaypub import DisplayPublisher
from IPython.core.interactiveshell import InteractiveShell
from traitlets import Type
from traitlets.config import Config

ENGINE_NAME = "reportkit-inprocess"


class CellTimeoutError(Exception):
    """A cell ran longer than the per-cell limit."""


class _Sink:
    """Collects one cell's outputs in the order they happen."""

    def __init__(self):
        self.outputs: list = []

    def stream(self, name: str, text: str) -> None:
        if not text:
            return
        last = self.outputs[-1] if self.outputs else None
        if last is not None and last.output_type == "stream" and last.name == name:
            last.text += text
        else:
            self.outputs.append(nbformat.v4.new_output("stream", name=name, text=text))

    def rich(self, output_type: str, data: dict, metadata: dict | None, **extra) -> None:
        clean = {mime: (base64.b64encode(v).decode("ascii") if isinstance(v, bytes) else v)
                 for mime, v in data.items()}
        self.outputs.append(nbformat.v4.new_output(output_type, data=clean,
                                                   metadata=dict(metadata or {}), **extra))


class _Stream:
    """A text file object that turns writes into ``stream`` outputs."""

    def __init__(self, sink: _Sink, name: str):
        self._sink, self.name, self.encoding = sink, name, "utf-8"

    def write(self, text):
        self._sink.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass

    def isatty(self):
        return False


class _Publisher(DisplayPublisher):
    def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **kw):
        self.shell.current_sink.rich("display_data", data, metadata)

    def clear_output(self, wait=False):
        self.shell.current_sink.outputs.clear()


class _Hook(DisplayHook):
    def write_output_prompt(self):
        pass

    def write_format_data(self, format_dict, md_dict=None):
        self.shell.current_sink.rich("execute_result", format_dict, md_dict,
                                     execution_count=self.shell.execution_count)

    def finish_displayhook(self):
        self._is_active = False


class ReportShell(InteractiveShell):
    """An InteractiveShell whose displays, results and errors become nbformat outputs."""

    display_pub_class = Type(_Publisher)
    displayhook_class = Type(_Hook)
    current_sink = _Sink()

    def enable_gui(self, gui=None):
        """No GUI event loop: figures are shown inline, as in a Jupyter kernel."""
        if gui not in (None, "inline"):
            raise NotImplementedError(f"{ENGINE_NAME} shows figures inline only, not with {gui!r}")

    def _showtraceback(self, etype, evalue, stb):
        self.current_sink.outputs.append(nbformat.v4.new_output(
            "error", ename=str(etype.__name__), evalue=str(evalue), traceback=list(stb)))


def get_shell() -> ReportShell:
    """The process's shell, built on first use."""
    if InteractiveShell.initialized():
        shell = InteractiveShell.instance()
        if isinstance(shell, ReportShell):
            return shell
        raise RuntimeError(f"{ENGINE_NAME}: another IPython shell runs in this process; "
                           "use the kernel engine here")
    config = Config()
    config.HistoryManager.enabled = False
    shell = ReportShell.instance(config=config)
    # matplotlib's inline backend, as ipykernel starts every kernel with: a Figure as a cell's
    # last expression is displayed, plt.show() displays and figures left open at the end of a
    # cell are shown and closed (its post_execute hook)
    shell.enable_matplotlib("inline")
    return shell


def _on_alarm(signum, frame):
    raise CellTimeoutError("the cell ran longer than the per-cell limit")


_used = False  # has this process's shell run a notebook yet?


def execute_managed_notebook(nb_man, execution_timeout=None):
    """Run every code cell of papermill's managed notebook in this process's shell."""
    global _used
    shell = get_shell()
    if _used:  # a second notebook in this process: start from an empty namespace
        shell.reset(new_session=False)
    _used = True
    # each notebook starts with an empty input history (``In``), as in a fresh kernel: the
    # parameter checks read the parameters cells this notebook ran from it
    shell.history_manager.input_hist_parsed[:] = [""]
    shell.history_manager.input_hist_raw[:] = [""]
    shell.execution_count = 1
    nb = nb_man.nb
    nb.metadata["language_info"] = {
        "name": "python", "version": sys.version.split()[0], "mimetype": "text/x-python",
        "file_extension": ".py", "codemirror_mode": {"name": "ipython", "version": 3},
        "pygments_lexer": "ipython3", "nbconvert_exporter": "python"}
    # The notebook is written when it starts (papermill, before this: a killed run leaves
    # it behind) and once when it ends (papermill's final write, or its write of a failed
    # notebook), not after every cell nor again on completion: an in-process run is short
    # and each save of a notebook with its charts costs ~20 ms.
    nb_man.output_path = None
    _run_cells(nb_man, shell, execution_timeout)
    return nb


def _run_cells(nb_man, shell, execution_timeout) -> None:
    timed = bool(execution_timeout) and threading.current_thread() is threading.main_thread()
    for index, cell in enumerate(nb_man.nb.cells):
        if cell.cell_type != "code":
            continue
        nb_man.cell_start(cell, index)
        sink = _Sink()
        ReportShell.current_sink = sink
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = _Stream(sink, "stdout"), _Stream(sink, "stderr")
        previous_handler = signal.signal(signal.SIGALRM, _on_alarm) if timed else None
        try:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, float(execution_timeout))
            result = shell.run_cell(cell.source, store_history=True)
        finally:
            if timed:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous_handler)
            sys.stdout, sys.stderr = saved
        cell.execution_count = result.execution_count
        cell.outputs = sink.outputs
        failed = not result.success
        if failed:
            if not any(o.output_type == "error" for o in cell.outputs):
                error = result.error_in_exec or result.error_before_exec
                cell.outputs.append(nbformat.v4.new_output(
                    "error", ename=type(error).__name__, evalue=str(error), traceback=[]))
            nb_man.cell_exception(cell, index)
        nb_man.cell_complete(cell, index)
        if failed:
            break


def _engine_class():
    """papermill loads its engines (entry point ``papermill.engine``) while ``papermill.engines``
    is still being imported, so this module must not import it at import time: the engine
    class is made on first access of ``reportkit.run.engine.InProcessEngine``."""
    from papermill.engines import Engine

    class InProcessEngine(Engine):
        """papermill engine: execute cells in this process with IPython, outputs as a kernel sends them."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, execution_timeout=None, **kwargs):
            return execute_managed_notebook(nb_man, execution_timeout)

    return InProcessEngine


def register() -> None:
    """Register the engine with papermill (the package's entry point does it when installed)."""
    from papermill.engines import papermill_engines
    papermill_engines.register(ENGINE_NAME, __getattr__("InProcessEngine"))


def __getattr__(name):
    if name == "InProcessEngine":
        cls = globals()["InProcessEngine"] = _engine_class()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
