"""The tests' real PostgreSQL server (the code is `arrs_desktop.team.local_server`, which
`arrs bench --team` uses too)."""

from __future__ import annotations

import glob  # noqa: F401  (tests patch glob.glob and shutil.which to hide the server)
import shutil  # noqa: F401

from arrs_desktop.team.local_server import (  # noqa: F401
    ADMIN,
    MIN_VERSION,
    TEST_USER,
    PostgresTestServer,
    PostgresUnavailable,
    find_server_bin,
    start_test_postgres,
)
