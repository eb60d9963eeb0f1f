"""Faults a batch must survive: concurrent manifests, a full disk, signals, torn output sets,
incremental runs. Real worker processes, a real tmpfs (mounted in a private mount namespace),
real signals; leftovers are found by the environment marker of tests/test_batch.py."""

import json
import multiprocessing
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from reportkit.contracts.manifest import ManifestEntry
from reportkit.deliver.manifest import read_manifest, write_manifest
from reportkit.paths import finish_swaps, replace_set, staged_path
from reportkit.run.batch import UNCHANGED, run_batch
from tests.test_batch import assert_no_leftovers, csv_params, hang_started, manifest, marker, sleepy_notebook  # noqa: F401


# ---------------------------------------------------------------- manifest: locked read-merge-write

def _write_one(args):
    folder, client_id, barrier = args
    barrier.wait()
    write_manifest(Path(folder), [ManifestEntry(client_id=client_id, params=f"/p/{client_id}.yaml",
                                                status="ok", duration_s=1.0)])


def test_concurrent_manifest_writers_lose_no_entry(tmp_path):
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(8)
    procs = [ctx.Process(target=_write_one, args=((str(tmp_path), f"c{i}", barrier),)) for i in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0] * 8
    assert sorted(c.client_id for c in read_manifest(tmp_path).clients) == [f"c{i}" for i in range(8)]
    assert not list(tmp_path.glob(".*"))  # no temp file left


# ---------------------------------------------------------------- output sets

def test_an_interrupted_swap_is_completed_never_mixed(tmp_path):
    final = {ext: tmp_path / f"acme.{ext}" for ext in ("html", "json", "ipynb", "pdf")}
    for path in final.values():
        path.write_text("old")
    staged = {final[e]: staged_path(final[e]) for e in ("html", "json", "ipynb")}
    for path in staged.values():
        path.write_text("new")
    # a process killed right after the journal and the first rename: emulate exactly that state
    journal = tmp_path / ".acme.swap.json"
    journal.write_text(json.dumps({"replace": [[str(s), str(f)] for f, s in staged.items()],
                                   "drop": [str(final["pdf"])]}))
    first = next(iter(staged))
    os.replace(staged[first], first)
    finish_swaps(tmp_path)
    assert {p.name: p.read_text() for p in tmp_path.iterdir()} == {
        "acme.html": "new", "acme.json": "new", "acme.ipynb": "new"}  # the old PDF went with its set

    replace_set("acme", tmp_path, {final["html"]: _staged(final["html"], "newer")})
    assert final["html"].read_text() == "newer" and not list(tmp_path.glob(".*"))


def _staged(target: Path, text: str) -> Path:
    path = staged_path(target)
    path.write_text(text)
    return path


@pytest.mark.slow
def test_a_pdf_that_fails_replaces_nothing(tmp_path, small_facts, monkeypatch, marker):
    params = csv_params(tmp_path, "acme", small_facts)
    out = tmp_path / "reports"
    first = run_batch([params], out=out, progress=False)
    assert first.exit_code == 0
    folder = out / "2024-03"
    before = {p.name: p.read_bytes() for p in folder.glob("acme.*")}
    params.write_text(params.read_text().replace("client_name: Acme", "client_name: Acme Two"))
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\necho 'printing failed' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setenv("REPORTKIT_CHROMIUM", str(fake))
    second = run_batch([params], out=out, pdf=True, progress=False)
    [result] = second.results
    assert result.status == "failed" and "could not print the PDF" in result.error, result.error
    assert {p.name: p.read_bytes() for p in folder.glob("acme.*")} == before  # the old set, whole
    assert not list(folder.glob(".*"))


# ---------------------------------------------------------------- incremental runs

