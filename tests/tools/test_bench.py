"""`arrs bench` runs end to end on a small caseload and reports every figure."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import pytest

from arrs_desktop.tools import bench


@pytest.fixture(scope="module")
def bench_result(tmp_path_factory):
    """Run `arrs bench --people 2000 --json` in its own process (Qt state stays apart)."""
    home = tmp_path_factory.mktemp("bench-home")
    env = {**os.environ, "ARRS_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ARRS_DB", None)
    done = subprocess.run(
        [sys.executable, "-m", "arrs_desktop.cli", "bench", "--people", "2000", "--json"],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return done.returncode, json.loads(done.stdout), home


def test_bench_completes_and_reports_every_figure(bench_result):
    code, result, _home = bench_result
    assert code == 0
    optional = set()
    if bench.reports_available() is False:
        optional = {"month_reports_ms", "month_reports_floor_ms", "month_reports_ratio"}
    for key in bench.figure_keys():
        assert key in result, key
        if key in optional:
            continue
        value = result[key]
        assert isinstance(value, (int, float)) and math.isfinite(value) and value >= 0, key


def test_bench_describes_the_caseload_and_the_machine(bench_result):
    _code, result, home = bench_result
    assert result["people"] == 2000
    assert result["rows"]["people"] >= 2000 and result["rows"]["sessions"] > 2000
    assert result["machine"]["cpus"] >= 1
    assert str(home) in result["db"]  # a cache folder under ARRS_HOME, not the data folder
    assert result["encrypted"] is True  # as every caseload the app makes
    assert result["sign_in_ms"] > 0


def test_bench_reuses_a_caseload_that_is_big_enough(bench_result, capsys):
    _code, result, _home = bench_result
    path = bench.prepare_caseload(1500, result["db"], log=print)
    assert str(path) == result["db"]
    assert "Reusing" in capsys.readouterr().out


def test_bench_will_not_grow_someone_elses_small_file(demo_db):
    with pytest.raises(bench.BenchError):
        bench.prepare_caseload(2000, str(demo_db), log=lambda _m: None)


def test_text_report_names_every_figure():
    result = {key: 1.0 for key in bench.figure_keys()}
    result["month_reports_ms"] = None
    result.update(people=10, runs=1, db="x.db", db_size_mb=1.0,
                  rows={"sessions": 1, "goals": 1}, machine=bench.machine())
    text = bench.format_report(result)
    for key in bench.FIGURES:
        assert key in text
    assert "not available" in text
