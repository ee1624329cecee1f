"""Collector workspace rules: aging buckets, DSO, call priority, behaviour score.

Pure Python, plain values in and out; the models gather the figures with
grouped reads and the reports build their SQL from the constants here, so
the rules are written (and tested) once.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# (key, first day overdue, last day overdue or None): "current" is not yet due.
AGING_BUCKETS: list[tuple[str, int | None, int | None]] = [
    ("current", None, 0),
    ("1_30", 1, 30),
    ("31_60", 31, 60),
    ("61_90", 61, 90),
    ("90_plus", 91, None),
]
# Credit notes and payments not yet matched with an invoice are not aged:
# they lower what is owed without being "early" or "late".
CREDIT_BUCKET = "credit"


def aging_bucket(days_overdue: int) -> str:
    """Key of the aging bucket of an amount ``days_overdue`` days past due."""
    for key, low, high in AGING_BUCKETS:
        if (low is None or days_overdue >= low) and (
            high is None or days_overdue <= high
        ):
            return key
    raise AssertionError("buckets cover every integer")  # pragma: no cover


def aging(amounts: list[tuple[int, Decimal]]) -> dict[str, Decimal]:
    """Sum (days overdue, amount) pairs per bucket; every bucket is present.

    Amounts owed go to their age's bucket, credits (negative) to
    ``CREDIT_BUCKET``, so the overdue buckets add up to what is overdue.
    """
    result = {key: Decimal(0) for key, _low, _high in AGING_BUCKETS}
    result[CREDIT_BUCKET] = Decimal(0)
    for days, amount in amounts:
        result[CREDIT_BUCKET if amount < 0 else aging_bucket(days)] += amount
    return result


def dso(receivable: Decimal, sales: Decimal, days: int) -> Decimal | None:
    """Days sales outstanding of a period: receivable at its end / sales * days.

    None when there were no sales (the figure means nothing then). Rounded
    to one decimal.
    """
    if sales <= 0:
        return None
    value = receivable / sales * Decimal(days)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ----------------------------------------------------------------------
# Call priority
# ----------------------------------------------------------------------

# Each factor is capped so that no single one drowns the others.
PRIORITY_AMOUNT_UNIT = Decimal(1000)  # company currency per point
PRIORITY_AMOUNT_CAP = Decimal(100)
PRIORITY_DAYS_WEIGHT = Decimal("0.5")
PRIORITY_DAYS_CAP = 180
PRIORITY_LEVEL_WEIGHT = Decimal(15)
PRIORITY_BROKEN_WEIGHT = Decimal(20)
PRIORITY_BROKEN_CAP = 3
PRIORITY_RISK_WEIGHT = Decimal("0.5")
NEUTRAL_SCORE = 50  # customers without a behaviour score yet


@dataclass(frozen=True)
class PriorityInput:
    """What a collector's call priority depends on."""

    amount_overdue: Decimal
    days_overdue: int
    level_rank: int = 0  # 1 = first level of the policy, 0 = none yet
    broken_promises: int = 0
    score: int | None = None  # behaviour score 0 (bad) .. 100 (good)


def priority(item: PriorityInput) -> Decimal:
    """Call priority (higher first), rounded to two decimals.

    amount overdue / 1000 (at most 100) + 0.5 per day overdue (at most 180
    days) + 15 per level + 20 per broken promise (at most 3) + 0.5 per point
    of risk (100 - behaviour score; 50 when unknown).
    """
    amount = min(
        max(item.amount_overdue, Decimal(0)) / PRIORITY_AMOUNT_UNIT, PRIORITY_AMOUNT_CAP
    )
    days = Decimal(min(max(item.days_overdue, 0), PRIORITY_DAYS_CAP))
    score = NEUTRAL_SCORE if item.score is None else item.score
    value = (
        amount
        + PRIORITY_DAYS_WEIGHT * days
        + PRIORITY_LEVEL_WEIGHT * item.level_rank
        + PRIORITY_BROKEN_WEIGHT * min(item.broken_promises, PRIORITY_BROKEN_CAP)
        + PRIORITY_RISK_WEIGHT * (100 - score)
    )
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def rank(items: dict[int, PriorityInput]) -> list[int]:
    """Keys of ``items`` by priority, highest first (ties: lower key first)."""
    return sorted(items, key=lambda key: (-priority(items[key]), key))


# ----------------------------------------------------------------------
# Payment behaviour score
# ----------------------------------------------------------------------

SCORE_MIN_INVOICES = 3
SCORE_DAYS_LATE_WEIGHT = Decimal("0.5")
SCORE_DAYS_LATE_CAP = 60
SCORE_SHARE_LATE_WEIGHT = 30
SCORE_BROKEN_WEIGHT = 10
SCORE_BROKEN_CAP = 3
SCORE_DISPUTE_WEIGHT = 5
SCORE_DISPUTE_CAP = 3
TRUST_GOOD_FROM = 75
TRUST_BAD_BELOW = 40


@dataclass(frozen=True)
class PaymentHistory:
    """A customer's paid invoices and commitments over the scoring period."""

    paid_count: int
    late_count: int = 0
    average_days_late: Decimal = Decimal(0)
    broken_promises: int = 0
    disputes: int = 0


@dataclass(frozen=True)
class Factor:
    """One reason the score is below 100: what, its value and points lost."""

    code: str  # days_late, share_late, broken_promises, disputes
    value: Decimal
    points: int


@dataclass(frozen=True)
class Score:
    """A behaviour score with the factors behind it and the trust it implies."""

    value: int | None
    trust: str | None  # good / normal / bad, as res.partner.trust
    factors: list[Factor] = field(default_factory=list)


def behaviour_score(history: PaymentHistory) -> Score:
    """Score 0..100 from how a customer paid.

    Starts at 100 and loses 0.5 point per average day late (at most 60
    days), up to 30 points for the share of invoices paid late, 10 per broken
    promise (at most 3) and 5 per dispute (at most 3). Below three paid
    invoices there is not enough history: no score, unless promises were
    broken or invoices disputed.
    """
    if history.paid_count < SCORE_MIN_INVOICES and not (
        history.broken_promises or history.disputes
    ):
        return Score(None, None)
    factors = []
    if history.paid_count and history.average_days_late > 0:
        days = min(history.average_days_late, Decimal(SCORE_DAYS_LATE_CAP))
        points = int((SCORE_DAYS_LATE_WEIGHT * days).to_integral_value(ROUND_HALF_UP))
        factors.append(Factor("days_late", history.average_days_late, points))
    if history.paid_count and history.late_count:
        share = Decimal(history.late_count) / Decimal(history.paid_count)
        points = int((share * SCORE_SHARE_LATE_WEIGHT).to_integral_value(ROUND_HALF_UP))
        factors.append(Factor("share_late", (share * 100).quantize(Decimal(1)), points))
    if history.broken_promises:
        points = SCORE_BROKEN_WEIGHT * min(history.broken_promises, SCORE_BROKEN_CAP)
        factors.append(
            Factor("broken_promises", Decimal(history.broken_promises), points)
        )
    if history.disputes:
        points = SCORE_DISPUTE_WEIGHT * min(history.disputes, SCORE_DISPUTE_CAP)
        factors.append(Factor("disputes", Decimal(history.disputes), points))
    factors = [f for f in factors if f.points]
    value = max(0, 100 - sum(f.points for f in factors))
    if value >= TRUST_GOOD_FROM:
        trust = "good"
    elif value < TRUST_BAD_BELOW:
        trust = "bad"
    else:
        trust = "normal"
    return Score(value, trust, sorted(factors, key=lambda f: -f.points))
