"""Hard checks of the fact table: future dates (here), negatives/duplicates/types (facts.normalize)."""

from datetime import date, timedelta

import pandas as pd
import pytest

from reportkit import config
from reportkit.sources.exports import FileSource
from reportkit import report
from reportkit.errors import DataError
from reportkit.sources import load
from reportkit.sources.checks import check_no_future, latest_allowed


def cfg_for(path, **extra):
    return config.validate({"client_id": "x", "client_name": "X", "business_model": "publisher",
                            "period": "2026-10", "currency": "EUR",
                            "source": {"type": "csv", "path": str(path)}, **extra})


def test_future_date_in_a_csv_stops_the_client(tmp_path):
    later = date.today() + timedelta(days=5)
    path = tmp_path / "f.csv"
    path.write_text(f"date,channel,campaign,sessions\n2026-10-01,Email,A,1\n{later},Email,A,2\n")
    cfg = cfg_for(path)
    with pytest.raises(DataError) as err:
        load(cfg, cfg.periods())
    text = str(err.value)
    assert f"{later:%Y-%m-%d} is in the future" in text and "column 'date'" in text
    assert "Email / A" in text


def test_future_date_in_an_export_names_the_line(tmp_path):
    later = date.today() + timedelta(days=40)
    path = tmp_path / "ads.csv"
    path.write_text(f"Report\nDay,Campaign,Cost\n2026-10-01,A,1\n{later:%Y-%m-%d},A,2\n")
    cfg = cfg_for(path).model_copy(update={"source": FileSource(
        type="file", preset="google_ads", path=str(path))})
    with pytest.raises(DataError) as err:
        load(cfg, cfg.periods())
    assert "ads.csv: line 4, column 'date'" in str(err.value)


def test_tomorrow_is_allowed_as_time_zone_slack_and_as_of_moves_the_limit():
    cfg = cfg_for("x.csv")
    assert latest_allowed(cfg) == date.today() + timedelta(days=1)
    later = cfg.model_copy(update={"as_of": date.today() + timedelta(days=30)})
    assert latest_allowed(later) == date.today() + timedelta(days=31)
    facts = pd.DataFrame({"date": [pd.Timestamp(date.today() + timedelta(days=1))],
                          "channel": ["E"], "campaign": ["A"]})
    check_no_future(facts, latest_allowed(cfg), "here")   # no error: within the slack


def test_missing_days_are_a_soft_finding(tmp_path):
    # October has 31 days; rows on 1-29 only: 30 and 31 Oct are missing (a warning, not a stop)
    days = pd.date_range("2026-10-01", "2026-10-29")
    path = tmp_path / "f.csv"
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "channel": "Email", "campaign": "A",
                  "sessions": 5}).to_csv(path, index=False)
    r = report.build(cfg_for(path))
    assert r.data_quality["missing_days"]["current"] == ["2026-10-30", "2026-10-31"]
    assert r.data_quality["status"] == "warning"
