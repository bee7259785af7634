"""A person's needs over time: the history is kept in `needs` (added, removed, by whom)."""

from __future__ import annotations

from collections.abc import Iterable

from arrs_desktop.domain.catalogue import NEED_IDS
from arrs_desktop.domain.models import NeedRecord
from arrs_desktop.domain.validation import ValidationError, require_id
from arrs_desktop.store.rows import Db, now_iso
from arrs_desktop.store.writer import Writer


class NeedsRepository:
    """The needs a person has now, ticking one, setting them all, and their history."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def current(self, person_id: str) -> frozenset[str]:
        """Return the need ids a person has now."""
        rows = self._db.rows(
            "SELECT need_id FROM needs WHERE person_id = ? AND removed_at IS NULL", [person_id]
        )
        return frozenset(r["need_id"] for r in rows)

    def set(self, person_id: str, needs: Iterable[str]) -> frozenset[str]:
        """Make a person's current needs exactly `needs`, keeping the history; return them."""
        require_id("person_id", person_id)
        if isinstance(needs, (str, bytes)) or not isinstance(
            needs, (list, tuple, set, frozenset)
        ):
            raise ValidationError("needs", "must be a list of need ids")
        unknown = sorted({repr(n) if not isinstance(n, str) else n for n in needs
                          if not isinstance(n, str) or n not in NEED_IDS})
        if unknown:
            shown = ", ".join(u[:40] for u in unknown[:5])
            raise ValidationError("needs", f"unknown need id: {shown}")
        wanted = frozenset(needs)
        with self._writer.transaction():
            if self._db.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            self._write(person_id, self.current(person_id), wanted)
        return wanted

    def tick(self, person_id: str, need_id: str, present: bool) -> frozenset[str]:
        """Add or remove one need; return the person's needs afterwards."""
        require_id("person_id", person_id)
        if not isinstance(need_id, str) or need_id not in NEED_IDS:
            raise ValidationError("needs", "unknown need id")
        with self._writer.transaction():
            if self._db.scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            have = self.current(person_id)
            wanted = have | {need_id} if present else have - {need_id}
            self._write(person_id, have, wanted)
        return wanted

    def _write(self, person_id: str, have: frozenset[str], wanted: frozenset[str]) -> None:
        stamp = now_iso()
        for need_id in sorted(wanted - have):
            self._writer.insert(
                "needs",
                {"person_id": person_id, "need_id": need_id, "added_at": stamp,
                 "added_by": self._writer.user},
                person_id=person_id,
            )
        for need_id in sorted(have - wanted):
            row_id = self._db.scalar(
                "SELECT id FROM needs WHERE person_id = ? AND need_id = ?"
                " AND removed_at IS NULL",
                [person_id, need_id],
            )
            self._writer.update("needs", row_id, {"removed_at": stamp,
                                                  "removed_by": self._writer.user},
                                person_id=person_id)

    def history(self, person_id: str) -> list[NeedRecord]:
        """Return every need a person has had, oldest first."""
        rows = self._db.rows(
            "SELECT * FROM needs WHERE person_id = ? ORDER BY added_at, need_id", [person_id]
        )
        return [
            NeedRecord(id=r["id"], person_id=r["person_id"], need_id=r["need_id"],
                       added_at=r["added_at"], removed_at=r["removed_at"],
                       added_by=r["added_by"], removed_by=r["removed_by"])
            for r in rows
        ]
