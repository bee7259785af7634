"""Codes to record in the GP system: the shipped ones, a PCN's own, and those an episode
calls for (the rules are the domain's, domain/gp_codes.py)."""

from __future__ import annotations

from arrs_desktop.domain.gp_codes import GP_CODE_RULES, EpisodeCode, codes_that_apply
from arrs_desktop.domain.models import GpCode
from arrs_desktop.domain.validation import (
    Checker,
    ValidationError,
    clean_choice,
    clean_text,
    require_id,
)
from arrs_desktop.store.episodes import EpisodesRepository
from arrs_desktop.store.rows import Db
from arrs_desktop.store.writer import Writer


class GpCodesRepository:
    """The GP codes table, and the codes to enter for one episode."""

    def __init__(self, db: Db, writer: Writer, episodes: EpisodesRepository) -> None:
        self._db = db
        self._writer = writer
        self._episodes = episodes

    def all(self) -> list[GpCode]:
        """Return the GP codes table: shipped codes first, then the PCN's own."""
        rows = self._db.rows("SELECT * FROM gp_codes ORDER BY shipped DESC, term")
        return [GpCode(id=r["id"], code=r["code"], term=r["term"], applies_to=r["applies_to"],
                       shipped=bool(r["shipped"])) for r in rows]

    def add(self, code: GpCode) -> GpCode:
        """Add a PCN's own code to record in the GP system."""
        check = Checker()
        value = check.check("code", clean_text, code.code, required=True, max_len=18)
        if value and not value.isdigit():
            check.add("code", "must be a SNOMED CT concept id (digits only)")
        term = check.check("term", clean_text, code.term, required=True)
        applies_to = check.check("applies_to", clean_choice, code.applies_to or "custom",
                                 GP_CODE_RULES)
        check.raise_if_any()
        assert value is not None and term is not None and applies_to is not None
        with self._writer.transaction():
            if self._db.scalar("SELECT 1 FROM gp_codes WHERE code = ?", [value]):
                raise ValidationError("code", "is already in the codes table")
            record = self._writer.insert("gp_codes", {"code": value, "term": term,
                                                      "applies_to": applies_to, "shipped": 0},
                                         person_id=None)
        return GpCode(id=record["id"], code=value, term=term, applies_to=applies_to)

    def for_episode(self, episode_id: str) -> list[EpisodeCode]:
        """Return the codes to enter in the GP system for one episode."""
        require_id("episode_id", episode_id)
        episode = self._episodes.get(episode_id)
        if episode is None:
            raise ValidationError("episode_id", "is not an episode on this log")
        return codes_that_apply(episode, self.all())

    def remove(self, code_id: str) -> None:
        """Remove one of the PCN's own codes (shipped codes stay)."""
        require_id("code", code_id)
        row = self._db.row("SELECT * FROM gp_codes WHERE id = ?", [code_id])
        if row is None:
            raise ValidationError("code", "is not in the codes table")
        if row["shipped"]:
            raise ValidationError("code", "comes with ARRS Desktop and cannot be removed")
        with self._writer.transaction():
            self._writer.delete("gp_codes", code_id, person_id=None)
