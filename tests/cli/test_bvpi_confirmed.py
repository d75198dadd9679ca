"""`bvpi` says what is confirmed (actual e-enabled dates) beside the "actual, else forecast" figure."""

from __future__ import annotations

import json
from pathlib import Path

from egov_planner.cli import capture


def bvpi(*argv: object) -> str:
    code, out, err = capture(["bvpi", *(str(a) for a in argv)])
    assert (code, err) == (0, "")
    return out


def test_json_carries_the_confirmed_position_and_keeps_the_forecast_figure(demo_path: Path) -> None:
    data = json.loads(bvpi(demo_path, "--as-of", "01/06/2004", "--format", "json"))
    assert (data["enabled"], data["percent"]) == (183, 73.2)
    assert (data["confirmed"], data["confirmed_percent"]) == (133, 53.2)
    seed = json.loads(bvpi(demo_path, "--format", "json"))
    assert (seed["as_of"], seed["confirmed"], seed["enabled"]) == ("2004-01-12", 133, 133)


def test_text_labels_the_forecast_figure_and_states_the_confirmed_one(demo_path: Path) -> None:
    text = bvpi(demo_path, "--as-of", "1 June 2004")
    lines = text.splitlines()
    assert lines[1] == (
        "confirmed e-enabled: 133 of 250 legally permissible interactions (53.2%), from e-enabled-on dates; "
        "7 not legally permissible (counted in neither)"
    )
    assert lines[2] == (
        "forecast: 183 of 250 legally permissible interactions (73.2%), "
        "counting forecast dates where no e-enabled-on date is recorded"
    )
