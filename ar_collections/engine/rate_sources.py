"""Reference rates as the central banks publish them: parsing and what to write.

Each parser reads the answer of one public data service and returns its
observations, (date, rate in percent), oldest first. An answer it cannot read
whole raises ``RateSourceError`` (a code and values, turned into a sentence by
the model): a malformed answer is refused entirely, never half-used.

- ECB Data Portal (``data-api.ecb.europa.eu/service/data/FM/...``,
  ``format=csvdata``): SDMX-CSV, comma-separated, a header row naming the
  series' dimensions with ``TIME_PERIOD`` (``2025-06-11``) and ``OBS_VALUE``.
  The key-rate series hold one observation per change of the rate.
- Bank of England database (IADB, ``_iadb-fromshowcolumns.asp?csv.x=yes``
  with ``CSVF=TN&UsingCodes=Y``): a ``DATE`` column (``07 Aug 2025``) and one
  column per series code (``IUDBEDR``, Bank Rate), one row per business day.
- Bundesbank time-series API (``api.statistiken.bundesbank.de/rest/data/
  BBIN1/...``, ``format=sdmx_csv``): SDMX-CSV, semicolon-separated, UTF-8
  with a byte-order mark, ``TIME_PERIOD`` ``2025-07`` for the monthly base
  rate series and ``.`` for a missing value.
"""

import csv
import io
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from .money import value_on

# A reference rate outside these bounds is a unit or parsing mistake; the
# rate table refuses it too.
RATE_MIN = Decimal(-5)
RATE_MAX = Decimal(50)
MISSING = {"", ".", "..", "NaN", "NA", "n/a", "-"}
MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun")
        + ("jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}

Observations = list[tuple[date, Decimal]]


class RateSourceError(ValueError):
    """An answer that is not the documented format.

    ``code``: ``encoding``, ``not_csv``, ``columns``, ``date``, ``value``,
    ``range``, ``duplicate`` or ``empty``; ``values`` fill its sentence
    (``line``, ``value``, ``columns``, ``day``).
    """

    def __init__(self, code: str, **values: object) -> None:
        self.code = code
        self.values = values
        super().__init__(f"{code}: {values}")


def _text(answer: bytes | str) -> str:
    if isinstance(answer, bytes):
        try:
            answer = answer.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise RateSourceError("encoding") from error
    return answer.lstrip("\ufeff").strip()


def _table(answer: bytes | str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and numbered rows of a CSV answer, comma or semicolon separated."""
    text = _text(answer)
    if not text or text.startswith("<"):
        # An HTML error page or an XML message instead of CSV.
        raise RateSourceError("not_csv")
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = [name.strip() for name in next(reader)]
    rows = [
        (number, row)
        for number, row in enumerate(reader, start=2)
        if any(cell.strip() for cell in row)
    ]
    return header, rows


def _column(header: list[str], name: str) -> int:
    upper = [column.upper() for column in header]
    if name.upper() not in upper:
        raise RateSourceError("columns", columns=name)
    return upper.index(name.upper())


def _rate(value: str, line: int) -> Decimal:
    text = value.strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")  # German decimal comma
    try:
        rate = Decimal(text)
    except InvalidOperation as error:
        raise RateSourceError("value", line=line, value=value) from error
    if not rate.is_finite():
        raise RateSourceError("value", line=line, value=value)
    if not RATE_MIN <= rate <= RATE_MAX:
        raise RateSourceError("range", line=line, value=value)
    return rate


def _iso_period(value: str) -> date:
    """``2025-06-11`` (daily) or ``2025-07`` (monthly: its first day)."""
    parts = value.strip().split("-")
    if len(parts) == 2:
        parts.append("1")
    year, month, day = (int(part) for part in parts)
    return date(year, month, day)


def _boe_date(value: str) -> date:
    """``07 Aug 2025`` (or ``07 Aug 25``), month names read without the locale."""
    day, month, year = value.strip().split()
    number = int(year)
    if len(year) == 2:
        number += 2000 if number < 70 else 1900
    return date(number, MONTHS[month[:3].lower()], int(day))


def _observations(
    rows: list[tuple[int, list[str]]],
    date_column: int,
    value_column: int,
    parse_date: Callable[[str], date],
) -> Observations:
    found: dict[date, Decimal] = {}
    for line, row in rows:
        if max(date_column, value_column) >= len(row):
            raise RateSourceError("value", line=line, value=";".join(row))
        value = row[value_column].strip()
        if value in MISSING:
            continue
        try:
            day = parse_date(row[date_column])
        except (ValueError, KeyError) as error:
            raise RateSourceError("date", line=line, value=row[date_column]) from error
        rate = _rate(value, line)
        if day in found and found[day] != rate:
            raise RateSourceError("duplicate", line=line, day=day.isoformat())
        found[day] = rate
    if not found:
        raise RateSourceError("empty")
    return sorted(found.items())


def parse_sdmx_csv(answer: bytes | str) -> Observations:
    """An SDMX-CSV answer (ECB Data Portal, Bundesbank): TIME_PERIOD, OBS_VALUE."""
    header, rows = _table(answer)
    return _observations(
        rows,
        _column(header, "TIME_PERIOD"),
        _column(header, "OBS_VALUE"),
        _iso_period,
    )


def parse_boe_csv(answer: bytes | str, series: str = "IUDBEDR") -> Observations:
    """A Bank of England database CSV answer: DATE and the ``series`` column."""
    header, rows = _table(answer)
    return _observations(
        rows, _column(header, "DATE"), _column(header, series), _boe_date
    )


# The parser of each kind of rate (the reference rate table's kinds).
PARSERS: dict[str, Callable[[bytes | str], Observations]] = {
    "ecb": parse_sdmx_csv,
    "boe": parse_boe_csv,
    "de_base": parse_sdmx_csv,
}


def rate_changes(observations: Observations) -> Observations:
    """The days the rate changed: a daily series becomes a step function."""
    changes: Observations = []
    for day, rate in sorted(observations):
        if not changes or changes[-1][1] != rate:
            changes.append((day, rate))
    return changes


def rates_to_write(
    observations: Observations,
    table: Observations,
    not_before: date | None = None,
) -> Observations:
    """(date, rate) rows the table lacks or has wrong, given a source's answer.

    ``table``: (date, rate in force from that date) already known. A change
    the table already tells (the same rate in force that day) adds nothing, so
    reading the same answer twice writes nothing the second time. Changes
    before ``not_before`` (the table's first day) are left out: the source's
    window, not the table's history, decides where an answer starts.
    """
    known = dict(table)
    result: Observations = []
    for day, rate in rate_changes(observations):
        if not_before and day < not_before:
            continue
        if day in known:
            if known[day] == rate:
                continue
        elif known and day > min(known):
            if value_on(sorted(known.items()), day) == rate:
                continue
        result.append((day, rate))
        known[day] = rate
    return result
