"""The README says what the code does: every setting has a row in its configuration table."""

from __future__ import annotations

import re
from pathlib import Path

from botvideo.core.config import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def _env_names() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.add(str(choices[0]) if choices else f"BOTVIDEO_{name.upper()}")
    return names


def _configuration_table() -> str:
    text = README.read_text()
    start = text.index("## Configuration")
    return text[start : text.index("\n## ", start + 1)]


def test_every_setting_has_a_row_in_the_readme() -> None:
    documented = set(re.findall(r"`((?:BOTVIDEO|HF)_[A-Z_]+)`", _configuration_table()))
    assert sorted(_env_names() - documented) == []


def test_the_readme_documents_no_setting_that_does_not_exist() -> None:
    documented = set(re.findall(r"`((?:BOTVIDEO|HF)_[A-Z_]+)`", _configuration_table()))
    assert sorted(documented - _env_names()) == []