@pytest.mark.slow
def test_incremental_runs_render_exactly_the_changed_clients(tmp_path, root, small_facts, marker):
    work = tmp_path / "work_log.csv"
    work.write_text("date,task,hours,importance\n2024-03-05,Keyword review,2,A\n")
    files = {}
    for cid in ("adata", "bparams", "cwork", "dsame"):
        facts = tmp_path / f"{cid}.csv"
        shutil.copyfile(small_facts, facts)
        extra = {"work": {"log": str(work)}} if cid == "cwork" else {}
        files[cid] = csv_params(tmp_path, cid, facts, **extra)
    out = tmp_path / "reports"
    nb = tmp_path / "template.ipynb"
    shutil.copyfile(root / "notebooks" / "client_report.ipynb", nb)

    def rendered(**kw):
        batch = run_batch(list(files.values()), out=out, workers=2, notebook=nb, progress=False, **kw)
        assert batch.exit_code == 0, [r.error for r in batch.results]
        return sorted(r.client_id for r in batch.results)

    assert rendered() == ["adata", "bparams", "cwork", "dsame"]
    html = {c: (out / "2024-03" / f"{c}.html").stat().st_mtime_ns for c in files}
    assert rendered() == []  # unchanged: all skipped
    m = manifest(out, "2024-03")
    assert {c: m[c]["skipped"] for c in files} == dict.fromkeys(files, UNCHANGED)
    assert all(m[c]["status"] == "ok" and m[c]["inputs"] for c in files)
    assert {c: (out / "2024-03" / f"{c}.html").stat().st_mtime_ns for c in files} == html

    with open(tmp_path / "adata.csv", "a") as f:  # one client's data
        f.write("2024-03-03,Paid Search,A,10,1,1,50,100,10,100\n")
    files["bparams"].write_text(files["bparams"].read_text().replace("Bparams", "B Params"))
    with open(work, "a") as f:  # the work file only cwork names
        f.write("2024-03-06,Landing page test,3,B\n")
    assert rendered() == ["adata", "bparams", "cwork"]
    m = manifest(out, "2024-03")
    assert m["dsame"]["skipped"] == UNCHANGED and m["adata"]["skipped"] is None
    assert rendered() == []

    nb.write_text(nb.read_text().replace('"cells": [', '"cells": [{"cell_type": "markdown", '
                                         '"metadata": {}, "source": ["changed"]}, ', 1))
    assert rendered() == ["adata", "bparams", "cwork", "dsame"]  # the template: every client
    assert rendered(force=True) == ["adata", "bparams", "cwork", "dsame"]  # --force: every client


HEAVY = ("pandas", "numpy", "matplotlib", "seaborn", "papermill", "nbconvert", "nbformat", "nbclient",
         "IPython", "duckdb", "pyarrow", "google", "googleapiclient", "facebook_business", "dask")


def _imported(stderr: str) -> set[str]:
    """The top-level packages a ``python -X importtime`` run imported (every dotted part of a name
    counts under its top-level package: pandas imported through its submodules is pandas)."""
    names = re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s+(\S+)\s*$", stderr, re.M)
    assert names, stderr[-2000:]
    return {name.split(".")[0] for name in names}


@pytest.mark.slow
def test_an_unchanged_run_decides_skip_without_the_heavy_libraries(tmp_path, root, small_facts):
    """`reportkit run` on unchanged inputs imports none of pandas, numpy, matplotlib, papermill,
    nbconvert, duckdb, the API clients: deciding "skip" needs params, hashes and the manifest only
    (reportkit.core.lazy). The same detector sees pandas in the run that renders."""
    files = [csv_params(tmp_path, cid, small_facts) for cid in ("alpha", "beta")]
    cmd = [sys.executable, "-X", "importtime", str(Path(sys.executable).parent / "reportkit"), "run",
           *map(str, files), "--out", str(tmp_path / "reports"), "--workers", "2"]
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=300)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    assert "pandas" in _imported(first.stderr) and "papermill" in _imported(first.stderr)
    second = subprocess.run(cmd, capture_output=True, text=True, cwd=root, timeout=120)
    assert second.returncode == 0, second.stdout + second.stderr[-3000:]
    assert "skipped 2 client(s)" in second.stdout and "ok " not in second.stdout
    assert sorted(_imported(second.stderr) & set(HEAVY)) == []
    m = manifest(tmp_path / "reports", "2024-03")
    assert {m[c]["skipped"] for c in ("alpha", "beta")} == {UNCHANGED}


@pytest.mark.slow
def test_resume_after_changed_inputs_renders_the_stale_reports(tmp_path, small_facts, marker):
    files = [csv_params(tmp_path, c, small_facts) for c in ("alpha", "beta", "gamma")]
    out = tmp_path / "reports"
    assert run_batch(files, out=out, workers=2, progress=False).exit_code == 0
    for path in files:  # new params for every client ...
        path.write_text(path.read_text().replace("material_change", "x") + "material_change: 0.1\n")
    # ... and a re-run that got only as far as alpha (as a batch killed half-way)
    assert [r.client_id for r in run_batch(files[:1], out=out, progress=False).results] == ["alpha"]
    resumed = run_batch(files, out=out, workers=2, resume=True, progress=False)
    assert sorted(r.client_id for r in resumed.results) == ["beta", "gamma"]  # stale: rendered again
    m = manifest(out, "2024-03")
    assert m["alpha"]["skipped"] == UNCHANGED and m["beta"]["skipped"] is None


