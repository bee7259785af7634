"""The team tests' real PostgreSQL server: started once per run, stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest

from arrs_desktop.team import server
from tests.pg_server import PostgresTestServer, PostgresUnavailable, start_test_postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PostgresTestServer]:
    """Start a throw-away PostgreSQL for the whole run; fail (never skip) if there is none."""
    try:
        server = start_test_postgres()
    except PostgresUnavailable as exc:
        pytest.fail(f"the team tests need a real PostgreSQL server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def team_db(pg_server: PostgresTestServer) -> str:
    """Return the administrator's connection string to a new, empty database."""
    return pg_server.admin_dsn(pg_server.create_database())


@dataclass
class Team:
    """A migrated team database with two members."""

    pg: PostgresTestServer
    dbname: str
    admin: str
    logins: tuple[str, str]

    def connect(self, who: int = 0) -> psycopg.Connection:
        login = self.logins[who]
        return psycopg.connect(self.pg.member_dsn(self.dbname, login, f"{login}-pw"))

    def admin_connect(self) -> psycopg.Connection:
        return psycopg.connect(self.admin)


@pytest.fixture
def team(pg_server: PostgresTestServer, team_db: str) -> Team:
    dbname = team_db.rsplit("dbname=", 1)[1]
    logins = (f"{dbname}_ann", f"{dbname}_bob")
    with psycopg.connect(team_db) as conn:
        assert server.migrate(conn, team_role=f"{dbname}_team") == server.SERVER_SCHEMA_VERSION
        for login in logins:
            server.add_member(conn, login, f"{login}-pw", login.rsplit("_", 1)[1].title())
    return Team(pg_server, dbname, team_db, logins)
