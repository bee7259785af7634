"""GP codes an episode calls for, and removing a PCN's own codes."""

from __future__ import annotations

from arrs_desktop.domain.gp_codes import EpisodeCode, codes_that_apply
from arrs_desktop.domain.validation import ValidationError
from arrs_desktop.store.base import StoreBase


class GpCodesStore(StoreBase):
    """Codes to enter in the GP system, per episode."""

    def codes_for_episode(self, episode_id: str) -> list[EpisodeCode]:
        """Return the codes to enter in the GP system for one episode."""
        self._check_id("episode_id", episode_id)
        episode = self.get_episode(episode_id)
        if episode is None:
            raise ValidationError("episode_id", "is not an episode on this log")
        return codes_that_apply(episode, self.gp_codes())

    def remove_gp_code(self, code_id: str) -> None:
        """Remove one of the PCN's own codes (shipped codes stay)."""
        self._check_id("code", code_id)
        row = self._row("SELECT * FROM gp_codes WHERE id = ?", [code_id])
        if row is None:
            raise ValidationError("code", "is not in the codes table")
        if row["shipped"]:
            raise ValidationError("code", "comes with ARRS Desktop and cannot be removed")
        with self._writing():
            self.db.execute("DELETE FROM gp_codes WHERE id = ?", [code_id])
            self._audit("delete", "gp_codes", code_id, None, row, None)
