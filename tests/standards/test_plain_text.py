"""Wording from a PCN's files is shown as plain words, or refused with the reason."""

from __future__ import annotations

import pytest

from arrs_desktop.standards.text import plain_text_problem


@pytest.mark.parametrize(("text", "multiline", "needle"), [
    ("Referral to social prescribing service", False, None),
    ("Café au lait, naïve – “quoted”", False, None),
    ("two\nlines", True, None),
    ("two\nlines", False, "control characters or a line break"),
    ("bell\x07", True, "control characters"),
    ("zero\u200bwidth", False, "hidden character (U+200B)"),
    ("right\u202eto left", False, "hidden character (U+202E)"),
    ("soft\u00adhyphen", False, "hidden character (U+00AD)"),
    ("<b>bold</b>", False, "must be plain text, not markup ('<b>'"),
    ("fish &amp; chips", False, "not markup"),
    ("x" * 11, False, "is too long (11 characters; at most 10)"),
])
def test_plain_text_rules(text, multiline, needle):
    problem = plain_text_problem(text, max_len=10 if needle and "long" in needle else 200,
                                 multiline=multiline)
    if needle is None:
        assert problem is None
    else:
        assert problem is not None and needle in problem
