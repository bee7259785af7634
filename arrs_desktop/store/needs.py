"""A person's needs over time (history in `needs`) and what matters to them."""

from __future__ import annotations

from collections.abc import Iterable

from arrs_desktop.domain.catalogue import NEED_IDS
from arrs_desktop.domain.models import NeedRecord
from arrs_desktop.domain.validation import LONG_TEXT_MAX, ValidationError, clean_text
from arrs_desktop.store.base import StoreBase, StoreConflictError, now_iso


class NeedsStore(StoreBase):
    """Needs and "what matters to me"."""

    def current_needs(self, person_id: str) -> frozenset[str]:
        """Return the need ids a person has now."""
        rows = self._rows(
            "SELECT need_id FROM needs WHERE person_id = ? AND removed_at IS NULL", [person_id]
        )
        return frozenset(r["need_id"] for r in rows)

    def set_needs(self, person_id: str, needs: Iterable[str]) -> frozenset[str]:
        """Make a person's current needs exactly `needs`, keeping the history; return them."""
        self._check_id("person_id", person_id)
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
        with self._writing():
            if self._scalar("SELECT 1 FROM people WHERE id = ?", [person_id]) is None:
                raise ValidationError("person_id", "is not a person on this log")
            have = self.current_needs(person_id)
            stamp = now_iso()
            for need_id in sorted(wanted - have):
                self._insert(
                    "needs",
                    {"person_id": person_id, "need_id": need_id, "added_at": stamp,
                     "added_by": self.user},
                    person_id=person_id,
                )
            for need_id in sorted(have - wanted):
                row_id = self._scalar(
                    "SELECT id FROM needs WHERE person_id = ? AND need_id = ?"
                    " AND removed_at IS NULL",
                    [person_id, need_id],
                )
                self._update("needs", row_id, {"removed_at": stamp, "removed_by": self.user},
                             person_id=person_id)
        return wanted

    def set_need(self, person_id: str, need_id: str, present: bool) -> frozenset[str]:
        """Add or remove one need; return the person's needs afterwards."""
        self._check_id("person_id", person_id)
        if not isinstance(need_id, str) or need_id not in NEED_IDS:
            raise ValidationError("needs", "unknown need id")
        with self._writing():
            have = set(self.current_needs(person_id))
            if present:
                have.add(need_id)
            else:
                have.discard(need_id)
            return self.set_needs(person_id, have)

    def needs_history(self, person_id: str) -> list[NeedRecord]:
        """Return every need a person has had, oldest first."""
        rows = self._rows(
            "SELECT * FROM needs WHERE person_id = ? ORDER BY added_at, need_id", [person_id]
        )
        return [
            NeedRecord(id=r["id"], person_id=r["person_id"], need_id=r["need_id"],
                       added_at=r["added_at"], removed_at=r["removed_at"],
                       added_by=r["added_by"], removed_by=r["removed_by"])
            for r in rows
        ]

    def set_what_matters(self, person_id: str, text: str, *,
                         expected: str | None = None) -> str:
        """Save the free-text "what matters to me"; return the saved text.

        With `expected` (the text the editor showed before the person typed), the save is
        refused with a StoreConflictError if someone else has changed it meanwhile.
        """
        try:
            cleaned = clean_text(text, max_len=LONG_TEXT_MAX, multiline=True)
        except ValueError as exc:
            raise ValidationError("what_matters", str(exc)) from None
        self._check_id("person_id", person_id)
        with self._writing():
            current = self._scalar("SELECT what_matters FROM people WHERE id = ?", [person_id])
            if current is None:
                raise ValidationError("person_id", "is not a person on this log")
            if expected is not None and current.strip() != expected.strip():
                theirs = [c for c in self._changes_since("people", person_id, "")
                          if "what_matters" in c.after][-1:]
                raise StoreConflictError("people", person_id, theirs,
                                         {"what_matters": cleaned},
                                         self._row("SELECT * FROM people WHERE id = ?",
                                                   [person_id]))
            self._update("people", person_id, {"what_matters": cleaned}, person_id=person_id)
        return cleaned
