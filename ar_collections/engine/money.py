"""Late fees and interest arithmetic, in exact decimals.

Interest is simple daily interest on the amount actually overdue each day:
the overdue balance and the annual rate are step functions of the date, and
the period is cut wherever either changes. Every piece is returned so the
calculation can be shown to a customer or a collector.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from . import errors
from .errors import FeeError

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class InterestPiece:
    """Interest on one constant base at one constant rate.

    Covers the days ``date_from`` to ``date_to`` inclusive.
    """

    date_from: date
    date_to: date
    days: int
    base: Decimal
    annual_rate: Decimal  # percent, e.g. Decimal("10.5")
    amount: Decimal  # not rounded


def round_money(amount: Decimal, decimals: int) -> Decimal:
    """Round half away from zero to ``decimals`` places (0, 2, 3 ... decimals)."""
    quantum = Decimal(1).scaleb(-decimals)
    return amount.quantize(quantum, rounding=ROUND_HALF_UP)


def value_on(steps: list[tuple[date, Decimal]], day: date) -> Decimal:
    """Value of a step function (sorted (start date, value) pairs) on ``day``."""
    value = Decimal(0)
    for start, step_value in steps:
        if start > day:
            break
        value = step_value
    return value


def simple_interest(
    balances: list[tuple[date, Decimal]],
    rates: list[tuple[date, Decimal]],
    date_from: date,
    date_to: date,
    days_in_year: int = 365,
) -> list[InterestPiece]:
    """Simple interest from ``date_from`` to ``date_to`` inclusive.

    ``balances``: (date, overdue amount from that date on), e.g. the invoice
    amount from the due date, then less a partial payment from its date.
    ``rates``: (date, annual rate in percent in force from that date).
    ``days_in_year``: 365 (actual/365) or 360 (actual/360).
    """
    if days_in_year not in (360, 365):
        raise FeeError(errors.FEE_BAD_DAYS_IN_YEAR, days_in_year=days_in_year)
    if date_to < date_from:
        return []
    balances = sorted(balances)
    rates = sorted(rates)
    cuts = {date_from, date_to + timedelta(days=1)}
    cuts.update(d for d, _v in balances + rates if date_from < d <= date_to)
    bounds = sorted(cuts)
    pieces = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        base = value_on(balances, start)
        rate = value_on(rates, start)
        days = (end - start).days
        if base <= 0 or rate <= 0:
            continue
        amount = base * rate / HUNDRED * days / Decimal(days_in_year)
        pieces.append(
            InterestPiece(start, end - timedelta(days=1), days, base, rate, amount)
        )
    return pieces


def cap_fee(
    amount: Decimal,
    *,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    maximum_percent: Decimal | None = None,
    invoice_total: Decimal | None = None,
) -> Decimal:
    """Apply a rule's limits: nothing below ``minimum``, at most the caps.

    ``minimum`` is a threshold, not a floor: a fee under it is not charged.
    ``maximum_percent`` caps the fee at that percent of ``invoice_total``.
    """
    if maximum is not None and amount > maximum:
        amount = maximum
    if maximum_percent is not None and invoice_total is not None:
        amount = min(amount, invoice_total * maximum_percent / HUNDRED)
    if minimum is not None and amount < minimum:
        return Decimal(0)
    return max(amount, Decimal(0))


def uk_fixed_sum(debt: Decimal) -> Decimal:
    """Late Payment of Commercial Debts Act fixed sum: 40 / 70 / 100 GBP."""
    if debt < 1000:
        return Decimal(40)
    if debt < 10000:
        return Decimal(70)
    return Decimal(100)


def uk_reference_date(day: date) -> date:
    """The base rate of 31 December applies to Jan-Jun, of 30 June to Jul-Dec."""
    if day.month <= 6:
        return date(day.year - 1, 12, 31)
    return date(day.year, 6, 30)


def eu_reference_date(day: date) -> date:
    """EU directive 2011/7/EU: the reference rate of the half-year (1 Jan / 1 Jul)."""
    return date(day.year, 1 if day.month <= 6 else 7, 1)
