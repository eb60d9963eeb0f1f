"""File sources: each preset and the generic mapping on realistic exports (tests/data/exports)."""

import csv
import io
from datetime import datetime

import pandas as pd
import pytest

from reportkit import config
from reportkit.errors import DataError
from reportkit.sources import load

EXPORTS = "tests/data/exports/"


def facts_of(source, currency="EUR", root=None):
    cfg = config.validate({"client_id": "x", "client_name": "X", "business_model": "ecommerce",
                           "period": "2026-10", "currency": currency, "source": source})
    return load(cfg, cfg.periods()).facts


def test_google_ads_campaign_report():
    f = facts_of({"type": "file", "preset": "google_ads", "path": EXPORTS + "google_ads_campaigns.csv"})
    # 6 day x campaign rows; the two "Total: ..." rows are dropped, the campaign
    # "Total Outdoor PMax" (a real campaign with a date) is kept
    assert len(f) == 6 and "Total Outdoor PMax" in set(f["campaign"])
    assert f["impressions"].sum() == 20060     # 1,200 + 3,450 + 1,100 + 2,980 + 1,310 + 10,020
    assert f["clicks"].sum() == 477            # 96 + 41 + 88 + "--" + 102 + 150
    assert f["cost"].sum() == pytest.approx(234.33)   # 49.92 + 25.01 + 48.40 + 0 + 51.00 + 60.00
    assert f["conversions"].sum() == 15        # 4 + 1 + 3 + 0 + 5 + 2
    assert f["revenue"].sum() == pytest.approx(3210.40)  # 1,020.50 + 89.90 + 610 + 0 + 1,250 + 240
    assert f["clicks"].isna().sum() == 1       # "--" is empty, not zero
    by_channel = f.groupby("channel")["cost"].sum().round(2).to_dict()
    assert by_channel == {"Paid Search": 149.32, "Paid Shopping": 25.01, "Cross-network": 60.0}
    assert set(f["source"]) == {"google_ads"}
    assert "ctr" not in f.columns and "CTR" not in f.columns   # ratios are recomputed from sums


def test_google_ads_utf16_tab_export(tmp_path, root):
    # Google Ads "CSV for Excel" is UTF-16 with tabs: the same table must read the same
    rows = list(csv.reader(open(root / EXPORTS / "google_ads_campaigns.csv", encoding="utf-8")))
    out = io.StringIO()
    csv.writer(out, delimiter="\t").writerows(rows)
    path = tmp_path / "ads.csv"
    path.write_bytes(out.getvalue().encode("utf-16"))
    f = facts_of({"type": "file", "preset": "google_ads", "path": str(path)})
    assert len(f) == 6 and f["impressions"].sum() == 20060


def test_google_ads_other_currency_is_refused():
    with pytest.raises(DataError) as err:
        facts_of({"type": "file", "preset": "google_ads", "path": EXPORTS + "google_ads_campaigns.csv"},
                 currency="USD")
    # the first data row is on line 4 (title, date range, header)
    assert "google_ads_campaigns.csv: line 4, column 'Currency code'" in str(err.value)


def test_meta_ads_csv():
    f = facts_of({"type": "file", "preset": "meta_ads", "path": EXPORTS + "meta_ads_export.csv"})
    assert len(f) == 5 and set(f["channel"]) == {"Paid Social"} and set(f["source"]) == {"meta_ads"}
    assert f["cost"].sum() == pytest.approx(137.0)   # 34.00 + 19.00 + 31.25 + 18.75 + 34.00
    assert f["clicks"].sum() == 340                  # link clicks 88 + 41 + 79 + 37 + 95
    assert f["impressions"].sum() == 22487           # 6,012 + 2,150 + 5,790 + 2,230 + 6,305
    assert f["revenue"].sum() == pytest.approx(793.0)  # 240 + 178.40 + 64 + 310.60
    assert f["transactions"].sum() == 10             # 3 + 2 + 1 + 4 (an empty cell is no value)


