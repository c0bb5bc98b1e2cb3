"""Exceptions the domain raises; the API layer turns each into a problem response."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: every subclass maps to one HTTP status in ``service.api.problems``.

    ``language``: the engagement's, when the refusal is about one; the API then says the
    message (a ``sayings.Said``) in that language.
    """

    language: str | None = None

    def __init__(self, *args: object, language: str | None = None) -> None:
        super().__init__(*args)
        self.language = language


class NotFound(DomainError):
    def __init__(self, what: str, ident: object) -> None:
        super().__init__(f"No {what} with id {ident} exists for this account.")


class InvalidTrigger(DomainError):
    """The trigger cannot fire from the current state, or not by this caller (409)."""


class GuardBlocked(DomainError):
    """A guard refused the transition; ``reasons`` are sentences for a person (422)."""

    def __init__(self, trigger: str, reasons: list[str], language: str | None = None) -> None:
        from service.domain.sayings import Said  # errors stays importable on its own

        super().__init__(Said("guards.blocked", trigger=trigger), language=language)
        self.reasons = reasons


class Conflict(DomainError):
    """The request collides with the current state of a resource (409)."""


class PreconditionFailed(DomainError):
    """If-Match named a version that is no longer current (412)."""


class PreconditionRequired(DomainError):
    """A change that must name the version it was based on came without If-Match (428)."""


class InvalidInput(DomainError):
    """Input that passed the schema but breaks a domain rule (422, field → messages)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("The request is not valid.")
        self.errors = errors


class SenderIncomplete(InvalidInput):
    """A document would go out without the account's sender details (422 naming each one)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        fix = "Required before any letter; set it with PATCH /v1/tenant."
        super().__init__({f"tenant.{field}": [fix] for field in missing})
        self.args = (
            f"A letter cannot go out without your sender details; missing: {', '.join(missing)}. "
            "Set them with PATCH /v1/tenant; nothing was changed.",
        )


class Unavailable(DomainError):
    """A dependency this request needs is missing, down or busy (503, with Retry-After if given)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Forbidden(DomainError):
    """The caller is known but may not do this (403)."""


class RecordTampered(Conflict):
    """A stored record entry no longer has the shape it was written with (409, naming it)."""


class PdfFailed(Unavailable):
    """The document's PDF could not be made; ``retry_after`` seconds until a request queues it again."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after)
