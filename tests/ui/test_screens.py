"""Every view and dialog on a 1366×768 laptop screen, at 100 % and 150 %, and on a
1920×1080 screen: nothing cut, shortened or drawn over anything else.

Each screen runs tests/screen_sweep.py in a process of its own (Qt takes the screen's size
and the scaling when it starts) on a copy of the demo caseload; the three run side by side.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCREENS = (("1366x768", "1"), ("1366x768", "1.5"), ("1920x1080", "1"))
SWEEP = Path(__file__).resolve().parents[1] / "screen_sweep.py"


@pytest.fixture(scope="module")
def sweeps(tmp_path_factory, _demo_template):
    runs = {}
    for screen, scale in SCREENS:
        where = tmp_path_factory.mktemp(f"screen-{screen}-{scale}")
        db = where / "demo.db"
        shutil.copy(_demo_template, db)
        env = {**os.environ, "ARRS_HOME": str(where / "home")}
        env.pop("QT_QPA_PLATFORM", None)
        runs[(screen, scale)] = subprocess.Popen(
            [sys.executable, str(SWEEP), "--screen", screen, "--scale", scale,
             "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env, cwd=str(SWEEP.parent.parent))
    reports = {}
    for key, run in runs.items():
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-2000:]
        reports[key] = json.loads(out.strip().splitlines()[-1])
    return reports


@pytest.mark.parametrize(("screen", "scale"), SCREENS)
def test_every_view_and_dialog_can_be_read_in_full(sweeps, screen, scale):
    report = sweeps[(screen, scale)]
    assert report["problems"] == {}, json.dumps(report["problems"], indent=1)


@pytest.mark.parametrize(("screen", "scale"), SCREENS)
def test_the_first_open_fills_the_screen(sweeps, screen, scale):
    window = sweeps[(screen, scale)]["window"]
    room = window["available"]
    if screen == "1366x768":  # a laptop screen: maximised
        assert window["maximised"]
        assert window["width"] >= room[0] - 8 and window["height"] >= room[1] - 8
    else:  # a big screen: most of it
        assert window["width"] >= room[0] * 0.85 and window["height"] >= room[1] * 0.85
