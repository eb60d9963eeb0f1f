"""The batch runner: real notebooks, real forked workers, real kernels, a real Dask LocalCluster.

A client that "hangs" runs a copy of the template notebook with one extra cell that sleeps
for that client only (``client_id == "sleepy"``); every other client runs the same notebook
normally. Leftover processes are found by an environment marker every descendant inherits.
"""

import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import nbformat
import psutil
import pytest
import yaml

from reportkit.run.batch import plan as batch_plan
from reportkit.run.batch import run_batch
from reportkit.run.workers import run_local

pytestmark = pytest.mark.slow  # real worker processes, kernels and Dask clusters

DEMO = ["acme_outdoor", "northwind_b2b", "daily_gazette"]


@pytest.fixture()
def marker(monkeypatch):
    """Every process the batch starts inherits this variable: how leftovers are found."""
    value = uuid.uuid4().hex
    monkeypatch.setenv("REPORTKIT_TEST_MARKER", value)
    return value


def leftovers(marker: str) -> list[str]:
    """Processes started by this test that still run. multiprocessing's resource tracker
    belongs to the test process itself (one per process, gone when it exits): not a leftover."""
    me, found = os.getpid(), []
    for proc in psutil.process_iter(["pid", "cmdline"]):
        if proc.pid == me or "multiprocessing.resource_tracker" in " ".join(proc.info["cmdline"] or []):
            continue
        try:
            if proc.environ().get("REPORTKIT_TEST_MARKER") == marker:
                found.append(f"{proc.pid}: {' '.join(proc.info['cmdline'] or [])[:120]}")
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def assert_no_leftovers(marker: str) -> None:
    deadline = time.monotonic() + 10  # a killed process may take a moment to be reaped
    while (found := leftovers(marker)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found == []


@pytest.fixture()
def sleepy_notebook(tmp_path, root) -> Path:
    """The template plus one cell after the parameters that hangs for client 'sleepy' only.
    Before it sleeps, the cell writes the process it runs in to :func:`hang_started`'s file."""
    nb = nbformat.read(root / "notebooks" / "client_report.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])) + 1
    path = tmp_path / "sleepy_report.ipynb"
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        "import time\nif client_id == 'sleepy':\n"
        "    import json, os, sys\n"
        f"    with open({str(path.with_suffix('.hanging.json'))!r}, 'w') as f:\n"
        "        json.dump({'pid': os.getpid(), 'argv': sys.argv}, f)\n"
        "    time.sleep(600)"))
    nbformat.write(nb, path)
    return path


def hang_started(notebook: Path) -> dict | None:
    """The process in which the sleepy client's cell began its hang ({pid, argv}), or None."""
    path = notebook.with_suffix(".hanging.json")
    return json.loads(path.read_text()) if path.exists() else None


def csv_params(folder: Path, client_id: str, facts: Path, **extra) -> Path:
    values = {"client_id": client_id, "client_name": client_id.title(), "business_model": "ecommerce",
              "period": "2024-03", "currency": "EUR", "source": {"type": "csv", "path": str(facts)},
              **extra}
    path = folder / f"{client_id}.yaml"
    path.write_text(yaml.safe_dump(values))
    return path


def demo_params(root: Path) -> list[Path]:
    return [root / "params" / f"{c}.yaml" for c in DEMO]


def manifest(out: Path, period: str) -> dict:
    data = json.loads((out / period / "manifest.json").read_text())
    return {c["client_id"]: c for c in data["clients"]} | {"_period": data["period"]}


