"""Exports as clients send them: each shape gives the facts or the exact message.

Fixtures in tests/data/exports/ (meta_ads_ad_level.csv, google_ads_grand_total.csv,
search_console_dates.csv, semicolon_day_month.csv) or written here; every expected figure
is worked out by hand in the comment beside it.
"""

import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest

from reportkit import config
from reportkit.core import kpi_fit
from reportkit.core.delimited import separator
from reportkit.errors import ConfigError, DataError
from reportkit.sources import load

EXPORTS = "tests/data/exports/"


def loaded(source, **params):
    cfg = config.validate({"client_id": "x", "client_name": "X", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR", "source": source, **params})
    return load(cfg, cfg.periods())


def csv_file(tmp_path, text, name="in.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def messages(data):
    return [f["message"] for f in data.findings]


# --- finer-grained rows -------------------------------------------------------------
def test_ad_level_rows_are_summed_to_day_by_campaign_with_a_note():
    data = loaded({"type": "file", "preset": "meta_ads", "path": EXPORTS + "meta_ads_ad_level.csv"})
    f = data.facts.set_index(["date", "campaign"])
    assert len(f) == 4                                   # 7 ad rows -> 4 day x campaign rows
    autumn_1 = f.loc[(pd.Timestamp("2026-10-01"), "Autumn Sale")]
    assert autumn_1["impressions"] == 1750               # 1000 + 500 + 250
    assert autumn_1["cost"] == pytest.approx(17.75)      # 10.00 + 5.50 + 2.25
    assert autumn_1["clicks"] == 30                      # 20 + 7 + 3
    assert autumn_1["conversions"] == 3                  # 1 + (empty) + 2
    autumn_2 = f.loc[(pd.Timestamp("2026-10-02"), "Autumn Sale")]
    assert autumn_2["cost"] == pytest.approx(17.0)       # 11.00 + 6.00
    assert pd.isna(f.loc[(pd.Timestamp("2026-10-02"), "Retargeting"), "conversions"])  # empty stays empty
    assert messages(data) == ["meta_ads_ad_level.csv: 7 rows (split by Ad set name, Ad name) "
                              "summed to 4 day × campaign rows."]


def test_rows_identical_in_every_column_are_an_error(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Ad,Impressions\n2026-10-01,A,x,3\n2026-10-01,A,x,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path})
    assert str(err.value) == (f"{path}: line 3: repeats line 2 exactly (every column the same): a row "
                              "counted twice\n  fix: remove the repeated row from the export")


def test_sum_rows_false_refuses_finer_rows(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Ad,Impressions\n2026-10-01,A,x,3\n2026-10-01,A,y,4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path, "sum_rows": False})
    assert (f"{path}: line 3: a second row for date=2026-10-01, source=google_ads, channel=Paid Search, "
            "campaign=A (sum_rows: false is set)") in str(err.value)
    # without the switch the two ads add up: 3 + 4
    assert loaded({"type": "file", "preset": "google_ads", "path": path}).facts["impressions"].tolist() == [7]


def test_rows_no_unused_column_tells_apart_are_an_error(tmp_path):
    path = csv_file(tmp_path, "Date,Sessions\n2026-10-01,12\n2026-10-01,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, "columns": {"Date": "date", "Sessions": "sessions"}})
    assert "line 3: a second row for date=2026-10-01" in str(err.value)
    assert "no other column tells the rows apart" in str(err.value)


# --- total rows ---------------------------------------------------------------------
def test_grand_total_under_the_header_in_an_unnamed_column_is_skipped():
    data = loaded({"type": "file", "preset": "google_ads", "path": EXPORTS + "google_ads_grand_total.csv"})
    assert data.facts["clicks"].sum() == 60 and len(data.facts) == 2   # 25 + 35; the total's 60 not added
    assert data.facts["cost"].sum() == pytest.approx(75.0)            # 30 + 45
    assert messages(data) == ["google_ads_grand_total.csv: 1 total row (line 2) skipped; the report "
                              "adds up the rows itself."]


@pytest.mark.parametrize("label", ["Total", "Grand total", "Totals", "Gesamt", "TOTAL: Account"])
def test_total_rows_anywhere_with_the_label_in_any_column(tmp_path, label):
    # top (right under the header), bottom, and a label in a column the mapping does not use
    path = csv_file(tmp_path, "Day,Campaign,Note,Impressions\n"
                              f"{label},,,30\n2026-10-01,A,,10\n2026-10-02,A,,20\n,,{label},30\n")
    data = loaded({"type": "file", "preset": "google_ads", "path": path})
    assert data.facts["impressions"].sum() == 30        # 10 + 20
    assert messages(data) == ["in.csv: 2 total rows (lines 2, 5) skipped; the report adds up the rows itself."]


def test_a_campaign_named_total_with_a_date_is_kept(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Impressions\n2026-10-01,Total Reach,10\n")
    assert loaded({"type": "file", "preset": "google_ads", "path": path}).facts["campaign"].tolist() == ["Total Reach"]


# --- separators ---------------------------------------------------------------------
def test_semicolon_file_with_decimal_commas():
    data = loaded({"type": "file", "path": EXPORTS + "semicolon_day_month.csv", "dayfirst": True,
                   "decimal": ",", "columns": {"Datum": "date", "Kanal": "channel",
                                               "Sitzungen": "sessions", "Kosten": "cost"}})
    assert data.facts["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]
    assert data.facts["sessions"].sum() == 200           # 120 + 80
    assert data.facts["cost"].sum() == pytest.approx(3.75)   # 1,50 + 2,25


def test_tab_separated_export(tmp_path):
    path = csv_file(tmp_path, "Day\tCampaign\tImpressions\n2026-10-01\tA, B\t5\n", "ads.tsv")
    f = loaded({"type": "file", "preset": "google_ads", "path": path}).facts
    assert f["campaign"].tolist() == ["A, B"] and f["impressions"].tolist() == [5]


def test_semicolon_canonical_csv(tmp_path):
    path = csv_file(tmp_path, "date;channel;sessions\n2026-10-01;Email;4\n2026-10-02;Email;6\n")
    assert loaded({"type": "csv", "path": path}).facts["sessions"].sum() == 10   # 4 + 6


@pytest.mark.parametrize("text,sep", [
    ("a,b\n1,2\n", ","), ("a;b\n1,5;2,5\n3,5;4\n", ";"), ("a\tb\n1\t2\n", "\t"),
    ('Title line\n"x;y",b,c\n1,2,3\n', ","),     # a quoted ';' stays inside its cell
])
def test_separator(text, sep):
    assert separator(text) == sep


# --- dates --------------------------------------------------------------------------
MAPPING = {"columns": {"Datum": "date", "Sitzungen": "sessions"}}


def test_ambiguous_day_first_month_is_refused_without_dayfirst(tmp_path):
    path = csv_file(tmp_path, "Datum;Sitzungen\n01.10.2026;3\n02.10.2026;4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, **MAPPING})
    assert str(err.value) == (
        f"{path}: column 'Datum': the dates are ambiguous: no day is above 12, so '01.10.2026' could "
        "be day first or month first\n  fix: say which: dayfirst: true (day first, '%d.%m.%Y') or "
        "date_format: '%m.%d.%Y' (month first)")
    f = loaded({"type": "file", "path": path, "dayfirst": True, **MAPPING}).facts
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]   # 1 and 2 Oct
    f = loaded({"type": "file", "path": path, "date_format": "%d.%m.%Y", **MAPPING}).facts
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-10-02"]


def test_a_day_above_12_tells_the_order(tmp_path):
    path = csv_file(tmp_path, "Datum,Sitzungen\n13/10/2026,3\n02/10/2026,4\n")
    f = loaded({"type": "file", "path": path, **MAPPING}).facts
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-02", "2026-10-13"]


def test_mixed_formats_in_one_column_name_the_lines(tmp_path):
    path = csv_file(tmp_path, "Datum,Sitzungen\n01/10/2026,3\n2026-10-02,4\n2026-10-03,4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, **MAPPING})
    assert (f"{path}: column 'Datum': mixed date formats in one column: NN/NN/YYYY on line 2; "
            "YYYY-MM-DD on lines 3, 4") in str(err.value)


def test_day_first_and_month_first_mixed_name_the_lines(tmp_path):
    path = csv_file(tmp_path, "Datum,Sitzungen\n13/10/2026,3\n10/14/2026,4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, **MAPPING})
    assert ("mixed date orders in one column: day first on line 2 (13/10/2026), month first on "
            "line 3 (10/14/2026)") in str(err.value)
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, "dayfirst": True, **MAPPING})
    assert "line 3, column 'Datum': '10/14/2026' cannot be day first" in str(err.value)


# --- mapping mistakes ---------------------------------------------------------------
def test_a_mapped_column_missing_is_named_with_the_columns_that_exist(tmp_path):
    path = csv_file(tmp_path, "Datum,Visits\n2026-10-01,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, **MAPPING})
    assert str(err.value) == (f"{path}: line 1: the mapped column 'Sitzungen' is not in the file; its "
                              "columns are: 'Datum', 'Visits'\n  fix: correct the name under columns: "
                              "(case and spaces do not matter), or remove the mapping")


def test_a_missing_mapped_date_column_lists_the_columns(tmp_path):
    path = csv_file(tmp_path, "Tag,Visits\n2026-10-01,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path, **MAPPING})
    assert str(err.value) == (f"{path}: the mapped date column 'Datum' is not in the file; the columns "
                              "are: 'Tag', 'Visits'\n  fix: correct the name under columns: (case and "
                              "spaces do not matter)")


def test_two_columns_to_one_measure(tmp_path):
    path = csv_file(tmp_path, "Datum,Sitzungen,Visits\n2026-10-01,3,4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "path": path,
                "columns": {"Datum": "date", "Sitzungen": "sessions", "Visits": "sessions"}})
    assert "line 1: columns 'Sitzungen' and 'Visits' are both mapped to sessions" in str(err.value)


def test_two_preset_columns_to_one_measure_and_the_choice(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Impr.,Impressions\n2026-10-01,A,3,4\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path})
    assert str(err.value).endswith("line 1: columns 'Impr.' and 'Impressions' are both mapped to "
                                   "impressions by the preset\n  fix: say which one counts: "
                                   "columns: {'Impr.': impressions}")
    chosen = loaded({"type": "file", "preset": "google_ads", "path": path,
                     "columns": {"Impressions": "impressions"}})
    assert chosen.facts["impressions"].tolist() == [4]
    assert chosen.columns == ["in.csv: used Day → date, Campaign → campaign, Impressions → impressions; "
                              "ignored: Impr."]


def test_numeric_campaign_id_in_a_budget_is_text(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Cost\n2026-10-01,12345678,5\n")
    data = loaded({"type": "file", "preset": "google_ads", "path": path},
                  budget={"campaigns": {12345678: 100}})
    assert data.facts["campaign"].tolist() == ["12345678"]
    cfg = config.validate({"client_id": "x", "client_name": "X", "business_model": "ecommerce",
                           "period": "2026-10", "currency": "EUR", "budget": {"campaigns": {12345678: 100}}})
    assert cfg.budget.campaigns == {"12345678": 100.0}


def test_a_budget_line_matching_no_data_is_an_error(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Cost\n2026-10-01,Brand,5\n")
    with pytest.raises(ConfigError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path}, budget={"campaigns": {"Brnad": 100}})
    assert str(err.value) == ("params: key 'budget.campaigns.Brnad': no campaign 'Brnad' in the data "
                              "(campaigns in the data: Brand)\n  fix: write the campaign exactly as "
                              "the export names it, or remove the line")
    with pytest.raises(ConfigError, match=r"budget.channels.Paid Social': no channel 'Paid Social'"):
        loaded({"type": "file", "preset": "google_ads", "path": path}, budget={"channels": {"Paid Social": 1}})


# --- the KPI set fits the data ------------------------------------------------------
def test_explicit_kpi_without_its_measure_is_an_error_naming_kpi_measure_and_source(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Impressions,Cost\n2026-10-01,A,3,1\n")
    with pytest.raises(ConfigError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path}, kpis=["cost", "conversion_rate"])
    assert str(err.value) == (
        "params: key 'kpis', KPI 'conversion_rate': needs conversions and sessions, which Google Ads "
        "export in.csv does not have (it has: cost, impressions)\n  fix: remove 'conversion_rate' from "
        "kpis, or add a source that carries conversions and sessions (sources: [...])")


def test_defaults_without_their_measures_are_left_out_and_the_data_shown_instead():
    reg = config.validate({"client_id": "x", "client_name": "X", "business_model": "leadgen",
                           "period": "2026-10", "currency": "EUR"}).registry()
    # leadgen defaults: conversions cpa conversion_rate cost clicks cpc ctr sessions users;
    # an ad export has conversions, cost, clicks, impressions: conversion_rate, sessions and
    # users need sessions / users. Every measure is used, so nothing is added.
    keys = ["conversions", "cpa", "conversion_rate", "cost", "clicks", "cpc", "ctr", "sessions", "users"]
    fit = kpi_fit.fit(keys, reg, {"conversions", "cost", "clicks", "impressions"}, explicit=set())
    assert [k.key for k in fit.kpis] == ["conversions", "cpa", "cost", "clicks", "cpc", "ctr"]
    assert fit.note() == ("The data has no sessions or users, so Lead conversion rate, Sessions and "
                          "Users are left out of the KPIs.")
    # organic measures only: every default goes, the organic KPIs come in
    fit = kpi_fit.fit(keys, reg, {"organic_clicks", "organic_impressions", "position_sum"}, set())
    assert [k.key for k in fit.kpis] == ["organic_clicks", "organic_impressions", "organic_ctr", "avg_position"]
    # a KPI the params name stays (its missing measure is a validate error instead)
    fit = kpi_fit.fit(["sessions", "cost"], reg, {"cost"}, explicit={"sessions"})
    assert [k.key for k in fit.kpis] == ["sessions", "cost"] and fit.note() is None


# --- presets ------------------------------------------------------------------------
def test_search_console_csv_maps_to_organic_measures():
    data = loaded({"type": "file", "preset": "search_console", "path": EXPORTS + "search_console_dates.csv"})
    f = data.facts
    assert f["organic_clicks"].sum() == 62               # 20 + 12 + 30
    assert f["organic_impressions"].sum() == 2000        # 600 + 400 + 1000
    assert f["position_sum"].sum() == 11300              # 6 x 600 + 8 x 400 + 4.5 x 1000
    assert "clicks" not in f.columns and "ctr" not in f.columns   # not ad clicks; CTR recomputed
    assert set(f["channel"]) == {"Organic Search"} and set(f["source"]) == {"search_console"}
    assert data.origin == "Search Console export search_console_dates.csv"


@pytest.mark.parametrize("sheet", ["Dates", "Chart"])
def test_search_console_excel_reads_the_dates_sheet(tmp_path, sheet):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = "Queries"
    book.active.append(["Top queries", "Clicks", "Impressions", "CTR", "Position"])
    book.active.append(["tents", 999, 9999, "10%", 1.0])
    dates = book.create_sheet(sheet)
    dates.append(["Date", "Clicks", "Impressions", "CTR", "Position"])
    dates.append([datetime(2026, 10, 1), 10, 200, 0.05, 3.0])
    dates.append([datetime(2026, 10, 2), 5, 300, 0.0167, 7.0])
    path = tmp_path / "https___example.com_-Performance-on-Search-2026-11-02.xlsx"
    book.save(path)
    f = loaded({"type": "file", "preset": "search_console", "path": str(path)}).facts
    assert f["organic_clicks"].sum() == 15                # 10 + 5, not the Queries sheet's 999
    assert f["position_sum"].sum() == 2700                # 3 x 200 + 7 x 300


def test_search_console_excel_without_a_dates_sheet_names_the_sheets(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.title = "Queries"
    path = tmp_path / "sc.xlsx"
    book.save(path)
    with pytest.raises(DataError, match=r"no sheet named 'Dates' or 'Chart' \(sheets: Queries\)"):
        loaded({"type": "file", "preset": "search_console", "path": str(path)})


def test_google_ads_by_campaign_type_segmented_by_day(tmp_path):
    path = csv_file(tmp_path, "Campaign type report\n\"October 1, 2026 - October 2, 2026\"\n"
                              "Day,Campaign type,Impr.,Clicks,Cost\n2026-10-01,Search,100,10,5.00\n"
                              "2026-10-01,Display,\"1,000\",4,2.00\n2026-10-02,Search,120,12,6.00\n"
                              "Total: Account,--,\"1,220\",26,13.00\n")
    data = loaded({"type": "file", "preset": "google_ads", "path": path})
    by_channel = data.facts.groupby("channel")["cost"].sum().to_dict()
    assert by_channel == {"Display": 2.0, "Paid Search": 11.0}   # 5 + 6
    assert set(data.facts["campaign"]) == {"(not set)"}
    assert messages(data) == ["in.csv: 1 total row (line 7) skipped; the report adds up the rows itself."]


def test_google_ads_not_daily_is_refused_with_the_steps(tmp_path):
    path = csv_file(tmp_path, "Campaign report\nWeek,Campaign,Impr.\n2026-09-28,A,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path})
    assert str(err.value) == (f"{path}: the export has one row per week, not per day\n  fix: export it "
                              "again by day: in Google Ads: Campaigns (or Campaign types) > Segment > "
                              "Time > Day, then Download > CSV")


# --- validate says what it read -----------------------------------------------------
def test_validate_prints_columns_used_and_ignored_and_the_notes(tmp_path, root):
    params = tmp_path / "meta.yaml"
    params.write_text("client_id: meta\nclient_name: Meta\nbusiness_model: leadgen\nperiod: '2026-10'\n"
                      "currency: EUR\nsource: {type: file, preset: meta_ads, "
                      f"path: {EXPORTS}meta_ads_ad_level.csv}}\n")
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", str(params)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        "        meta_ads_ad_level.csv: used Reporting ends → date_end, Day → date, Campaign name → "
        "campaign, Impressions → impressions, Amount spent (EUR) → cost, Link clicks → clicks, "
        "Leads → conversions; ignored: Reporting starts, Ad set name, Ad name",
        "        note: meta_ads_ad_level.csv: 7 rows (split by Ad set name, Ad name) summed to 4 day × "
        "campaign rows.",
        "        note: The data has no sessions or users, so Lead conversion rate, Sessions and Users "
        "are left out of the KPIs."]


def test_validate_error_exits_2_without_a_traceback(tmp_path, root):
    params = tmp_path / "ads.yaml"
    params.write_text("client_id: ads\nclient_name: Ads\nbusiness_model: leadgen\nperiod: '2026-10'\n"
                      "currency: EUR\nkpis: [sessions]\nsource: {type: file, preset: google_ads, "
                      f"path: {EXPORTS}google_ads_campaigns.csv}}\n")
    proc = subprocess.run([sys.executable, "-m", "reportkit.cli", "validate", str(params)],
                          capture_output=True, text=True, cwd=root)
    assert proc.returncode == 2
    assert f"INVALID {params}: " in proc.stderr   # the params file is named
    assert "key 'kpis', KPI 'sessions': needs sessions, which Google Ads export " \
           "google_ads_campaigns.csv does not have" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_goal_on_a_kpi_the_data_cannot_compute_is_an_error(tmp_path):
    path = csv_file(tmp_path, "Day,Campaign,Impressions,Cost\n2026-10-01,A,3,1\n")
    goal = {"id": "more_visits", "name": "More visits", "kpi": "sessions", "start": "2026-10-01",
            "deadline": "2026-12-31", "baseline": 100, "target": "+10%"}
    with pytest.raises(ConfigError) as err:
        loaded({"type": "file", "preset": "google_ads", "path": path}, goals=[goal])
    assert str(err.value).startswith("params: key 'goals', goal 'more_visits': its KPI 'sessions' needs "
                                     "sessions, which Google Ads export in.csv does not have")


def test_a_custom_kpi_may_use_an_extra_numeric_column(tmp_path):
    path = csv_file(tmp_path, "Datum,Sitzungen,Anrufe\n2026-10-01,40,2\n2026-10-02,60,3\n")
    data = loaded({"type": "file", "path": path,
                   "columns": {"Datum": "date", "Sitzungen": "sessions", "Anrufe": "calls"}},
                  custom_kpis=[{"key": "call_rate", "label": "Call rate", "numerator": "calls",
                                "denominator": "sessions", "unit": "percent"}])
    assert data.facts["calls"].sum() == 5                 # 2 + 3: kept, and the KPI is not refused


def test_canonical_csv_dates_are_iso_never_guessed(tmp_path):
    path = csv_file(tmp_path, "date,channel,sessions\n01/10/2026,Email,3\n")
    with pytest.raises(DataError) as err:
        loaded({"type": "csv", "path": path})
    assert str(err.value) == (f"{path}: row 1, column 'date': '01/10/2026' is not a date\n  fix: write "
                              "dates as YYYY-MM-DD")
