"""The records the national standards add: the code list, the scores of a PCN's measures,
and the letters sent to the GP. The checks are the standards' own (standards/), applied by
the operations before these are called; the store keeps the rows, audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from arrs_desktop.domain.validation import ValidationError, require_id
from arrs_desktop.store.rows import Db, Row
from arrs_desktop.store.writer import Writer


class CodeListRepository:
    """The PCN's code list: the shipped codes and the last list imported."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def all(self) -> list[Row]:
        """Return every code, shipped first, by role and event."""
        return self._db.rows("SELECT * FROM code_list ORDER BY shipped DESC, role, event, sctid")

    def replace(self, entries: Sequence[tuple[str, str, str, str]], source: str) -> int:
        """Replace the imported codes by these (role, event, sctid, term), in one
        transaction; the shipped codes stay (an entry repeating one is left out). Returns
        how many codes were written."""
        if not entries:
            raise ValidationError("code_list", "has no codes: nothing was imported")
        with self._writer.transaction():
            shipped = {(r["role"], r["event"], r["sctid"]) for r in self._db.rows(
                "SELECT role, event, sctid FROM code_list WHERE shipped = 1")}
            for row in self._db.rows("SELECT id FROM code_list WHERE shipped = 0"):
                self._writer.delete("code_list", row["id"], person_id=None)
            written = 0
            seen: set[tuple[str, str, str]] = set()
            for role, event, sctid, term in entries:
                key = (role, event, sctid)
                if key in shipped or key in seen:
                    continue
                seen.add(key)
                self._writer.insert("code_list", {"role": role, "event": event,
                                                  "sctid": sctid, "term": term, "shipped": 0,
                                                  "source": source}, person_id=None)
                written += 1
        return written


class MeasureScoresRepository:
    """The scores of the measures a PCN brings, one row per item, each in a session."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def record(self, session_id: str, code: str, fingerprint: str,
               scores: Iterable[tuple[str, int]]) -> list[Row]:
        """Record a measure's answers in a session (its person and date are the session's)."""
        require_id("session_id", session_id)
        answers = list(scores)
        if not answers:
            raise ValidationError(code, "has no answers: answer at least one item")
        with self._writer.transaction():
            session = self._db.row("SELECT id, person_id, date FROM sessions WHERE id = ?",
                                   [session_id])
            if session is None:
                raise ValidationError("session_id", "is not a session on this log")
            if self._db.scalar("SELECT 1 FROM measure_scores WHERE session_id = ?"
                               " AND measure_code = ?", [session_id, code]):
                raise ValidationError(code, "is recorded in this session already")
            return [self._writer.insert("measure_scores", {
                "person_id": session["person_id"], "session_id": session_id,
                "date": session["date"], "measure_code": code, "fingerprint": fingerprint,
                "item_id": item, "score": int(score)}, person_id=session["person_id"])
                for item, score in answers]

    def for_person(self, person_id: str) -> list[Row]:
        """Return a person's scores, oldest first."""
        return self._db.rows(
            "SELECT m.*, s.role FROM measure_scores m JOIN sessions s ON s.id = m.session_id"
            " WHERE m.person_id = ? ORDER BY m.date, m.created_at, m.item_id", [person_id])

    def for_code(self, code: str, up_to: date | None = None) -> list[Row]:
        """Return every score of one measure (up to a day), with the session's role."""
        day = (up_to or date.max).isoformat()
        return self._db.rows(
            "SELECT m.*, s.role FROM measure_scores m JOIN sessions s ON s.id = m.session_id"
            " JOIN people p ON p.id = m.person_id AND p.deleted_at IS NULL"
            " WHERE m.measure_code = ? AND m.date <= ? ORDER BY m.date, m.session_id",
            [code, day])

    def codes(self) -> list[str]:
        """Return the codes of the measures recorded on this log."""
        return [r["measure_code"] for r in self._db.rows(
            "SELECT DISTINCT measure_code FROM measure_scores ORDER BY measure_code")]


class GpMessagesRepository:
    """The letters sent to the GP and referrer, kept as sent."""

    def __init__(self, db: Db, writer: Writer) -> None:
        self._db = db
        self._writer = writer

    def record(self, episode_id: str, values: dict[str, Any]) -> Row:
        """Record a letter sent about an episode (occasion, date, who, consent, its text)."""
        require_id("episode_id", episode_id)
        with self._writer.transaction():
            episode = self._db.row("SELECT person_id FROM episodes WHERE id = ?", [episode_id])
            if episode is None:
                raise ValidationError("episode_id", "is not an episode on this log")
            row = {"episode_id": episode_id, "person_id": episode["person_id"],
                   "occasion": values["occasion"],
                   "written_on": values["written_on"].isoformat()
                   if isinstance(values["written_on"], date) else values["written_on"],
                   "written_by": values.get("written_by", ""),
                   "written_by_role": values.get("written_by_role", ""),
                   "consent": int(bool(values["consent"])), "text": values["text"]}
            return self._writer.insert("gp_messages", row, person_id=episode["person_id"])

    def for_episode(self, episode_id: str) -> list[Row]:
        """Return the letters sent about an episode, newest first."""
        return self._db.rows("SELECT * FROM gp_messages WHERE episode_id = ?"
                             " ORDER BY written_on DESC, created_at DESC", [episode_id])
