"""Platform limits shared by every worker: request slots and back-off (reportkit.sources.quota).

The batch test runs the real ``reportkit pull --workers 20`` over 20 clients of one GA4
property against the fake GA4 server, which counts the requests it is answering at once.
"""

import os
import subprocess
import sys
import threading
import time

import pytest
import yaml
from ga4_fake import FakeGA4

from reportkit.sources.quota import CAPS, Gate

ROWS = [{"date": "20261001", "sessionDefaultChannelGroup": "Email", "sessionCampaignName": "News",
         "sessions": 4}]


def test_slots_cap_concurrency_across_gates(tmp_path):
    # 12 threads, each with its own Gate object (its own open files, as another process has):
    # at most 3 inside at a time
    inside, most, lock = [0], [0], threading.Lock()

    def work():
        with Gate(tmp_path, "ga4:1", 3).slot():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert most[0] == 3


def test_back_off_is_shared(tmp_path):
    Gate(tmp_path, "meta_ads:1", 2).back_off(0.3)
    other = Gate(tmp_path, "meta_ads:1", 2)        # another worker's view of the same account
    assert 0.1 < other.waiting() <= 0.3
    assert Gate(tmp_path, "meta_ads:2", 2).waiting() == 0   # other accounts are not held up
    started = time.monotonic()
    with other.slot():
        waited = time.monotonic() - started
    assert waited >= 0.1
    Gate(tmp_path, "meta_ads:1", 2).back_off(0.0)  # a shorter back-off never shortens a longer one
    assert other.waiting() == 0


@pytest.mark.slow  # 20 clients pulled by 20 forked workers against the fake GA4 server
def test_twenty_clients_on_one_property_never_exceed_the_cap(tmp_path):
    (tmp_path / "params").mkdir()
    for i in range(20):
        (tmp_path / "params" / f"c{i:02d}.yaml").write_text(yaml.safe_dump({
            "client_id": f"c{i:02d}", "client_name": f"C{i}", "business_model": "publisher",
            "period": "2026-10", "currency": "EUR",
            "source": {"type": "ga4", "property_id": "777", "include_ads": False}}))
    # each request is held open until 11 are open at once (more than the cap) or 10 s have passed:
    # without the shared slots the 20 workers' requests would all be open together
    with FakeGA4(ROWS, hold=(11, 10.0), max_calls=100) as fake:
        env = {**os.environ, "REPORTKIT_ROOT": str(tmp_path), "REPORTKIT_GA4_ENDPOINT": fake.url}
        proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "pull", "--all", "--workers", "20"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
        again = subprocess.run([sys.executable, "-m", "reportkit.cli", "pull", "--all", "--workers", "20"],
                               cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0 and again.returncode == 0, (proc.stderr, again.stderr)
    print(f"\nmost concurrent requests the fake GA4 property saw: {fake.max_in_flight}")
    assert len(fake.calls) == 20                   # one batch call per client; the re-run made none
    assert 1 < fake.max_in_flight <= CAPS["ga4"] == 10
    # 20 clients x 2 queries (traffic, users) x 3 ranges = 120 pulls, in 20 calls
    assert "ga4             20 calls, 120 pulled, 0 cached" in proc.stdout
    assert "ga4             0 calls, 0 pulled, 120 cached" in again.stdout
    assert "tokens left today" in proc.stdout


def test_manifest_entry_records_calls_and_quota_per_source(tmp_path):
    import json as _json
    from types import SimpleNamespace

    from reportkit.deliver.manifest import entry_for
    quota = {"tokens_per_day": {"consumed": 10, "remaining": 199990}}
    pulls = [{"source": "ga4:1", "cached": False, "calls": 1, "quota": quota},
             {"source": "ga4:1", "cached": False, "calls": 0, "quota": quota},
             {"source": "meta_ads:9", "cached": True, "calls": 0, "quota": None}]
    side = tmp_path / "a.json"
    side.write_text(_json.dumps({"data_quality": {"pulls": pulls, "data_to": "2026-10-31"}}))
    result = SimpleNamespace(client_id="a", params="/p/a.yaml", status="ok", duration_s=1.0,
                             outputs={"json": str(side)}, error=None)
    entry = entry_for(result)
    assert entry.api == {"ga4": {"calls": 1, "pulls": 2, "cached": 0, "quota": quota},
                         "meta_ads": {"calls": 0, "pulls": 0, "cached": 1, "quota": None}}


def test_meta_usage_headers_in_numbers():
    from reportkit.sources.meta_ads.api import busy_pct, regain_minutes
    usage = {"x-business-use-case-usage": {"99": [{"type": "ads_insights", "call_count": 30,
                                                   "total_cputime": 80, "total_time": 10,
                                                   "estimated_time_to_regain_access": 0}]},
             "x-fb-ads-insights-throttle": {"app_id_util_pct": 5.0, "acc_id_util_pct": 40.0}}
    assert busy_pct(usage) == 80 and regain_minutes(usage) == 0   # the highest of the figures
    usage["x-business-use-case-usage"]["99"][0]["estimated_time_to_regain_access"] = 12
    assert regain_minutes(usage) == 12
    assert busy_pct({}) == 0 and regain_minutes({}) == 0
