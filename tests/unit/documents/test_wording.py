"""The wording files' start-up checks, and texts rendered whether compiled at start or later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from service.documents.safety import make_environment
from service.documents.wording import WordingError, load_wording


def write_wording(folder: Path, en: dict[str, Any], it: dict[str, Any] | None = None) -> Path:
    """Both languages' files; Italian is the reference the others are checked against."""
    for language, texts in (("en", en), ("it", en if it is None else it)):
        (folder / f"{language}.yaml").write_text(yaml.safe_dump(texts, allow_unicode=True), "utf-8")
    return folder


def test_a_broken_tag_stops_start_up_naming_the_text(tmp_path: Path) -> None:
    good = {"notices": {"greeting": ["Gentile {{ name }},", "Cordiali saluti"]}}
    bad = {"notices": {"greeting": ["Dear {{ name }", "Kind regards"]}}
    folder = write_wording(tmp_path, en=bad, it=good)
    with pytest.raises(WordingError, match=r"^en\.notices\.greeting\[0\]: "):
        load_wording(folder, make_environment())


@pytest.mark.parametrize("text", ["Rossi & Figli", "less <than"])
def test_an_ampersand_or_angle_bracket_stops_start_up(tmp_path: Path, text: str) -> None:
    # Neither carries a tag: the texts compiled only when first used are checked all the same.
    folder = write_wording(tmp_path, en={"closing": text}, it={"closing": "Cordiali saluti"})
    with pytest.raises(WordingError, match=r"^en\.closing: write 'and'"):
        load_wording(folder, make_environment())


def test_languages_holding_different_keys_stop_start_up(tmp_path: Path) -> None:
    folder = write_wording(tmp_path, en={"a": "One", "b": "Two"}, it={"a": "Uno"})
    with pytest.raises(WordingError, match=r"^en\.yaml and it\.yaml do not hold the same keys"):
        load_wording(folder, make_environment())


def test_texts_with_and_without_tags_render_as_written(tmp_path: Path) -> None:
    texts = {"plain": "Work stops today.\n", "tagged": "Dear {{ name }},", "quoted": "{{ what }}"}
    wording = load_wording(write_wording(tmp_path, texts), make_environment())["en"]
    assert wording.text("plain") == "Work stops today."  # Jinja drops the block's final newline
    assert wording.text("tagged", name="Rossi & Figli") == "Dear Rossi &amp; Figli,"
    # A value is never a template: its braces leave as entities, for docxtpl's pass too.
    assert wording.text("quoted", what="{{ 7*7 }}") == "&#123;&#123; 7*7 &#125;&#125;"
