"""The caseload's connection is the store's own: sqlite-utils plugins do not touch it."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils
from sqlite_utils.plugins import pm

from arrs_desktop.store import open_store


class _Probe:
    @sqlite_utils.hookimpl
    def prepare_connection(self, conn):
        conn.create_function("plugin_probe", 0, lambda: "plugged in")


def test_installed_sqlite_utils_plugins_are_not_run(db_path):
    probe = _Probe()
    pm.register(probe, name="arrs-test-probe")
    try:
        plain = sqlite_utils.Database(memory=True)  # a plain Database would run it
        assert plain.execute("SELECT plugin_probe()").fetchone()[0] == "plugged in"
        store = open_store(db_path, user="Test Worker")
        try:
            with pytest.raises(sqlite3.OperationalError, match="no such function"):
                store.db.execute("SELECT plugin_probe()")
        finally:
            store.close()
    finally:
        pm.unregister(name="arrs-test-probe")