def test_parallel_batch_with_broken_and_hanging_clients(tmp_path, root, small_facts, sleepy_notebook, marker):
    broken = tmp_path / "broken.yaml"
    broken.write_text("client_id: broken\nclient_name: Broken\nbusiness_model: ecommerce\n"
                      "period: '2026-10'\ncurrency: euro\nsource: {type: demo}\n")
    sleepy = csv_params(tmp_path, "sleepy", small_facts, period="2026-10")
    out = tmp_path / "reports"
    started = time.monotonic()
    # the limit is every report's: the demo reports (about 2 s each on an idle machine, fast
    # engine; 7-12 s with the machine's two cores busy) must fit in it
    batch = run_batch([*demo_params(root), broken, sleepy], out=out, workers=2,
                      notebook=sleepy_notebook, report_timeout_s=30, progress=False)
    elapsed = time.monotonic() - started
    by_id = {r.client_id: r for r in batch.results}
    assert sorted(by_id) == sorted([*DEMO, "broken", "sleepy"])
    for client in DEMO:
        assert by_id[client].status == "ok", by_id[client].error
    assert by_id["broken"].status == "failed" and by_id["broken"].exit_code == 2
    assert "currency" in by_id["broken"].error and "broken.yaml" in by_id["broken"].error
    assert by_id["sleepy"].status == "failed"
    assert "wall-clock limit of 30 s" in by_id["sleepy"].error
    assert hang_started(sleepy_notebook) is not None  # the limit cut the hanging cell itself
    assert batch.exit_code == 1  # a failure that is not bad input
    assert elapsed < 120  # the hang was cut at 30 s, not at the 600 s sleep
    assert_no_leftovers(marker)

    m = manifest(out, "2026-10")
    assert m["_period"] == "2026-10"
    assert {k: v["status"] for k, v in m.items() if k != "_period"} == {
        "acme_outdoor": "ok", "northwind_b2b": "ok", "daily_gazette": "ok",
        "broken": "failed", "sleepy": "failed"}
    acme = m["acme_outdoor"]
    assert acme["outputs"]["html"] == str(out.resolve() / "2026-10" / "acme_outdoor.html")
    assert Path(acme["outputs"]["html"]).is_file() and acme["duration_s"] > 0 and acme["error"] is None
    # freshness: the demo data runs to the day before as_of (params: as_of 2026-11-21)
    assert acme["data_to"] == "2026-11-20"
    assert m["sleepy"]["data_to"] is None and "wall-clock" in m["sleepy"]["error"]
    assert not (out / "2026-10" / "sleepy.html").exists()
    assert not list((out / "2026-10").glob(".*"))  # no scratch files left


def test_cell_limit_fails_the_hanging_cell(tmp_path, small_facts, sleepy_notebook, marker):
    sleepy = csv_params(tmp_path, "sleepy", small_facts)
    out = tmp_path / "reports"
    # the cells before the sleeping one only assign the parameters: 1 s is ample for each
    batch = run_batch([sleepy], out=out, notebook=sleepy_notebook, cell_timeout_s=1,
                      report_timeout_s=120, progress=False)
    [result] = batch.results
    assert result.status == "failed"
    # cells: 0 title (markdown), 1 parameters, 2 injected-parameters, 3 the sleeping cell
    assert "cell 3 failed: CellTimeoutError" in result.error, result.error
    assert (out / "2024-03" / "sleepy.failed.ipynb").is_file()
    assert_no_leftovers(marker)


def test_kernel_engine_hang_leaves_no_kernel(tmp_path, root, small_facts, sleepy_notebook, marker):
    sleepy = csv_params(tmp_path, "sleepy", small_facts)
    good = csv_params(tmp_path, "goodco", small_facts)
    out = tmp_path / "reports"
    # Each job carries its own limit: sleepy's is short (its kernel reaches the hang in about
    # 1-2.5 s), goodco's kernel render (about 5 s, 7-11 s on a loaded 2-core machine) has room.
    jobs, failed, _ = batch_plan([sleepy, good], out, engine="kernel", notebook=str(sleepy_notebook),
                                 report_timeout_s=120, cell_timeout_s=120)
    assert not failed
    jobs = [replace(job, report_timeout_s=8) if job.client_id == "sleepy" else job for job in jobs]
    results = []
    run_local(jobs, 2, results.append)
    by_id = {r.client_id: r for r in results}
    assert by_id["goodco"].status == "ok", by_id["goodco"].error
    assert by_id["sleepy"].status == "failed" and "wall-clock limit of 8 s" in by_id["sleepy"].error
    hung = hang_started(sleepy_notebook)  # the kernel had started and was running the hang
    assert hung is not None and "ipykernel" in " ".join(hung["argv"]), hung
    # small_facts: the last date in the file is 2024-03-02
    side = json.loads((out / "2024-03" / "goodco.json").read_text())
    assert side["data_quality"]["data_to"] == "2024-03-02"
    assert_no_leftovers(marker)  # the sleeping kernel was killed with its worker


