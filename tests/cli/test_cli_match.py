"""`arrs match`: the JSON contract, plain text, unknown needs and bad rules files."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from arrs_desktop import paths
from arrs_desktop.cli import main
from arrs_desktop.domain.catalogue import NEED_IDS, ROLE_CODES


def run_cli(capsys, *args):
    code = main(["match", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check_contract(data):
    assert list(data) == ["lead", "supporting", "roles"]
    assert data["lead"] is None or data["lead"] in ROLE_CODES
    assert isinstance(data["supporting"], list)
    assert len(data["roles"]) == 3
    for rank, role in enumerate(data["roles"], start=1):
        assert list(role) == ["role", "name", "score", "rank", "reasons"]
        assert role["rank"] == rank
        assert isinstance(role["score"], float)
        assert all(isinstance(r, str) for r in role["reasons"])
    assert sorted(r["role"] for r in data["roles"]) == sorted(ROLE_CODES)


def test_json_contract_in_process(capsys):
    code, out, err = run_cli(capsys, "--need", "loneliness", "--need", "copd", "--json")
    assert code == 0
    assert err == ""
    data = json.loads(out)  # nothing but JSON on stdout
    check_contract(data)
    # loneliness is link-worker evidence and COPD health-coach evidence, equally weighted
    # in the shipped rules; the tie goes to the fixed role order (splw first).
    assert data["lead"] == "splw"
    assert data["supporting"] == ["hwbc"]
    assert [r["role"] for r in data["roles"]] == ["splw", "hwbc", "cc"]
    assert data["roles"][2]["score"] == 0.0
    assert data["roles"][2]["reasons"] == []
    assert len(data["roles"][0]["reasons"]) == 1


def test_json_with_no_needs_has_null_lead(capsys):
    code, out, _ = run_cli(capsys, "--json")
    assert code == 0
    data = json.loads(out)
    check_contract(data)
    assert data["lead"] is None
    assert data["supporting"] == []


def test_json_contract_in_a_subprocess(tmp_path):
    env = {**os.environ, "ARRS_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "arrs_desktop.cli", "match", "--need", "care_home",
         "--need", "navigation", "--json"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    check_contract(data)
    assert data["lead"] == "cc"
    assert len(data["roles"][0]["reasons"]) == 2


def test_unknown_need_in_a_subprocess_exits_2(tmp_path):
    env = {**os.environ, "ARRS_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "arrs_desktop.cli", "match", "--need", "lonelyness", "--json"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "lonelyness" in proc.stderr
    for need in NEED_IDS:
        assert need in proc.stderr


def test_unknown_need_exits_2_listing_valid_ids(capsys):
    code, out, err = run_cli(capsys, "--need", "copd", "--need", "lonelyness")
    assert code == 2
    assert out == ""
    assert "'lonelyness'" in err
    assert "did you mean 'loneliness'" in err
    for need in NEED_IDS:
        assert need in err


def test_plain_text_shows_ranks_scores_badges_and_reasons(capsys):
    code, out, err = run_cli(capsys, "--need", "type2_diabetes", "--need", "goal_setting")
    assert code == 0
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == "Needs: Type 2 diabetes, Wants help with health goals"
    assert "Health and Wellbeing Coach" in lines[1]
    rank_lines = [line for line in lines if line[:2] in ("1.", "2.", "3.")]
    assert rank_lines[0].startswith("1. Health and Wellbeing Coach (hwbc): score 6")
    assert rank_lines[0].endswith("[lead]")
    assert "[supporting]" not in out
    assert sum(1 for line in lines if line.startswith("   - ")) >= 2
    with pytest.raises(json.JSONDecodeError):
        json.loads(out)


def test_plain_text_with_no_needs_says_no_clear_match(capsys):
    code, out, _ = run_cli(capsys)
    assert code == 0
    assert "No clear match yet" in out


def test_bad_rules_file_reported_on_stderr_and_shipped_rules_used(tmp_path, capsys):
    bad = tmp_path / "ours.toml"
    bad.write_text('[needs.loneliness]\ncc = { weight = "lots", reason = "x" }\n')
    code, out, err = run_cli(capsys, "--need", "loneliness", "--rules", str(bad), "--json")
    assert code == 0
    assert str(bad) in err
    assert "needs.loneliness.cc.weight" in err
    assert "shipped rules" in err
    data = json.loads(out)
    check_contract(data)
    assert data["lead"] == "splw"  # the shipped rules, not the bad file's cc


def test_syntax_error_in_rules_names_the_line(tmp_path, capsys):
    bad = tmp_path / "ours.toml"
    bad.write_text("version = 1\n[needs.copd\n")
    code, out, err = run_cli(capsys, "--need", "copd", "--rules", str(bad))
    assert code == 0
    assert f"{bad}: line 2" in err
    assert "[lead]" in out


def test_good_rules_file_changes_the_result(tmp_path, capsys):
    ours = tmp_path / "ours.toml"
    ours.write_text('[needs.copd]\ncc = { weight = 5, reason = "Our COPD clinic is run by cc." }\n')
    code, out, err = run_cli(capsys, "--need", "copd", "--rules", str(ours), "--json")
    assert code == 0
    assert err == ""
    data = json.loads(out)
    assert data["lead"] == "cc"
    assert data["roles"][0]["reasons"] == ["Our COPD clinic is run by cc."]


def test_local_rules_file_is_picked_up(capsys):
    paths.local_rules_path().write_text('[needs.copd]\nsplw = { weight = 5, reason = "x" }\n')
    code, out, _ = run_cli(capsys, "--need", "copd", "--json")
    assert code == 0
    assert json.loads(out)["lead"] == "splw"
