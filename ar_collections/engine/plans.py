"""Payment plan schedules, payment allocation and promise outcomes.

Plain values: amounts are ``Decimal`` in the plan currency, rounded to
``decimals`` places; dates are ``date``.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, ROUND_UP, Decimal

from . import errors
from .errors import PlanError

FREQUENCIES = ("weekly", "biweekly", "monthly")


@dataclass(frozen=True)
class Installment:
    """One due date of a plan and the amount due on it."""

    date_due: date
    amount: Decimal


def _add_months(start: date, months: int) -> date:
    """Same day ``months`` later, or the month's last day (Jan 31 -> Feb 28)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def installment_dates(first: date, count: int, frequency: str) -> list[date]:
    """``count`` due dates from ``first``, every week, two weeks or month.

    Monthly dates keep the first date's day where the month has it: a plan
    starting on January 31 falls due on Feb 28 (29), Mar 31, Apr 30...
    """
    if frequency not in FREQUENCIES:
        raise PlanError(errors.PLAN_UNKNOWN_FREQUENCY, frequency=frequency)
    if frequency == "monthly":
        return [_add_months(first, index) for index in range(count)]
    step = 7 if frequency == "weekly" else 14
    return [first + timedelta(days=step * index) for index in range(count)]


def schedule(
    total: Decimal,
    first: date,
    frequency: str,
    *,
    count: int | None = None,
    amount: Decimal | None = None,
    down_payment: Decimal = Decimal(0),
    down_payment_date: date | None = None,
    decimals: int = 2,
) -> list[Installment]:
    """The installments of a plan: they add up exactly to ``total``.

    Either ``count`` installments (equal amounts rounded down, the remainder
    on the last one) or installments of ``amount`` (the last one smaller).
    A down payment comes first, on ``down_payment_date`` (default the day
    before ``first``).
    """
    unit = Decimal(1).scaleb(-decimals)
    total = total.quantize(unit)
    down_payment = down_payment.quantize(unit)
    if total <= 0:
        raise PlanError(errors.PLAN_TOTAL_NOT_POSITIVE, total=total)
    if down_payment < 0 or down_payment >= total:
        raise PlanError(
            errors.PLAN_BAD_DOWN_PAYMENT, down_payment=down_payment, total=total
        )
    if (count is None) == (amount is None):
        raise PlanError(errors.PLAN_COUNT_OR_AMOUNT)
    rest = total - down_payment
    if count is not None:
        if count < 1:
            raise PlanError(errors.PLAN_NO_INSTALLMENT, count=count)
        each = (rest / count).quantize(unit, rounding=ROUND_DOWN)
        if each <= 0:
            raise PlanError(errors.PLAN_TOO_MANY_INSTALLMENTS, count=count, total=rest)
        amounts = [each] * (count - 1) + [rest - each * (count - 1)]
    else:
        amount = amount.quantize(unit)
        if amount <= 0:
            raise PlanError(errors.PLAN_INSTALLMENT_NOT_POSITIVE, amount=amount)
        count = int((rest / amount).to_integral_value(rounding=ROUND_UP))
        amounts = [amount] * (count - 1) + [rest - amount * (count - 1)]
    dates = installment_dates(first, count, frequency)
    installments = [Installment(d, a) for d, a in zip(dates, amounts, strict=True)]
    if down_payment:
        when = down_payment_date or first - timedelta(days=1)
        if when >= first:
            raise PlanError(errors.PLAN_DOWN_PAYMENT_TOO_LATE, date=when, first=first)
        installments.insert(0, Installment(when, down_payment))
    return installments


def allocate(amounts: list[Decimal], paid: Decimal) -> list[Decimal]:
    """What ``paid`` covers of each installment, oldest first."""
    result = []
    left = max(paid, Decimal(0))
    for amount in amounts:
        part = min(amount, left)
        result.append(part)
        left -= part
    return result


def plan_status(
    installments: list[Installment],
    paid: Decimal,
    today: date,
    tolerance_days: int,
) -> tuple[str, int | None]:
    """``completed``, ``broken`` or ``active``, and the first late installment.

    Broken when an installment is still not fully paid more than
    ``tolerance_days`` after its due date.
    """
    covered = allocate([i.amount for i in installments], paid)
    if all(c >= i.amount for c, i in zip(covered, installments, strict=True)):
        return "completed", None
    for index, (inst, part) in enumerate(zip(installments, covered, strict=True)):
        if part < inst.amount and (today - inst.date_due).days > tolerance_days:
            return "broken", index
    return "active", None


def promise_outcome(
    promised: Decimal, paid: Decimal, date_promised: date, today: date, grace_days: int
) -> str:
    """``kept``, ``open``, ``partial`` (partially kept) or ``broken``.

    Kept as soon as the promised amount is paid; judged once the promised date
    plus the grace days has passed.
    """
    if paid >= promised:
        return "kept"
    if (today - date_promised).days <= grace_days:
        return "open"
    return "partial" if paid > 0 else "broken"