def test_resume_reruns_only_failed_or_missing(tmp_path, small_facts, marker):
    a = csv_params(tmp_path, "alpha", small_facts)
    b = csv_params(tmp_path, "beta", tmp_path / "not_there_yet.csv")
    c = csv_params(tmp_path, "gamma", small_facts)
    out = tmp_path / "reports"
    first = run_batch([a, b, c], out=out, workers=2, progress=False)
    assert {r.client_id: r.status for r in first.results} == {"alpha": "ok", "beta": "failed", "gamma": "ok"}
    assert first.exit_code == 2  # the only failure is bad input (a missing data file)
    folder = out / "2024-03"
    alpha_html = (folder / "alpha.html").stat().st_mtime_ns
    (folder / "gamma.json").unlink()  # an output gone missing

    (tmp_path / "not_there_yet.csv").write_text(small_facts.read_text())
    second = run_batch([a, b, c], out=out, workers=2, resume=True, progress=False)
    assert sorted(r.client_id for r in second.results) == ["beta", "gamma"]  # alpha skipped
    assert all(r.status == "ok" for r in second.results) and second.exit_code == 0
    assert (folder / "alpha.html").stat().st_mtime_ns == alpha_html
    m = manifest(out, "2024-03")
    assert {k: m[k]["status"] for k in ("alpha", "beta", "gamma")} == {"alpha": "ok", "beta": "ok", "gamma": "ok"}
    # small_facts: the last date in the file is 2024-03-02, for the skipped client too
    assert {k: m[k]["data_to"] for k in ("alpha", "beta", "gamma")} == dict.fromkeys(("alpha", "beta", "gamma"),
                                                                               "2024-03-02")
    assert (folder / "gamma.json").is_file() and not (folder / "beta.failed.ipynb").exists()


@pytest.mark.parametrize("engine", ["fast", "kernel"])
def test_killed_worker_is_recorded_and_the_batch_goes_on(tmp_path, root, small_facts, sleepy_notebook, marker,
                                                         engine):
    sleepy = csv_params(tmp_path, "sleepy", small_facts)
    good = csv_params(tmp_path, "goodco", small_facts)
    out = tmp_path / "reports"
    proc = subprocess.Popen(
        [sys.executable, "-m", "reportkit.cli", "run", str(sleepy), str(good), "--out", str(out),
         "--workers", "2", "--timeout", "300", "--notebook", str(sleepy_notebook), "--engine", engine],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root)
    try:
        # the worker's scratch notebook is named .<client_id>.<worker pid>.running.ipynb
        deadline, pid = time.monotonic() + 60, None
        while pid is None and time.monotonic() < deadline:
            for scratch in (out / "2024-03").glob(".sleepy.*.running.ipynb"):
                pid = int(scratch.name.split(".")[2])
            time.sleep(0.1)
        assert pid is not None, "the sleepy client never started"
        if engine == "kernel":  # kill the worker once its kernel runs: the kernel must not survive it
            def kernels():
                found = []
                for child in psutil.Process(pid).children(recursive=True):
                    try:  # a short-lived child may exit between the listing and this look
                        if "ipykernel" in " ".join(child.cmdline()):
                            found.append(child)
                    except psutil.Error:
                        pass
                return found
            while not kernels() and time.monotonic() < deadline:
                time.sleep(0.1)
            assert kernels(), "the sleepy worker's kernel never started"
            time.sleep(1)
        os.kill(pid, signal.SIGKILL)  # as the out-of-memory killer would
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 1, stderr[-2000:]
    assert re.search(r"^ok +goodco ", stdout, re.M), stdout
    assert re.search(r"^FAILED +sleepy .*worker process died: signal SIGKILL", stdout, re.M), stdout
    assert "Traceback" not in stdout + stderr and "without encryption" not in stderr
    m = manifest(out, "2024-03")
    assert m["goodco"]["status"] == "ok" and m["sleepy"]["status"] == "failed"
    assert "signal SIGKILL" in m["sleepy"]["error"]
    assert (out / "2024-03" / "sleepy.failed.ipynb").is_file()  # kept for inspection
    assert_no_leftovers(marker)


