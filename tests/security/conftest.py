"""Fixtures for the security tests: real key files under tmp_path, cheap Argon2id settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from arrs_desktop.security.kdf import KdfParams

# Argon2's smallest settings: every test derivation takes microseconds. Passed explicitly to
# each call that derives a key; production code has no switch that could pick these.
CHEAP = KdfParams(time_cost=1, memory_kib=8, parallelism=1)

JANE = "kettle orbit lantern"
BOB = "purple tractor meadow"
SAM = "heron waits by the weir"


@pytest.fixture
def cheap() -> KdfParams:
    return CHEAP


@pytest.fixture
def key_path(tmp_path) -> Path:
    """Where the key file of a caseload at tmp_path/caseload.db lives."""
    from arrs_desktop import paths

    return paths.key_file_path(tmp_path / "caseload.db")


@pytest.fixture
def made(key_path):
    """A new key file: (key file, Jane's unlock, recovery key); Jane is the first manager."""
    from arrs_desktop.security import KeyFile

    return KeyFile.create(key_path, name="Jane Smith", role="splw", passphrase=JANE, kdf=CHEAP)
