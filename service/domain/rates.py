"""Half-yearly reference rates for statutory late-payment interest, read from a versioned file.

Each regime has one reference rate per half-year, starting on 1 January or 1 July. When the file
has no rate for a half-year (not published yet, or not added yet), the last known rate is used
and flagged provisional, so a statement still answers and says its figure may change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from service.domain.yaml_files import read_yaml

REGIMES = ("IT", "EU", "GB")
DEFAULT_FILE = Path(__file__).resolve().parents[2] / "reference_rates" / "late_payment.yaml"


class RateFileError(ValueError):
    """The rates file is malformed: the service refuses to start rather than compute wrong sums."""


@dataclass(frozen=True)
class ReferenceRate:
    starts_on: date  # 1 January or 1 July
    rate: Decimal  # the reference rate, in percent (e.g. 2.15)
    source: str
    published_on: date


@dataclass(frozen=True)
class AppliedRate:
    reference: ReferenceRate
    provisional: bool  # the half-year asked for is missing: this is the last known rate


@dataclass(frozen=True)
class RateTable:
    version: str
    margin: Decimal  # points added to the reference rate
    rates: dict[str, tuple[ReferenceRate, ...]]  # oldest first
    currencies: dict[str, str]

    def for_half_year(self, regime: str, day: date) -> AppliedRate:
        """The reference rate of the half-year ``day`` falls in, or the last one known before it."""
        start = half_year_start(day)
        known = self.rates[regime]
        exact = next((r for r in known if r.starts_on == start), None)
        if exact is not None:
            return AppliedRate(exact, provisional=False)
        earlier = [r for r in known if r.starts_on < start]
        return AppliedRate(earlier[-1] if earlier else known[0], provisional=True)

    def missing_half_years(self, today: date) -> list[str]:
        """ "IT 2026-07-01"-style names of the regimes with no rate for today's half-year."""
        start = half_year_start(today)
        return [
            f"{regime} {start.isoformat()}"
            for regime, known in self.rates.items()
            if all(r.starts_on != start for r in known)
        ]


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def half_year_end(day: date) -> date:
    return date(day.year, 6, 30) if day.month <= 6 else date(day.year, 12, 31)


def load_rates(path: Path = DEFAULT_FILE) -> RateTable:
    try:
        data = read_yaml(path.read_text(encoding="utf-8"))
        regimes = data["regimes"]
        table = RateTable(
            version=str(data["version"]),
            margin=Decimal(str(data["margin_points"])),
            rates={name: _rates(name, regimes[name]["rates"]) for name in REGIMES},
            currencies={name: str(regimes[name]["currency"]) for name in REGIMES},
        )
    except (OSError, KeyError, TypeError, ArithmeticError, yaml.YAMLError) as exc:
        raise RateFileError(f"{path}: {exc!r}") from exc
    return table


@cache
def default_rates() -> RateTable:
    """The file shipped with the service, read once: for code that has no ``Runtime`` at hand."""
    return load_rates()


def _rates(regime: str, entries: list[dict[str, Any]]) -> tuple[ReferenceRate, ...]:
    rates = tuple(
        ReferenceRate(
            starts_on=entry["from"],
            rate=Decimal(str(entry["rate"])),
            source=str(entry["source"]),
            published_on=entry["published_on"],
        )
        for entry in entries
    )
    for rate in rates:
        if not isinstance(rate.starts_on, date) or rate.starts_on != half_year_start(rate.starts_on):
            raise RateFileError(f"{regime}: {rate.starts_on} is not the first day of a half-year")
        if not rate.source.strip() or not isinstance(rate.published_on, date):
            raise RateFileError(f"{regime} {rate.starts_on}: each rate needs a source and a publication date")
    starts = [r.starts_on for r in rates]
    if not rates or starts != sorted(set(starts)):
        raise RateFileError(f"{regime}: rates must be listed oldest first, one per half-year")
    return rates
