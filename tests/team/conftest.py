"""The team tests' real PostgreSQL server: started once per run, stopped at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