def test_fast_engine_equals_kernel_engine(tmp_path, root, marker):
    fast, kernel = tmp_path / "fast", tmp_path / "kernel"
    assert run_batch(demo_params(root), out=fast, engine="fast", progress=False).exit_code == 0
    assert run_batch(demo_params(root), out=kernel, engine="kernel", progress=False).exit_code == 0

    def text(html: str) -> str:
        # the generation time differs when the two runs straddle a minute: "generated 22 Nov 2026 21:18 UTC"
        html = re.sub(r"generated \d{4}-\d\d-\d\dT[\d:+]+", "generated T", html)
        return re.sub(r"generated \d{1,2} \w{3} \d{4} \d\d:\d\d UTC", "generated T", html)

    def outputs(nb):
        return [[(o.output_type, sorted(o.get("data", {}))) for o in c.get("outputs", [])] for c in nb.cells]

    def svgs(nb):
        return [o.data["image/svg+xml"] for c in nb.cells for o in c.get("outputs", [])
                if "image/svg+xml" in o.get("data", {})]

    for client in DEMO:
        a, b = (json.loads((d / "2026-10" / f"{client}.json").read_text()) for d in (fast, kernel))
        a.pop("generated_at"), b.pop("generated_at")
        assert a == b, client  # the same sidecar

        ha, hb = ((d / "2026-10" / f"{client}.html").read_text() for d in (fast, kernel))
        images = [len(re.findall(r'<div class="output_svg output_subarea rk-chart">', h)) for h in (ha, hb)]
        # the same charts in both (trend, channels, one per goal, budget): at least the first two
        assert images[0] == images[1] and images[0] >= 2, (client, images)
        assert text(ha) == text(hb), client  # the same page, charts included, apart from the generation time

        na, nb_ = (nbformat.read(d / "2026-10" / f"{client}.ipynb", as_version=4) for d in (fast, kernel))
        assert outputs(na) == outputs(nb_), client
        assert [c.get("execution_count") for c in na.cells] == [c.get("execution_count") for c in nb_.cells]
        assert svgs(na) == svgs(nb_), client  # the very same charts
    assert_no_leftovers(marker)


PROBE = """\
import json, os, sys
import matplotlib
import reportkit
print(json.dumps({"pid": os.getpid(),
                  "seen_by_module": getattr(reportkit, "_probe_seen", []),
                  "leaked_globals": sorted(k for k in globals() if k.startswith("leak_")),
                  "env": os.environ.get("RK_PROBE_LEAK"),
                  "linewidth": matplotlib.rcParams["lines.linewidth"]}))
reportkit._probe_seen = getattr(reportkit, "_probe_seen", []) + [client_id]
globals()["leak_" + client_id] = True
os.environ["RK_PROBE_LEAK"] = client_id
matplotlib.rcParams["lines.linewidth"] = 7.0
"""


