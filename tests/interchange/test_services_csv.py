"""The BVPI 157 services CSV and the figures it gives."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egov_planner.cli import capture
from egov_planner.interchange import export_file, import_file
from egov_planner.model.errors import RowError
from egov_planner.model.store import create_plan

# Each test that takes a plan runs on a file and on the PostgreSQL server (conftest.py).
pytestmark = pytest.mark.both_stores

HEADER = [
    "service",
    "lgsl",
    "department",
    "interaction",
    "permissible",
    "reason",
    "enabled_on",
    "forecast",
    "channels",
    "external",
    "external_expected",
]


def write_rows(path: Path, rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def test_services_are_told_apart_by_header_and_imported(service, tmp_path):
    path = write_rows(
        tmp_path / "services.csv",
        [
            ["Council Tax", "4", "Resources", "2", "yes", "", "30/06/2002", "", "web; email", "", ""],
            ["Council Tax", "4", "Resources", "Paying for goods and services", "", "", "", "March 2004", "web", "", ""],
            ["Electoral registration", "", "Resources", "0", "no", "Needs a signed form", "", "", "", "", ""],
            [
                "Register office",
                "",
                "Resources",
                "1",
                "yes",
                "",
                "",
                "31/12/2005",
                "web",
                "National Registration Services project",
                "30/06/2006",
            ],
        ],
    )
    result = import_file(service, path)
    assert result.kind == "services" and result.summary.added == 4
    rows = {(r.service, r.interaction): r for r in service.service_rows()}
    assert rows[("Council Tax", 4)].forecast_on == date(2004, 3, 31)
    assert rows[("Electoral registration", 0)].permissible is False
    assert rows[("Register office", 1)].external == "National Registration Services project"
    assert service.externals()[0].expected_on == date(2006, 6, 30)


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["", "", "", "0", "", "", "", "", "", "", ""], "service", "a value is required"),
        (["S", "", "", "10", "", "", "", "", "", "", ""], "interaction", "is not an interaction type"),
        (["S", "", "", "Juggling", "", "", "", "", "", "", ""], "interaction", "is not an interaction type"),
        (["S", "", "", "", "", "", "", "", "", "", ""], "interaction", "a value is required"),
        (["S", "", "", "0", "maybe", "", "", "", "", "", ""], "permissible", "is not yes or no"),
        (["S", "", "", "0", "no", "", "", "", "", "", ""], "reason", "say why"),
        (["S", "", "", "0", "", "", "30/02/2004", "", "", "", ""], "enabled_on", "February 2004 has 29 days"),
        (["S", "", "", "0", "", "", "", "12/13/2004", "", "", ""], "forecast", "no month 13"),
        (["S", "x", "", "0", "", "", "", "", "", "", ""], "lgsl", "not a whole number"),
        (["S", "", "", "0", "", "", "", "", "", "", "30/06/2006"], "external_expected", "no external dependency"),
    ],
)
def test_bad_service_rows_are_refused_whole(service, tmp_path, row, column, words):
    good = ["Council Tax", "", "Resources", "2", "", "", "", "", "", "", ""]
    path = write_rows(tmp_path / "s.csv", [good, row])
    with pytest.raises(RowError) as refused:
        import_file(service, path)
    assert (refused.value.row, refused.value.column) == (3, column)
    assert words in str(refused.value)
    assert service.service_rows() == []


def test_duplicates_and_two_dates_for_one_external(service, tmp_path):
    twice = write_rows(
        tmp_path / "d.csv",
        [
            ["S", "", "", "0", "", "", "", "", "", "", ""],
            ["S", "", "", "Applications for service", "", "", "", "", "", "", ""],
        ],
    )
    with pytest.raises(RowError, match="row 3, column interaction: S / Applications for service is already in row 2"):
        import_file(service, twice)
    dates = write_rows(
        tmp_path / "e.csv",
        [
            ["A", "", "", "0", "", "", "", "", "", "X", "30/06/2006"],
            ["B", "", "", "0", "", "", "", "", "", "X", "31/12/2006"],
        ],
    )
    with pytest.raises(RowError, match="row 3, column external_expected"):
        import_file(service, dates)
    assert service.service_rows() == []


def test_the_demo_services_round_trip(demo_service, tmp_path, plan_path):
    from egov_planner.model.service import PlanService
    from egov_planner.model.store import open_plan

    out = tmp_path / "services.csv"
    assert export_file(demo_service, out, "services") == 257
    store = open_plan(plan_path)
    try:
        fresh = PlanService(store)
        import_file(fresh, out)
        again = tmp_path / "again.csv"
        export_file(fresh, again, "services")
    finally:
        store.close()
    assert again.read_bytes() == out.read_bytes()


# --- an independent count -----------------------------------------------------------------

days = st.integers(min_value=0, max_value=6 * 365)
BASE = date(2001, 4, 1)


@st.composite
def service_lists(draw: st.DrawFn) -> list[dict]:
    rows = []
    for index in range(draw(st.integers(min_value=1, max_value=60))):
        rows.append(
            {
                "service": f"Service {index // 3}",
                # A service has one department, so it follows the service.
                "department": ["Housing", "Resources", "Adran Gwasanaethau", ""][(index // 3) % 4],
                "interaction": draw(st.integers(min_value=0, max_value=9)),
                "permissible": draw(st.booleans()) or draw(st.booleans()),
                "enabled": draw(st.one_of(st.none(), days)),
                "forecast": draw(st.one_of(st.none(), days)),
                "waits": draw(st.booleans()) and draw(st.booleans()),
            }
        )
    # one row per service x interaction
    seen, unique = set(), []
    for row in rows:
        key = (row["service"], row["interaction"])
        if key not in seen:
            seen.add(key)
            unique.append(row)
    return unique


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(service_lists(), days, st.one_of(st.none(), days))
def test_bvpi_percentages_equal_an_independent_count(tmp_path_factory, rows, as_of_days, national_days):
    folder = tmp_path_factory.mktemp("bvpi")
    plan = folder / "p.egov"
    create_plan(plan)
    national_expected = None if national_days is None else BASE + timedelta(days=national_days)
    csv_rows = []
    for row in rows:
        enabled = "" if row["enabled"] is None else (BASE + timedelta(days=row["enabled"])).strftime("%d/%m/%Y")
        forecast = "" if row["forecast"] is None else (BASE + timedelta(days=row["forecast"])).strftime("%d/%m/%Y")
        csv_rows.append(
            [
                row["service"],
                "",
                row["department"],
                str(row["interaction"]),
                "yes" if row["permissible"] else "no",
                "" if row["permissible"] else "Law says no",
                enabled,
                forecast,
                "web",
                "National project" if row["waits"] else "",
                national_expected.strftime("%d/%m/%Y") if row["waits"] and national_expected else "",
            ]
        )
    path = write_rows(folder / "services.csv", csv_rows)
    code, _out, err = capture(["import", str(plan), str(path)])
    assert code == 0, err
    as_of = BASE + timedelta(days=as_of_days)
    code, out, err = capture(["bvpi", str(plan), "--as-of", as_of.isoformat(), "--format", "json"])
    assert code == 0, err
    figures = json.loads(out)

    def enabled_at(row: dict, when: date) -> bool:
        if row["enabled"] is not None:
            return BASE + timedelta(days=row["enabled"]) <= when
        if row["forecast"] is None:
            return False
        forecast = BASE + timedelta(days=row["forecast"])
        if row["waits"]:
            if national_expected is None:
                return False
            forecast = max(forecast, national_expected)
        return forecast <= when

    permissible = [r for r in rows if r["permissible"]]
    enabled = sum(1 for r in permissible if enabled_at(r, as_of))
    assert (figures["enabled"], figures["permissible"]) == (enabled, len(permissible))
    expected_percent = 0.0 if not permissible else float(f"{enabled * 100 / len(permissible) + 1e-9:.1f}")
    assert figures["percent"] == pytest.approx(expected_percent, abs=0.051)
    by_department = {d["department"]: (d["enabled"], d["permissible"]) for d in figures["by_department"]}
    for name in {r["department"] for r in rows}:
        mine = [r for r in permissible if r["department"] == name]
        assert by_department.get(name, (0, 0)) == (sum(1 for r in mine if enabled_at(r, as_of)), len(mine))
    for milestone in figures["milestones"]:
        when = date.fromisoformat(milestone["date"])
        assert milestone["enabled"] == sum(1 for r in permissible if enabled_at(r, when))
