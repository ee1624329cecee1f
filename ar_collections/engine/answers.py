"""Rules of the customer's own answers: plan bounds and self-made promises.

Plain values in, a refusal code (or ``None``) and its values out; the
models turn codes into sentences in the customer's language.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .plans import Installment

# Refusal codes.
PLAN_TOO_MANY = "plan_too_many"
PLAN_TOO_FEW = "plan_too_few"
PLAN_FREQUENCY = "plan_frequency"
PLAN_INSTALLMENT_TOO_SMALL = "plan_installment_too_small"
PLAN_TOO_LONG = "plan_too_long"
PROMISE_AFTER_BROKEN = "promise_after_broken"
PROMISE_TOO_MANY_OPEN = "promise_too_many_open"

# First installment of a plan the customer requests: a week from today,
# as a collector's plan starts by default.
FIRST_INSTALLMENT_DAYS = 7
# Broken promises looked at before a customer may promise again by itself.
BROKEN_PROMISE_MEMORY_DAYS = 365


@dataclass(frozen=True)
class PlanBounds:
    """What a policy lets a customer choose for its own plan."""

    max_installments: int
    min_installment: Decimal
    max_days: int
    frequencies: tuple[str, ...]


def first_installment_date(today: date) -> date:
    """Due date of the first installment of a plan requested on ``today``."""
    return today + timedelta(days=FIRST_INSTALLMENT_DAYS)


def plan_refusal(
    count: int,
    frequency: str,
    installments: list[Installment],
    today: date,
    bounds: PlanBounds,
) -> tuple[str, dict] | None:
    """Why a requested plan is out of ``bounds``, or ``None`` if it is within.

    ``installments``: the schedule the engine built for ``count`` and
    ``frequency``. The smallest installment is the last one (the remainder).
    """
    if frequency not in bounds.frequencies:
        return PLAN_FREQUENCY, {"frequency": frequency}
    if count < 2:
        return PLAN_TOO_FEW, {"count": count}
    if count > bounds.max_installments:
        return PLAN_TOO_MANY, {"count": count, "max": bounds.max_installments}
    smallest = min(i.amount for i in installments)
    if smallest < bounds.min_installment:
        return PLAN_INSTALLMENT_TOO_SMALL, {
            "amount": smallest,
            "min": bounds.min_installment,
        }
    last = max(i.date_due for i in installments)
    if (last - today).days > bounds.max_days:
        return PLAN_TOO_LONG, {"date": last, "max_days": bounds.max_days}
    return None


def promise_refusal(
    open_own: int, max_open: int, broken_recently: bool, block_after_broken: bool
) -> tuple[str, dict] | None:
    """Why a customer may not promise by itself now, or ``None``.

    ``open_own``: its own promises still open; ``broken_recently``: a promise
    (its own or a collector's) broken or partly kept within
    ``BROKEN_PROMISE_MEMORY_DAYS``.
    """
    if block_after_broken and broken_recently:
        return PROMISE_AFTER_BROKEN, {}
    if open_own >= max_open:
        return PROMISE_TOO_MANY_OPEN, {"count": open_own}
    return None
