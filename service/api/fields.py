"""Field types shared by the schemas: money as exact decimal strings, bounded text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate
from schwifty import BIC, IBAN

from service.domain.calendar import SUPPORTED_YEARS, in_supported_years, is_timezone
from service.domain.money import as_text
from service.domain.sayings import Said
from service.domain.text import ONE_LINE_TEXT, XML_LEGAL_TEXT, one_line_problem

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
            raise ValidationError(Said("fields.money"))
        return Decimal(value)


class Amount(Money):
    """An amount the service reports (a balance may be zero or, as credit, negative)."""

    pattern = re.compile(r"-?[0-9]+\.[0-9]{2}")


def Text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs: Any) -> Any:
    """A string with a length cap (every string field has one) and no XML-illegal characters."""
    checks = [
        validate.Length(min=min_length, max=max_length),
        validate.Regexp(XML_LEGAL_TEXT, error=Said("fields.control_characters")),
    ]
    return fields.String(required=required, validate=checks, **kwargs)


class OneLine(validate.Validator):
    """The one check of every value that can reach an e-mail header or reads as a name: no line
    break, control, bidi or zero-width character (``domain.text.NOT_IN_A_LINE_RANGES``). Refused,
    not stripped: the caller learns which character, and what is stored is what was sent."""

    def __call__(self, value: Any) -> Any:
        problem = one_line_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise ValidationError(problem)
        return value


def _one_line_metadata(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {**kwargs, "metadata": {**kwargs.get("metadata", {}), "pattern": ONE_LINE_TEXT}}


def Line(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs: Any) -> Any:
    """A name, subject, reference or other one-line text: capped, and checked by ``OneLine``."""
    checks = [validate.Length(min=min_length, max=max_length), OneLine()]
    return fields.String(required=required, validate=checks, **_one_line_metadata(kwargs))


def EmailAddress(*, max_length: int = 320, **kwargs: Any) -> Any:
    """An e-mail address; marshmallow's check lets a bidi or zero-width character through in
    the domain part, ``OneLine`` does not."""
    checks = [validate.Length(max=max_length), OneLine()]
    return fields.Email(validate=checks, **_one_line_metadata(kwargs))


class InSupportedYears(validate.Validator):
    """The one range check every date and time in a request goes through."""

    def __call__(self, value: Any) -> Any:
        if not in_supported_years(value):
            raise ValidationError(
                Said("fields.years", first=SUPPORTED_YEARS.start, last=SUPPORTED_YEARS.stop - 1)
            )
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


# marshmallow's "Not a valid date." does not say which form it wants: the error names it (in
# every language: api/field_wording.py reads the formatted text back to its key).
DATE_ERRORS = {"invalid": Said("fields.date_format")}


def CalendarDate(**kwargs: Any) -> Any:
    """An ISO 8601 date within the supported years."""
    return fields.Date(validate=InSupportedYears(), error_messages=DATE_ERRORS, **_with_years_note(kwargs))


def CalendarDateTime(**kwargs: Any) -> Any:
    """An ISO 8601 date and time within the supported years."""
    return fields.DateTime(validate=InSupportedYears(), **_with_years_note(kwargs))


class _Checked(fields.String):
    """Text checked and normalised by a library's parser; an empty string clears the field."""

    max_length = 0
    label = ""

    def _parse(self, value: str) -> str:
        raise NotImplementedError

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if text == "":
            return text
        if len(text) > self.max_length:
            raise ValidationError(Said("fields.longer_than", max=self.max_length))
        try:
            return self._parse(text)
        except ValueError as exc:  # schwifty's errors are ValueErrors naming what is wrong
            raise ValidationError(Said("fields.not_valid_checked", label=self.label, reason=exc)) from exc


class Iban(_Checked):
    """An IBAN, checked (country, length, check digits) and stored without spaces."""

    max_length = 50  # with the spaces people type
    label = "IBAN"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            metadata={
                "description": "IBAN; spaces allowed, stored compact",
                "example": "IT60X0542811101000000123456",
                "maxLength": 50,
                "pattern": r"^([A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]{8,46})?$",
            },
            **kwargs,
        )

    def _parse(self, value: str) -> str:
        return IBAN(value).compact


class Bic(_Checked):
    """A BIC (SWIFT code) of 8 or 11 characters."""

    max_length = 11
    label = "BIC"

    def __init__(self, **kwargs: Any) -> None:
        doc = {"description": "BIC (SWIFT code)", "example": "UNCRITMM", "maxLength": 11}
        super().__init__(metadata={**doc, "pattern": r"^([A-Za-z0-9]{8}|[A-Za-z0-9]{11})?$"}, **kwargs)

    def _parse(self, value: str) -> str:
        return BIC(value).compact


class TimeZone(fields.String):
    """An IANA time zone name, e.g. "Europe/Rome"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            validate=validate.Length(max=64),
            metadata={
                "description": "IANA time zone: every day rule is a day there",
                "example": "Europe/Rome",
                "pattern": r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+){0,2}$",
            },
            **kwargs,
        )

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if not is_timezone(text):
            raise ValidationError(Said("fields.timezone"))
        return text


class StrictBoolean(fields.Boolean):
    """JSON true or false only: 1, "yes" or "true" as text is a mistake to name, not a guess."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(Said("fields.true_or_false"))
        return value
