"""The examples in docs/standards.md are what the parsers accept."""

from __future__ import annotations

import pathlib
import re

from arrs_desktop.standards.codes import SHIPPED_CODE_LIST, parse_code_list_csv
from arrs_desktop.standards.measures import parse_measure_definition

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "standards.md"


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL)


def test_the_measure_example_in_the_docs_is_a_good_definition_with_a_reversed_item():
    (toml,) = _blocks("toml")
    load = parse_measure_definition(toml.encode(), "docs example")
    assert load.definition is not None, load.messages
    assert [it.id for it in load.definition.items
            if load.definition.reversed_item(it)] == ["worn_out"]


def test_the_code_list_example_in_the_docs_is_the_shipped_list():
    code_list = _blocks("csv")[0]
    load = parse_code_list_csv(code_list.encode())
    assert load.ok, load.messages
    assert [e.key for e in load.entries] == [e.key for e in SHIPPED_CODE_LIST]
