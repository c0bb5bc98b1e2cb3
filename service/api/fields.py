"""Field types shared by the schemas: money as exact decimal strings, bounded text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from service.domain.calendar import OUTSIDE_SUPPORTED_YEARS, SUPPORTED_YEARS, in_supported_years
from service.domain.money import as_text
from service.domain.text import XML_LEGAL_TEXT

# Route converter for ids: beyond the database's integer range is simply "not found".
MAX_ID = 2**31 - 1
ID = f"int(max={MAX_ID})"

# No leading zeros, no zero amount, cents at most: the same rule the OpenAPI document states.
POSITIVE_MONEY = re.compile(r"([1-9][0-9]{0,9}(\.[0-9]{1,2})?|0\.([1-9][0-9]?|0[1-9]))")

# XML 1.0 cannot carry these, so a Word document could not either: refuse them at the door.
# (Lone surrogates are refused for the whole body in api/hygiene.py.)


class Money(fields.Field):
    """A positive amount as a string with at most two decimals ("1200.00").

    Strings only: a JSON number may already have been rounded by the client's float parser.
    """

    pattern = POSITIVE_MONEY

    def __init__(self, **kwargs: Any) -> None:
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault("example", "1200.00")
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else as_text(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if not isinstance(value, str) or not POSITIVE_MONEY.fullmatch(value):
            raise ValidationError('A positive amount as a string with at most two decimals, e.g. "1200.00".')
        return Decimal(value)


class Amount(Money):
    """An amount the service reports (a balance may be zero or, as credit, negative)."""

    pattern = re.compile(r"-?[0-9]+\.[0-9]{2}")


def Text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs: Any) -> Any:
    """A string with a length cap (every string field has one) and no XML-illegal characters."""
    checks = [
        validate.Length(min=min_length, max=max_length),
        validate.Regexp(XML_LEGAL_TEXT, error="Contains control characters that a document cannot hold."),
    ]
    return fields.String(required=required, validate=checks, **kwargs)


class InSupportedYears(validate.Validator):
    """The one range check every date and time in a request goes through."""

    def __call__(self, value: Any) -> Any:
        if not in_supported_years(value):
            raise ValidationError(OUTSIDE_SUPPORTED_YEARS)
        return value


_YEARS_NOTE = f"Years {SUPPORTED_YEARS.start}–{SUPPORTED_YEARS.stop - 1}."


# The same range for the OpenAPI document's readers and generators (a search, as JSON Schema's are).
SUPPORTED_YEARS_PATTERN = "^(20[0-9][0-9]|21[0-9][0-9]|2200)-"
assert SUPPORTED_YEARS.start == 2000 and SUPPORTED_YEARS.stop == 2201, "update the pattern too"


def _with_years_note(kwargs: dict[str, Any]) -> dict[str, Any]:
    metadata = dict(kwargs.pop("metadata", {}))
    metadata["description"] = " ".join(filter(None, (metadata.get("description"), _YEARS_NOTE)))
    metadata["pattern"] = SUPPORTED_YEARS_PATTERN
    return {**kwargs, "metadata": metadata}


def CalendarDate(**kwargs: Any) -> Any:
    """An ISO 8601 date within the supported years."""
    return fields.Date(validate=InSupportedYears(), **_with_years_note(kwargs))


def CalendarDateTime(**kwargs: Any) -> Any:
    """An ISO 8601 date and time within the supported years."""
    return fields.DateTime(validate=InSupportedYears(), **_with_years_note(kwargs))