def test_meta_ads_excel_with_date_cells(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Raw Data Report"
    sheet.append(["Day", "Campaign name", "Amount spent (EUR)", "Impressions", "Link clicks"])
    sheet.append([datetime(2026, 10, 1), "Autumn Sale", 12.5, 1000, 20])
    sheet.append([datetime(2026, 10, 2), "Autumn Sale", 7.25, 800, None])
    path = tmp_path / "meta.xlsx"
    book.save(path)
    f = facts_of({"type": "file", "preset": "meta_ads", "path": str(path)})
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
    assert f["cost"].sum() == pytest.approx(19.75)   # 12.50 + 7.25
    assert f["clicks"].sum() == 20


def test_meta_ads_other_currency_column_is_refused(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("Day,Campaign name,Amount spent (USD),Impressions\n2026-10-01,A,3.00,100\n")
    with pytest.raises(DataError) as err:
        facts_of({"type": "file", "preset": "meta_ads", "path": str(path)})
    assert "Amount spent (USD)" in str(err.value) and "USD" in str(err.value)


def test_meta_ads_without_day_breakdown_is_refused(tmp_path, root):
    # Without a Day column, "Reporting starts/ends" span 3 days: not daily data
    text = (root / EXPORTS / "meta_ads_export.csv").read_text().replace(",Day,", ",Day of week,")
    path = tmp_path / "meta.csv"
    path.write_text(text)
    with pytest.raises(DataError) as err:
        facts_of({"type": "file", "preset": "meta_ads", "path": str(path)})
    assert "line 2, column 'Reporting starts'" in str(err.value) and "By time > Day" in str(err.value)


def test_ga4_ui_export():
    f = facts_of({"type": "file", "preset": "ga4_export", "path": EXPORTS + "ga4_traffic_acquisition.csv"})
    # '#' lines skipped; the second table after the blank line is not read
    assert len(f) == 6 and set(f["campaign"]) == {"(not set)"}
    assert f["sessions"].sum() == 4541    # 1,204 + 310 + 1,150 + 295 + 402 + 1,180
    assert f["conversions"].sum() == 44   # 12 + 6 + 10 + 3 + 2 + 11
    assert f["revenue"].sum() == pytest.approx(5663.35)  # 1540.2 + 1110.4 + 980 + 610 + 0 + 1422.75
    assert f["date"].min() == pd.Timestamp("2026-10-01") and f["date"].max() == pd.Timestamp("2026-10-03")
    assert "Engagement rate" not in f.columns


GENERIC = {"type": "file", "path": EXPORTS + "inhouse_day_first.csv", "dayfirst": True,
           "thousands": ".", "decimal": ",",
           "columns": {"Datum": "date", "Kanal": "channel", "Kampagne": "campaign",
                       "Sitzungen": "sessions", "Kosten": "cost", "Conv.-Rate": "conv_rate"}}


def test_generic_mapping_day_first_thousands_currency_percent_total_row():
    f = facts_of(GENERIC)
    # header lines skipped, the "Total" row dropped; 31-08-2023 is 31 August
    assert len(f) == 4
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-08-30", "2023-08-31", "2023-08-31", "2023-09-01"]
    assert f["sessions"].sum() == 6604                 # 1.204 + 2.310 + 985 + 2.105
    assert f["cost"].sum() == pytest.approx(2335.75)   # € 1.234,50 + € 1.101,25
    assert sorted(f["conv_rate"].round(3)) == [0.019, 0.025, 0.038, 0.041]   # "2,5%" -> 0.025
    assert set(f["source"]) == {"file"}


def test_generic_explicit_date_format_and_skip_rows():
    f = facts_of({**GENERIC, "dayfirst": False, "date_format": "%d-%m-%Y", "skip_rows": 3})
    assert len(f) == 4


def test_generic_parquet(tmp_path):
    path = tmp_path / "facts.parquet"
    pd.DataFrame({"day": pd.to_datetime(["2026-10-01", "2026-10-02"]), "medium": ["Email", "Email"],
                  "visits": [10, 12], "spend": [1.5, 2.0]}).to_parquet(path)
    f = facts_of({"type": "file", "path": str(path),
                  "columns": {"day": "date", "medium": "channel", "visits": "sessions", "spend": "cost"}})
    assert f["sessions"].sum() == 22 and f["cost"].sum() == pytest.approx(3.5)
    assert set(f["campaign"]) == {"(not set)"}


@pytest.mark.parametrize("body,where,problem", [
    ("Date,Sessions\n2026-10-01,12\n2026-10-02,twelve\n", "line 3, column 'Sessions'", "'twelve' is not a number"),
    ("Date,Sessions\n2026-10-01,12\n2026-13-02,3\n", "line 3, column 'Date'", "is not a date"),
    ("Date,Sessions\n2026-10-01,12\n2026-10-02,-3\n", "line 3, column 'Sessions'", "negative value"),
    ("Date,Sessions\n2026-10-01,12\n2026-10-01,3\n", "line 3", "a second row"),
    ("Date,Sessions\n2026-10-01,\"1,204\"\n", "line 2, column 'Sessions'", "'1,204' is not a number"),
])
def test_generic_errors_name_line_and_column(tmp_path, body, where, problem):
    path = tmp_path / "in.csv"
    path.write_text(body)
    with pytest.raises(DataError) as err:
        facts_of({"type": "file", "path": str(path), "columns": {"Date": "date", "Sessions": "sessions"}})
    assert f"in.csv: {where}" in str(err.value) and problem in str(err.value)
    assert err.value.exit_code == 2


def test_file_without_a_date_column_says_what_to_do(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("Campaign,Cost\nA,1\n")
    with pytest.raises(DataError) as err:
        facts_of({"type": "file", "preset": "google_ads", "path": str(path)})
    assert "'Day'" in str(err.value) and "Segment > Time > Day" in str(err.value)
