"""The measuring tool runs end to end (on tiny data: figures are never asserted)."""

from __future__ import annotations

from conftest import CHEAP

from arrs_desktop.security import DataKey, RecoveryKey, measure


def test_every_measurement_runs_on_tiny_data(tmp_path):
    best, median = measure.measure_kdf(CHEAP, repeats=1)
    assert 0 <= best <= median
    assert measure.measure_unlock(tmp_path, 2, repeats=1, params=CHEAP)[0] >= 0
    key = DataKey.from_recovery_key(RecoveryKey.generate())
    for connect in (measure._stdlib, measure._sqlcipher_plain, measure._sqlcipher_keyed(key)):
        figures = measure.measure_database(tmp_path, connect, rows=300, cache_kib=1024, writes=3)
        assert set(figures) >= {"insert all rows (one transaction)", "full scan (warm)"}
