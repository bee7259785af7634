"""Fixtures for signing in and encryption: encrypted caseloads on real files under tmp_path.

Key files made here use Argon2's cheapest settings (passed explicitly, as the security
tests do) unless a test goes through the commands or the window, which use the real ones.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.security.conftest import CHEAP

PASSPHRASE = "kettle orbit lantern"
OTHER = "heron waits by the weir"


@pytest.fixture
def encrypted(tmp_path):
    """An encrypted caseload with one account and a 40-person demo: (path, session, key)."""
    from arrs_desktop.access.session import create_caseload
    from arrs_desktop.tools.demo import build_demo

    path = tmp_path / "caseload.db"
    session, recovery = create_caseload(path, name="Jane Smith", role="splw",
                                        passphrase=PASSPHRASE, kdf=CHEAP)
    store = session.open_store()
    build_demo(store, 40, seed=3, today=date.today())
    store.close()
    yield path, session, recovery
    session.end()
