"""Field types shared by the schemas: money as exact decimal strings, bounded text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from marshmallow import ValidationError, fields, validate

from service.domain.money import as_text, parse_amount

# XML 1.0 cannot carry these, so a Word document could not either: refuse them at the door.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Money(fields.Field):
    """A decimal amount with at most two places, sent as a string so JSON never rounds it."""

    def __init__(self, *, positive: bool = True, **kwargs: Any) -> None:
        self.positive = positive
        metadata = kwargs.pop("metadata", {})
        metadata.setdefault("example", "1200.00")
        super().__init__(metadata=metadata, **kwargs)

    def _serialize(self, value: Decimal | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return None if value is None else as_text(value)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        try:
            amount = parse_amount(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        if self.positive and amount <= 0:
            raise ValidationError("Must be greater than zero.")
        if amount >= Decimal("10000000000"):
            raise ValidationError("Too large.")
        return amount


def _legal_xml(value: str) -> None:
    if _ILLEGAL_XML.search(value):
        raise ValidationError("Contains control characters that a document cannot hold.")


def Text(max_length: int, *, required: bool = False, min_length: int = 0, **kwargs: Any) -> Any:
    """A string with a length cap (every string field has one) and no XML-illegal characters."""
    checks = [validate.Length(min=min_length, max=max_length), _legal_xml]
    return fields.String(required=required, validate=checks, **kwargs)


MONEY_SCHEMA = {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$", "example": "1200.00"}
