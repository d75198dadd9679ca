"""The benchmarks in bench/ still run against today's code (tiny sizes: this checks they work, it times nothing)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_the_scale_benchmark_builds_packs_of_each_size():
    out = run("bench_scale.py", "--sizes", "40", "80", "--kinds", "exceptions", "--import-deps", "0")
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("40 ", "80 "))]
    assert [row[0] for row in rows] == ["40", "80"] and all(row[2] == "exceptions" for row in rows)


@pytest.mark.slow
def test_the_report_benchmark_compares_the_pack_with_a_bare_script():
    out = run("bench_report.py", "--actions", "60", "--objectives", "5", "--repeat", "1")
    assert "pack (build_report):" in out and "ratio pack/bare (CPU):" in out


@pytest.mark.slow
def test_the_taskjuggler_benchmark_times_overdue_and_says_whether_tj3_ran():
    out = run("bench_tj3.py", "--actions", "60", "--objectives", "5", "--repeat", "1")
    assert "egov-planner overdue:" in out
    assert "tj3 (TaskJuggler)" in out  # its time, or that it is not installed and nothing was compared


@pytest.mark.slow
def test_the_timeline_benchmark_times_opening_scrolling_and_zooming():
    out = run("bench_timeline.py", "--actions", "60", "--steps", "2")
    assert "view opens:" in out and "zoom in:" in out and "a step drawn in:" in out


@pytest.mark.slow
def test_the_timeline_pdf_benchmark_prints_pages_and_seconds_per_size():
    out = run("bench_timeline_pdf.py", "--sizes", "30", "60")
    rows = [line.split() for line in out.splitlines() if line.strip().startswith(("30 ", "60 "))]
    assert [row[0] for row in rows] == ["30", "60"] and all(int(row[1]) >= 1 for row in rows)
