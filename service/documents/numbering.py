"""The clauses' numbers as the client signed them: an amendment adds "9-bis" / "9A", never
renumbers (issue 30)."""

from __future__ import annotations

from typing import Any

from service.domain.amendments import signed_terms
from service.domain.model import Engagement
from service.domain.schedule import clone


def contract_numbers(
    clauses: list[dict[str, Any]], engagement: Engagement, suffixes: list[str]
) -> dict[str, int | str]:
    """The clauses' numbers as the contract was signed: numbered 1, 2, ... under the signed
    terms; a clause the terms in force add later keeps that numbering intact and takes the
    previous clause's number and the language's suffix: "9-bis", "9A" (never renumbering what
    the client signed)."""
    signed = signed_terms(engagement)

    def holds(clause: dict[str, Any], terms: dict[str, Any]) -> bool:
        when = clause.get("when")
        return True if not when else bool(_term_holds(engagement, when, terms))

    numbers: dict[str, int | str] = {}
    last, added = 0, 0
    for clause in clauses:
        if holds(clause, signed):
            last, added = last + 1, 0
            if holds(clause, {}):
                numbers[clause["key"]] = last
        elif holds(clause, {}):
            numbers[clause["key"]] = f"{last}{suffixes[added]}"
            added += 1
    return numbers


def _term_holds(engagement: Engagement, when: str, terms: dict[str, Any]) -> Any:
    """``when`` (an engagement attribute) read with ``terms`` in place of the current ones."""
    if not terms:
        return getattr(engagement, when, True)
    copy = clone(engagement)
    for term, value in terms.items():
        setattr(copy, term, value)
    return getattr(copy, when, True)
