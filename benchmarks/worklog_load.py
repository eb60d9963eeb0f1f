"""How long reading and grouping a large work log takes (prints its figures; no target asserted).

    .venv/bin/python benchmarks/worklog_load.py [ROWS]
"""

import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from reportkit.work import sections as worklog


def main(rows: int = 20_000) -> None:
    rng = random.Random(8)
    path = Path(tempfile.mkdtemp()) / "work_log.csv"
    lines = ["date,task,hours,goal,importance,deliverable,link,result"]
    for i in range(rows):
        goal = rng.choice(["g1", "g2", "g3", ""])
        lines.append(f"{date(2024, 1, 1) + timedelta(days=i % 1000)},Task {i},{rng.randint(1, 16) / 2},"
                     f"{goal},{'' if goal else rng.choice('AB')},Deliverable {i},https://x.example/{i},Result {i}")
    path.write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    items = worklog.load_work_log(path, {"g1", "g2", "g3"})
    loaded = time.perf_counter()
    done = worklog.what_we_did(items, date(2024, 10, 1), date(2024, 10, 31), ["g1", "g2", "g3"])
    grouped = time.perf_counter()
    print(f"rows={len(items)} load_s={loaded - started:.3f} group_s={grouped - loaded:.4f} "
          f"period_hours={done.total_hours:g}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000)
