"""Print the message back to the GP and referrer to PDF, as the care plan is printed."""

from __future__ import annotations

from pathlib import Path

from arrs_desktop.standards.gp_message import GpMessage, day_text, gp_message_blocks
from arrs_desktop.ui.person.care_plan_pdf import write_blocks_pdf


def write_gp_message_pdf(message: GpMessage, path: str | Path) -> Path:
    """Write a message as an A4 PDF: a footer names the person, the date and the page."""
    return write_blocks_pdf(
        gp_message_blocks(message), path, title=f"{message.title}: {message.person_name}",
        footer=f"{message.person_name} · {message.title} · {day_text(message.written_on)}")
