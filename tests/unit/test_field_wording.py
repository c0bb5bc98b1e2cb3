"""Every schema message the service can give has a wording in every language (issue 30), and
reads back from marshmallow's English to its key."""

from __future__ import annotations

import re

import pytest
from marshmallow import fields

from service.api.field_wording import MARSHMALLOW, said_in, wording_keys
from service.domain.model import LANGUAGES
from service.domain.sayings import entry

# The field classes the schemas use (grep fields\.[A-Z] in service/): each default message of
# theirs must be one the translation step knows, so a marshmallow upgrade that adds one is seen.
USED = (
    fields.Field, fields.String, fields.Integer, fields.Decimal, fields.Boolean, fields.Date,
    fields.DateTime, fields.AwareDateTime, fields.Dict, fields.List, fields.Nested, fields.Email, fields.Url,
)  # fmt: skip
NOT_SAID = {"format"}  # raised only when a schema dumps, never for a request


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_field_message_key_is_worded_with_its_placeholders(language: str) -> None:
    for key in wording_keys():
        worded = str(entry(language, f"fields.{key}"))
        english = str(entry("en", f"fields.{key}"))
        assert set(re.findall(r"\{\{\s*(\w+)", worded)) == set(re.findall(r"\{\{\s*(\w+)", english)), key


def test_every_default_message_of_the_used_fields_has_a_key() -> None:
    known = set(MARSHMALLOW.values())
    for cls in USED:
        for key, template in cls.default_error_messages.items():
            if key in NOT_SAID:
                continue
            text = template.replace("{obj_type}", "date" if cls is fields.Date else "datetime")
            assert text in known, (cls.__name__, key, text)


def test_a_formatted_message_reads_back_in_italian() -> None:
    assert said_in("Longer than maximum length 200.", "it") == "Più lungo del massimo di 200 caratteri."
    between = "Must be greater than or equal to 1 and less than or equal to 28."
    assert said_in(between, "it") == "Deve essere tra 1 e 28."
    assert "YYYY-MM-DD" in said_in("Not a valid date.", "it")
    assert "YYYY-MM-DD" in said_in("Not a valid date.", "en")
    assert said_in("A library's own sentence.", "it") == "A library's own sentence."
