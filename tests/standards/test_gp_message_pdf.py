"""The message back to the GP printed to PDF, read back as a GP's system would read it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from standards_example import NOTE, RECORDS, TEAM_CHECK_IN, WHAT_MATTERS, without_consent

from arrs_desktop.domain import catalogue
from arrs_desktop.standards.gp_message import CLOSURE, Sender, build_gp_message
from arrs_desktop.standards.measures import ONS4

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils is installed by scripts/setup.sh")
SENDER = Sender("Wendy Link", "splw", "Riverside PCN", phone="0113 496 0001")


def _pdf_text(qapp, records, tmp_path) -> str:
    from arrs_desktop.ui.person.gp_message_pdf import write_gp_message_pdf

    message = build_gp_message(records, CLOSURE, SENDER, date(2026, 4, 21),
                               definitions=(ONS4, TEAM_CHECK_IN))
    pdf = write_gp_message_pdf(message, tmp_path / "letter.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


@needs_poppler
def test_the_letters_text_read_from_the_pdf_has_the_standards_items(qapp, tmp_path):
    text = _pdf_text(qapp, RECORDS, tmp_path)
    for needle in ("Message to the GP and referrer: closure", "Ann Archer", "17 May 1948",
                   "943 476 5919", "12 Mill Lane, Riverside, LS1 4AP", WHAT_MATTERS,
                   "Lonely or isolated", "Tuesday Lunch Club", "Attended",
                   "Riverside Allotment Society", "Pending", "Life satisfaction",
                   "3 (12 Jan 2026)", "7 (20 Apr 2026)", "+4, better", "871731000000106",
                   "Referral to social prescribing service", "Wendy Link",
                   "Social Prescribing Link Worker", "21 Apr 2026",
                   "Safety alerts for staff", "Large dog at the address", "Page 1 of"):
        assert needle in text, needle
    assert NOTE not in text


@needs_poppler
def test_the_letter_without_consent_read_from_the_pdf(qapp, tmp_path):
    text = _pdf_text(qapp, without_consent(), tmp_path)
    assert "871731000000106" in text and "Closed on 20 Apr 2026" in text
    assert "has not agreed to share" in text
    for secret in (WHAT_MATTERS, "Lunch Club", "Mill Lane", "Large dog",
                   *(n.label for n in catalogue.NEEDS)):
        assert secret not in text, secret
