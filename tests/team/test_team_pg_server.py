"""The test server is a real PostgreSQL, on loopback only, run by an unprivileged user."""

from __future__ import annotations

import os

import psycopg
import pytest

from tests.pg_server import ADMIN, PostgresTestServer


def test_the_server_is_real_postgresql_15_or_later(pg_server: PostgresTestServer, team_db: str):
    with psycopg.connect(team_db) as conn:
        version = conn.execute("SHOW server_version_num").fetchone()
        listen = conn.execute("SHOW listen_addresses").fetchone()
    assert version is not None and int(version[0]) >= 150000
    assert listen == ("127.0.0.1",)
    assert pg_server.started_in > 0


def test_the_server_runs_as_an_unprivileged_user(pg_server: PostgresTestServer):
    pid_line = (pg_server.data_dir / "postmaster.pid").read_text().splitlines()[0]
    owner = os.stat(f"/proc/{int(pid_line)}").st_uid
    assert owner != 0


def test_a_member_logs_in_over_tcp_with_a_password(pg_server: PostgresTestServer, team_db: str):
    dbname = team_db.rsplit("dbname=", 1)[1]
    with psycopg.connect(team_db, autocommit=True) as conn:
        conn.execute("CREATE ROLE probe_member LOGIN PASSWORD 'probe-pass'")
    try:
        with psycopg.connect(pg_server.member_dsn(dbname, "probe_member", "probe-pass")) as c:
            row = c.execute("SELECT current_user, inet_server_addr()::text").fetchone()
        assert row is not None and row[0] == "probe_member"
        assert row[1].startswith("127.0.0.1")
        try:
            psycopg.connect(pg_server.member_dsn(dbname, "probe_member", "wrong"))
        except psycopg.OperationalError as exc:
            assert "password authentication failed" in str(exc)
        else:
            raise AssertionError("a wrong password was accepted")
    finally:
        with psycopg.connect(pg_server.admin_dsn(), autocommit=True) as conn:
            conn.execute("DROP ROLE probe_member")
    assert ADMIN == "arrs_admin"


def test_with_no_server_installed_the_reason_names_the_package_to_install(monkeypatch):
    import tests.pg_server as pg

    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    with pytest.raises(pg.PostgresUnavailable, match="Debian package 'postgresql'"):
        pg.find_server_bin()
