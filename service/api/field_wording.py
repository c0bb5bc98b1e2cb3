"""Schema validation messages in the engagement's (or the desk's) language: the one translation
step for every field message marshmallow or our own fields give.

marshmallow formats its messages before we see them ("Longer than maximum length 200."), so the
step reads them back: each English template below (marshmallow's own defaults, and the project's
sentences in ``fields.py`` read from the wording file's English) becomes a pattern whose
placeholders are captured, and the wording key ``messages.fields.<key>`` says it again in the
language asked for, English too (where the wording names what marshmallow's does not, such as
YYYY-MM-DD). A message no template matches (a library's own sentence) stays as it is.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from marshmallow import Schema, fields, validate

from service.domain.sayings import ENGLISH, Said, entry, say, sentence

# wording key (under messages.fields) → marshmallow's English template, for every message the
# schemas can give: each class and validator the service's schemas use.
MARSHMALLOW: dict[str, str] = {
    "required": fields.Field.default_error_messages["required"],
    "null": fields.Field.default_error_messages["null"],
    "validator_failed": fields.Field.default_error_messages["validator_failed"],
    "string": fields.String.default_error_messages["invalid"],
    "utf8": fields.String.default_error_messages["invalid_utf8"],
    "integer": fields.Integer.default_error_messages["invalid"],
    "number": fields.Number.default_error_messages["invalid"],
    "too_large": fields.Number.default_error_messages["too_large"],
    "special": fields.Decimal.default_error_messages["special"],
    "boolean": fields.Boolean.default_error_messages["invalid"],
    "date": fields.Date.default_error_messages["invalid"],
    "datetime": fields.DateTime.default_error_messages["invalid"].replace("{obj_type}", "datetime"),
    "aware": fields.AwareDateTime.default_error_messages["invalid_awareness"].replace(
        "{obj_type}", "datetime"
    ),
    "mapping": fields.Mapping.default_error_messages["invalid"],
    "list": fields.List.default_error_messages["invalid"],
    "nested": fields.Nested.default_error_messages["type"],
    "email": fields.Email.default_error_messages["invalid"],
    "url": fields.Url.default_error_messages["invalid"],
    "input_type": Schema._default_error_messages["type"],
    "unknown": Schema._default_error_messages["unknown"],
    "length_between": validate.Length.message_all,
    "length_equal": validate.Length.message_equal,
    "length_max": validate.Length.message_max,
    "length_min": validate.Length.message_min,
    "at_least": validate.Range.message_min.format(min_op=validate.Range.message_gte),
    "more_than": validate.Range.message_min.format(min_op=validate.Range.message_gt),
    "at_most": validate.Range.message_max.format(max_op=validate.Range.message_lte),
    "less_than": validate.Range.message_max.format(max_op=validate.Range.message_lt),
    "between": validate.Range.message_all.format(
        min_op=validate.Range.message_gte, max_op=validate.Range.message_lte
    ),
    "one_of": validate.OneOf.default_message,
    "pattern": validate.Regexp.default_message,
}

# The project's own field messages (``fields.py``, ``schemas.py``): worded in the wording files,
# raised as ``Said`` in English; listed so that a message marshmallow formatted into a plain
# string (``error_messages``) is still read back.
OWN = (
    "date_format",
    "money",
    "control_characters",
    "longer_than",
    "not_valid_checked",
    "timezone",
    "true_or_false",
    "years",
)

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}|\{(\w+)\}")


def _pattern(template: str) -> re.Pattern[str]:
    """``Longer than maximum length {max}.`` (or ``{{ max }}``) → a pattern capturing ``max``."""
    parts = _PLACEHOLDER.split(" ".join(template.split()))
    # split gives text, then each placeholder's two groups (one of them None), then text again
    pattern = "".join(
        re.escape(part) if i % 3 == 0 else f"(?P<{part}>.+?)"
        for i, part in enumerate(parts)
        if part is not None
    )
    return re.compile(pattern)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    own = {key: str(entry(ENGLISH, f"fields.{key}")) for key in OWN}  # placeholders unfilled
    templates = {**own, **MARSHMALLOW}
    # The longest first: "Must be … {min} and … {max}." before "Must be … {min}.", which a lazy
    # placeholder would otherwise stretch over the rest of the sentence.
    ordered = sorted(templates.items(), key=lambda item: -len(item[1]))
    return tuple((_pattern(template), key) for key, template in ordered)


def said_in(message: Any, language: str | None) -> str:
    """One field message in ``language`` (English when none applies); a message no template
    knows (a library's own sentence) as it is."""
    language = language or ENGLISH
    if isinstance(message, Said):
        return say(message, language)
    text = str(message)
    for pattern, key in _patterns():
        if matched := pattern.fullmatch(text):
            try:
                return sentence(language, f"fields.{key}", matched.groupdict())
            except (OSError, KeyError):
                return text
    return text


def fields_said_in(flat: dict[str, list[Any]], language: str | None) -> dict[str, list[str]]:
    """Field (dotted path, unchanged: the contract) → its messages in ``language``."""
    return {field: [said_in(message, language) for message in messages] for field, messages in flat.items()}


def wording_keys() -> tuple[str, ...]:
    """Every ``messages.fields`` key this step can say (the unit test checks each language)."""
    return tuple(MARSHMALLOW) + OWN
