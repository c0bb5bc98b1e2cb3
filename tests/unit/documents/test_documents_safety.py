import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2.exceptions import SecurityError

from service.documents import IllegalCharacterError, find_illegal_characters
from service.documents.safety import ensure_legal, make_environment

ILLEGAL = [chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))] + [
    "\ufffe",
    "\uffff",
]


@pytest.mark.parametrize("char", ILLEGAL, ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_are_found(char: str) -> None:
    assert find_illegal_characters(f"Acme{char}Srl")


@pytest.mark.parametrize("text", ["", "Acme & <Co> ]]>", "riga\ncon\ttab\r", "😀 שלום مرحبا", "{{ 7*7 }}"])
def test_legal_text_passes(text: str) -> None:
    assert not find_illegal_characters(text)


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cs"])))
def test_printable_text_is_never_flagged(text: str) -> None:
    assert not find_illegal_characters(text)


def test_nested_values_are_checked_and_the_place_is_named() -> None:
    with pytest.raises(IllegalCharacterError, match=r"doc\.rows\[1\]\.reason.*U\+0007"):
        ensure_legal({"rows": [{"reason": "ok"}, {"reason": "bell\x07"}]}, "doc")


def test_values_are_escaped_and_never_compiled() -> None:
    env = make_environment()
    out = env.from_string("{{ name }}").render(name="{{ 7*7 }} & <b>")
    assert out == "&#123;&#123; 7*7 &#125;&#125; &amp; &lt;b&gt;"


def test_the_sandbox_refuses_python_internals() -> None:
    env = make_environment()
    with pytest.raises(SecurityError):
        env.from_string("{{ ''.__class__.__mro__ }}").render()