def test_no_state_shared_between_clients_in_one_worker(tmp_path, root, small_facts, marker):
    nb = nbformat.read(root / "notebooks" / "client_report.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    probe_nb = tmp_path / "probe.ipynb"
    nbformat.write(nb, probe_nb)
    files = [csv_params(tmp_path, c, small_facts) for c in ("first", "second", "third")]
    out = tmp_path / "reports"
    batch = run_batch(files, out=out, workers=1, notebook=probe_nb, progress=False)  # one worker slot
    assert batch.exit_code == 0, [r.error for r in batch.results]
    seen = {}
    for client in ("first", "second", "third"):
        cell = nbformat.read(out / "2024-03" / f"{client}.ipynb", as_version=4).cells[-1]
        [stream] = [o for o in cell.outputs if o.output_type == "stream" and o.name == "stdout"]
        seen[client] = json.loads(stream.text)
    for client, probe in seen.items():
        # every client starts clean: nothing from the clients run before it in the same slot
        assert probe["seen_by_module"] == [] and probe["leaked_globals"] == [], client
        assert probe["env"] is None and probe["linewidth"] == 1.5, client  # matplotlib's default 1.5
    assert len({p["pid"] for p in seen.values()}) == 3 and os.getpid() not in {p["pid"] for p in seen.values()}
    assert_no_leftovers(marker)


def test_dask_local_cluster(tmp_path, root, small_facts, marker):
    files = [*demo_params(root)[:2], csv_params(tmp_path, "goodco", small_facts)]
    out = tmp_path / "reports"
    batch = run_batch(files, out=out, workers=2, dask_local=True, progress=False)
    assert batch.exit_code == 0, [r.error for r in batch.results]
    assert sorted(r.client_id for r in batch.results) == ["acme_outdoor", "goodco", "northwind_b2b"]
    m = manifest(out, "2026-10")
    assert m["acme_outdoor"]["status"] == m["northwind_b2b"]["status"] == "ok"
    assert (out / "2024-03" / "goodco.html").is_file()
    assert manifest(out, "2024-03")["goodco"]["data_to"] == "2024-03-02"  # last date in small_facts
    assert_no_leftovers(marker)


def test_dask_scheduler_address_from_the_cli(tmp_path, root, small_facts, marker):
    import dask
    from dask.distributed import LocalCluster

    # an "existing" cluster: 2 worker processes, started as the README tells (non-daemonic)
    with dask.config.set({"distributed.worker.daemon": False}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    out = tmp_path / "reports"
    bad = csv_params(tmp_path, "nodata", tmp_path / "missing.csv")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "reportkit.cli", "run", str(root / "params" / "daily_gazette.yaml"),
             str(csv_params(tmp_path, "goodco", small_facts)), str(bad), "--out", str(out),
             "--scheduler", cluster.scheduler_address],
            capture_output=True, text=True, cwd=root, timeout=300)
    finally:
        cluster.close()
    assert proc.returncode == 2, proc.stdout + proc.stderr[-2000:]  # the only failure: bad input
    assert re.search(r"^ok +daily_gazette ", proc.stdout, re.M) and re.search(r"^ok +goodco ", proc.stdout, re.M)
    assert re.search(r"^FAILED +nodata .*data file not found", proc.stdout, re.M), proc.stdout
    m = manifest(out, "2024-03")
    assert m["goodco"]["status"] == "ok" and m["nodata"]["status"] == "failed"
    assert manifest(out, "2026-10")["daily_gazette"]["data_to"] == "2026-11-20"  # as_of 2026-11-21 minus a day
    assert_no_leftovers(marker)