# ---------------------------------------------------------------- signals

@pytest.mark.slow
@pytest.mark.parametrize("signum,engine", [(signal.SIGTERM, "kernel"), (signal.SIGHUP, "fast")])
def test_a_signal_stops_the_batch_cleanly(tmp_path, root, small_facts, sleepy_notebook, marker, signum, engine):
    files = [csv_params(tmp_path, "goodco", small_facts), csv_params(tmp_path, "sleepy", small_facts)]
    out = tmp_path / "reports"
    runtime, tmp = tmp_path / "jupyter-runtime", tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "reportkit.cli", "run", *map(str, files), "--out", str(out), "--workers", "2",
         "--timeout", "300", "--notebook", str(sleepy_notebook), "--engine", engine],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=root, env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (
                hang_started(sleepy_notebook) and (out / "2024-03" / "goodco.html").is_file()):
            time.sleep(0.2)
        assert hang_started(sleepy_notebook), "the sleepy client never started its hang"
        time.sleep(1)  # goodco's worker reports back
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum, stderr[-2000:]
    assert f"INTERRUPTED by {signal.Signals(signum).name}" in stderr and "Traceback" not in stdout + stderr
    m = manifest(out, "2024-03")
    assert m["goodco"]["status"] == "ok" and "sleepy" not in m  # every finished client, nothing made up
    assert not list((out / "2024-03").glob(".*"))  # no scratch notebook, no staged file
    assert not list(runtime.glob("kernel-*.json")) and not list(tmp.glob("reportkit-*"))
    assert_no_leftovers(marker)  # workers, kernels: none outlives the batch


# ---------------------------------------------------------------- a full disk (a real tmpfs)

def _can_mount() -> bool:
    try:
        return subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                               "mount -t tmpfs -o size=1m tmpfs /mnt 2>/dev/null || "
                               "mount -t tmpfs -o size=1m tmpfs \"$TMPDIR\""],
                              capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.slow
def test_a_full_disk_gives_clear_errors_and_keeps_the_good_report(tmp_path, root, small_facts, marker):
    if not _can_mount():
        pytest.fail("cannot mount a tmpfs in a user namespace here (unshare --user --mount)")
    files = [csv_params(tmp_path, c, small_facts) for c in ("alpha", "beta")]
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "drill.sh"
    # 6 MB: room for two small reports (about 0.5 MB a set) and a manifest, then filled up
    script.write_text(textwrap.dedent(f"""\
        set -u
        mount -t tmpfs -o size=6m tmpfs {disk}
        run() {{ {sys.executable} -m reportkit.cli run {files[0]} {files[1]} --out {disk}/reports --workers 2; }}
        run > {tmp_path}/first.out 2> {tmp_path}/first.err; echo "first=$?" > {tmp_path}/codes
        cp -a {disk}/reports {tmp_path}/before
        sed -i 's/client_name: Alpha/client_name: Alpha Two/; s/client_name: Beta/client_name: Beta Two/' \\
            {files[0]} {files[1]}
        dd if=/dev/zero of={disk}/filler bs=64k 2>/dev/null
        run > {tmp_path}/second.out 2> {tmp_path}/second.err; echo "second=$?" >> {tmp_path}/codes
        rm {disk}/filler; cp -a {disk}/reports {tmp_path}/after
        """))
    proc = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "bash", str(script)],
                          cwd=root, capture_output=True, text=True, timeout=300)
    codes = dict(line.split("=") for line in (tmp_path / "codes").read_text().split())
    err = (tmp_path / "second.err").read_text()
    out = (tmp_path / "second.out").read_text()
    assert codes["first"] == "0", (tmp_path / "first.err").read_text()[-2000:] + proc.stderr
    assert codes["second"] == "1", err[-3000:]
    assert "Traceback" not in out + err
    for cid in ("alpha", "beta"):  # each client fails with the reason, naming the folder and the fix
        assert re.search(rf"^FAILED +{cid} .*No space left on device", out, re.M), out
    assert "fix: free space" in out
    before, after = tmp_path / "before" / "2024-03", tmp_path / "after" / "2024-03"
    visible = sorted(p.name for p in after.iterdir() if not p.name.startswith("."))
    assert not [p.name for p in after.iterdir() if p.name.startswith(".")]  # no temp or scratch file
    assert not list(after.glob("*.failed.ipynb"))  # no truncated notebook kept
    for name in visible:  # the good reports (and their manifest) are byte for byte the earlier ones
        if name != "manifest.json.lock":
            assert (after / name).read_bytes() == (before / name).read_bytes(), name


