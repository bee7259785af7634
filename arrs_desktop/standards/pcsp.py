"""The care and support plan's parts under the PRSB Personalised Care and Support Plan
(PCSP) standard v2.0 headings.

The plan opens with who the person is (their demographics), then the standard's sections
"About me" (what the person feels is important, including how to communicate with them)
and "Care and support plan" (the decisions made with the person about their goals, and
their progress), then the people supporting them and how to reach them, and last the codes
their practice records. Each section holds some of the plan's parts, each under its own
heading in the person's words. `PCSP_SECTIONS` is that mapping as data; `arrange` puts
any kind of block (HTML, text) in that order under those headings, leaving out parts with
nothing in them and sections with no parts left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

Block = TypeVar("Block")


@dataclass(frozen=True)
class PlanPart:
    """One part of the plan: its key, its heading in the person's words, and what it was."""

    key: str
    heading: str
    former: str = ""  # the heading it had before the plan followed the PCSP sections
    intro: str = ""  # a line under the heading, if any


@dataclass(frozen=True)
class PcspSection:
    """One section of the plan, named as the PCSP standard names it where it does."""

    title: str
    standard: bool  # True: the standard's own section name
    about: str
    parts: tuple[PlanPart, ...]


ABOUT_ME = "About me"
CARE_AND_SUPPORT_PLAN = "Care and support plan"
GOALS_INTRO = ("Scores are out of 10, where 10 means the goal feels fully reached. The first "
               "score is where I started.")

PCSP_SECTIONS: tuple[PcspSection, ...] = (
    PcspSection(ABOUT_ME, True, "What the person feels is important, in their own words, "
                "and how to communicate with them.", (
                    PlanPart("what_matters", "What matters to me", "What matters to me"),
                    PlanPart("needs", "What I would like help with",
                             "What I would like help with"),
                    PlanPart("communication", "How to communicate with me"),
                )),
    PcspSection(CARE_AND_SUPPORT_PLAN, True, "The decisions made with the person about their "
                "goals, and their progress on them.", (
                    # The scores' key (GOALS_INTRO) follows the goals, not the heading: kept
                    # with the heading it pushes the first goal onto the next page more often.
                    PlanPart("goals", "My goals and how I am getting on", "My goals"),
                    PlanPart("agreed", "What we agreed", "What we agreed"),
                    PlanPart("connections", "Groups and services we talked about",
                             "Groups and services we talked about"),
                    PlanPart("next_contact", "When we will next be in touch",
                             "When we will next be in touch"),
                )),
    PcspSection("People supporting me", False, "The people and services supporting the "
                "person, and how to reach them.", (
                    PlanPart("support", "Who is supporting me", "Who is supporting me"),
                    PlanPart("contact", "Who to contact", "Who to contact"),
                )),
    PcspSection("For my GP record", False, "The codes the person's practice records, so "
                "their GP knows about this support.", (
                    PlanPart("codes", "What my practice records", "For my GP record",
                             "Codes my practice records so my GP knows about this support."),
                )),
)

PART_KEYS: tuple[str, ...] = tuple(p.key for s in PCSP_SECTIONS for p in s.parts)


def section_of(key: str) -> PcspSection:
    """Return the section a part belongs to; raise KeyError for a part the plan lacks."""
    for section in PCSP_SECTIONS:
        if any(p.key == key for p in section.parts):
            return section
    raise KeyError(key)


def arrange(parts: Mapping[str, Sequence[Block]],
            section_heading: Callable[[PcspSection], Block],
            part_heading: Callable[[PlanPart], Block]) -> list[Block]:
    """Return the parts' blocks in PCSP order, each section and part under its heading.

    A part with no blocks is left out, and so is a section with no parts left. A part key
    the sections do not name is an error (KeyError), so no part is dropped unseen.
    """
    unknown = set(parts) - set(PART_KEYS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    out: list[Block] = []
    for section in PCSP_SECTIONS:
        present = [p for p in section.parts if parts.get(p.key)]
        if not present:
            continue
        out.append(section_heading(section))
        for part in present:
            out.append(part_heading(part))
            out.extend(parts[part.key])
    return out