def test_plain_papermill_cli_with_the_in_process_engine(tmp_path, root):
    """The engine is registered with papermill (entry point): usable outside reportkit's batch."""
    out = tmp_path / "out.ipynb"
    proc = subprocess.run([sys.executable, "-m", "papermill", "notebooks/client_report.ipynb", str(out),
                           "-f", "params/daily_gazette.yaml", "--engine", "reportkit-inprocess",
                           "--no-progress-bar"], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr[-2000:]
    nb = nbformat.read(out, as_version=4)
    sidecars = [o for c in nb.cells for o in c.get("outputs", [])
                if "application/vnd.reportkit.sidecar+json" in o.get("data", {})]
    assert len(sidecars) == 1
    assert sidecars[0]["data"]["application/vnd.reportkit.sidecar+json"]["client_name"] == "The Daily Gazette"
    charts = [o for c in nb.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
    goals = sidecars[0]["data"]["application/vnd.reportkit.sidecar+json"]["goals"]
    assert len(goals) == 3
    # the daily trend, the channel chart and one chart per goal, at least
    assert len(charts) >= 2 + len(goals)


FLAKY_KERNEL = """\
import os, sys
marker = os.environ["REPORTKIT_FLAKY_MARKER"]
if not os.path.exists(marker):
    open(marker, "w").close()
    sys.exit(1)  # the first start dies before replying, as a kernel that lost a port race
os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *sys.argv[1:]])
"""


def test_kernel_start_failure_is_retried(tmp_path, small_facts, monkeypatch, marker):
    """A real kernelspec named python3 (JUPYTER_PATH comes first) whose first start dies."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (tmp_path / "flaky.py").write_text(FLAKY_KERNEL)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, str(tmp_path / "flaky.py"), "-f", "{connection_file}"],
        "display_name": "flaky python3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("REPORTKIT_FLAKY_MARKER", str(tmp_path / "first-start-done"))
    batch = run_batch([csv_params(tmp_path, "goodco", small_facts)], out=tmp_path / "reports",
                      engine="kernel", progress=False)
    [result] = batch.results
    assert (tmp_path / "first-start-done").exists()  # the first start did die
    assert result.status == "ok", result.error  # and the second attempt rendered the report
    assert (tmp_path / "reports" / "2024-03" / "goodco.html").is_file()
    assert_no_leftovers(marker)


def test_threaded_parent_uses_a_forkserver_and_stops_it(tmp_path, small_facts, marker):
    """Forking a multi-threaded process is unsafe: then clients are forked from a forkserver,
    which must not outlive the batch either."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        batch = run_batch([csv_params(tmp_path, c, small_facts) for c in ("one", "two")],
                          out=tmp_path / "reports", workers=2, progress=False)
    finally:
        stop.set()
        thread.join()
    assert batch.exit_code == 0, [r.error for r in batch.results]
    assert (tmp_path / "reports" / "2024-03" / "two.html").is_file()
    assert_no_leftovers(marker)


def test_cli_expands_a_quoted_glob_of_params(tmp_path, root, small_facts):
    for client in ("shop_a", "shop_b", "other"):
        csv_params(tmp_path, client, small_facts)
    out = tmp_path / "reports"
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", str(tmp_path / "shop_*.yaml"),
                           "--out", str(out)], capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    assert sorted(c for c in manifest(out, "2024-03") if c != "_period") == ["shop_a", "shop_b"]
    none = subprocess.run([sys.executable, "-m", "reportkit.cli", "run", str(tmp_path / "nope_*.yaml")],
                          capture_output=True, text=True, cwd=root)
    assert none.returncode == 2 and "matches no params file" in none.stderr


def test_a_reader_that_goes_away_does_not_stop_the_batch(tmp_path, root):
    """`reportkit run ... | head -1`: the status lines stop, the batch does not; every
    report and the manifest are written and the exit status is still the batch's."""
    proc = subprocess.Popen([sys.executable, "-m", "reportkit.cli", "run", *map(str, demo_params(root)),
                             "--out", str(tmp_path)], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL)
    proc.stdout.readline()          # the first status line, then the reader is gone
    proc.stdout.close()
    assert proc.wait(timeout=300) == 0
    manifest = json.loads((tmp_path / "2026-10" / "manifest.json").read_text())
    assert sorted(c["client_id"] for c in manifest["clients"] if c["status"] == "ok") == sorted(DEMO)
    assert all((tmp_path / "2026-10" / f"{c}.html").exists() for c in DEMO)


START_AFTER_A_RESET = """
import sys, threading
from reportkit.run.engine import get_shell
from reportkit.run.workers import _mp_context
get_shell().reset(new_session=False)        # a second in-process notebook in this process
assert not hasattr(sys.modules["__main__"], "__spec__")   # IPython's reset deleted it
stop = threading.Event()
threading.Thread(target=stop.wait, daemon=True).start()   # a thread runs: forkserver
ctx = _mp_context()
assert ctx.get_start_method() == "forkserver"
worker = ctx.Process(target=sys.exit, args=(7,))
worker.start()
worker.join(120)
stop.set()
print(worker.exitcode)
"""


def test_a_batch_starts_workers_after_an_in_process_shell_was_reset(root):
    """A batch started from a process whose IPython shell has run two notebooks (a test, an
    analyst's kernel): IPython's reset empties ``__main__``, its ``__spec__`` with it, and
    forkserver reads that to prepare every child. Run in its own process: the shell takes
    over ``__main__``."""
    proc = subprocess.run([sys.executable, "-c", START_AFTER_A_RESET], capture_output=True, text=True,
                          timeout=300, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "7"