# ---------------------------------------------------------------- concurrent batches, one GA4 client

def test_two_batches_pull_a_client_once(tmp_path):
    """Two `reportkit run` batches at once, both for the same GA4 client: the client's pull lock
    (sources.pulling.pull_lock) makes the second wait for the first one's pull and use it from
    the warehouse; the fake server sees one pull's requests, not two."""
    import yaml
    from datetime import date, timedelta
    from ga4_fake import FakeGA4

    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "alpha.yaml").write_text(yaml.safe_dump({
        "client_id": "alpha", "client_name": "Alpha", "business_model": "publisher", "period": "2026-10",
        "as_of": "2026-11-21", "currency": "EUR", "source": {"type": "ga4", "property_id": "1", "include_ads": False}}))
    rows = [{"date": (date(2025, 9, 1) + timedelta(d)).strftime("%Y%m%d"), "sessionDefaultChannelGroup": "Organic Search",
             "sessionCampaignName": "(organic)", "sessions": 10} for d in range(450)]
    with FakeGA4(rows, delay_s=3.0) as fake:  # each call takes 3 s: the two batches' pulls would overlap
        env = {**os.environ, "REPORTKIT_ROOT": str(tmp_path), "REPORTKIT_GA4_ENDPOINT": fake.url}
        procs = [subprocess.Popen([sys.executable, "-m", "reportkit.cli", "run", "params/alpha.yaml",
                                   "--out", f"reports_{name}", "--workers", "1"], cwd=tmp_path, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for name in ("a", "b")]
        outs = [p.communicate(timeout=300) for p in procs]
        calls = len(fake.calls)
    assert [p.returncode for p in procs] == [0, 0], outs
    pulls = [json.loads((tmp_path / f"reports_{n}" / "2026-10" / "alpha.json").read_text())["data_quality"]["pulls"]
             for n in ("a", "b")]
    # one batch pulled all six ranges (traffic and users x current, previous, year ago) ...
    cached = sorted(tuple(sorted({p["cached"] for p in batch})) for batch in pulls)
    assert cached == [(False,), (True,)], pulls
    # ... in the one call a pull of this client makes: a batchRunReports with its traffic and users
    # reports (without the lock each batch makes it: 2)
    assert calls == 1, fake.calls


# ---------------------------------------------------------------- the kept notebook

def test_the_kept_notebook_holds_paths_relative_to_the_project_root(tmp_path):
    """Injected parameters (the cell and papermill's metadata) name files under the project root
    relative to it -- as params do; they resolve the same -- and keep paths elsewhere as written."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    from reportkit.run.render import clean_notebook
    root = tmp_path / "project"
    params = {"client_id": "abs", "source": {"type": "csv", "path": str(root / "data" / "facts.csv")},
              "warehouse": {"path": str(root / "data" / "wh.duckdb"), "fresh_hours": 24.0},
              "work": {"log": "/elsewhere/log.csv"}, "client_name": "/ not a path under the root"}
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("client_id = None", metadata={"tags": ["parameters"]})],
                                  metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "P"}})
    nb.metadata["papermill"] = {}
    nb = parameterize_notebook(nb, params)  # papermill's own injection, as in a run
    nb.metadata["papermill"] = {"parameters": params, "input_path": str(root / "nb.ipynb"),
                                "output_path": str(root / "reports" / ".abs.1.running.ipynb")}
    kept = clean_notebook(nb, "h", "abs.ipynb", root=root)
    text = nbformat.writes(kept)
    assert str(root) not in text
    cell = next(c for c in kept.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert '"path": "data/facts.csv"' in cell.source and '"path": "data/wh.duckdb"' in cell.source
    assert '"/elsewhere/log.csv"' in cell.source and '"/ not a path under the root"' in cell.source
    meta = kept.metadata["papermill"]
    assert meta["parameters"]["source"]["path"] == "data/facts.csv" and meta["output_path"] == "abs.ipynb"
    assert meta["input_path"] == "nb.ipynb" and kept.metadata["reportkit"]["inputs"] == "h"
