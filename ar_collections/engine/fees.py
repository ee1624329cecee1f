"""Which late fees and interest an overdue invoice owes today, per fee rule.

Plain values in and out. Amounts of the rule (fixed fee, caps, statutory
sums) arrive already converted into the invoice currency, except the UK
debt-size scale, which compares the debt in the rule currency. Each charge
carries a period key: the database refuses a second charge with the same
(invoice, rule, key), so the same fee can never be charged twice.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import errors
from .errors import FeeError
from .money import (
    HUNDRED,
    InterestPiece,
    cap_fee,
    eu_reference_date,
    round_money,
    simple_interest,
    uk_fixed_sum,
    uk_reference_date,
    value_on,
)

KEY_ONCE = "once"
KEY_COMPENSATION = "compensation"


@dataclass(frozen=True)
class FeeRuleSpec:
    """A fee rule, amounts in the invoice currency.

    ``fee_type``: ``fixed``, ``percent`` or ``interest``.
    ``charge_on``: ``level`` (when an invoice reaches a level using the rule),
    ``overdue`` (once, as soon as the invoice is overdue past the grace days)
    or ``monthly`` (interest for each calendar month that has ended).
    ``rate_source``: ``fixed`` (``annual_rate``) or ``eu`` / ``uk`` / ``de``
    (reference rate of that law's reference date + ``margin`` points).
    ``compensation``: ``none``, ``fixed`` (``compensation_amount`` once per
    invoice, business customers only) or ``uk_scale`` (40/70/100 by debt).
    """

    rule_id: int
    fee_type: str
    charge_on: str = "level"
    fixed_per: str = "invoice"
    amount: Decimal = Decimal(0)
    percent: Decimal = Decimal(0)
    rate_source: str = "fixed"
    annual_rate: Decimal = Decimal(0)
    margin: Decimal = Decimal(0)
    margin_consumer: Decimal | None = None
    days_in_year: int = 365
    grace_days: int = 0
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    maximum_percent: Decimal | None = None
    business_only: bool = True
    compensation: str = "none"
    compensation_amount: Decimal = Decimal(0)
    uk_scale_rate: Decimal = Decimal(1)  # rule currency -> invoice currency


@dataclass(frozen=True)
class InvoiceFeeState:
    """An open invoice as fee rules see it (amounts in the invoice currency).

    ``balances``: (date, amount overdue from that date on); partial payments
    lower the base from the day they were made.
    ``charged_keys`` / ``charged_amount`` / ``last_interest_to``: what this
    rule already charged on this invoice.
    """

    invoice_id: int
    date_due: date
    amount_total: Decimal
    balances: list[tuple[date, Decimal]]
    is_company: bool = True
    consumer_agreed: bool = False
    debt_in_rule_currency: Decimal | None = None
    charged_keys: frozenset[str] = frozenset()
    charged_amount: Decimal = Decimal(0)
    last_interest_to: date | None = None


@dataclass(frozen=True)
class Charge:
    """One fee to charge, with what a customer needs to check it."""

    rule_id: int
    invoice_id: int
    key: str
    kind: str  # fixed | percent | interest | compensation
    amount: Decimal  # rounded, invoice currency
    base: Decimal = Decimal(0)
    rate: Decimal | None = None
    date_from: date | None = None
    date_to: date | None = None
    days: int = 0
    pieces: tuple[InterestPiece, ...] = field(default=())


def first_late_day(rule: FeeRuleSpec, date_due: date) -> date:
    """Interest and fees run from the day after the due date plus grace days."""
    return date_due + timedelta(days=1 + rule.grace_days)


def reference_day(source: str, day: date) -> date:
    """The day whose reference rate applies to ``day``, by the law of ``source``.

    EU directive 2011/7/EU and Germany's BGB §288: the rate in force on
    1 January / 1 July; the UK Act: the base rate of 31 December (for
    January-June) and of 30 June (for July-December).
    """
    if source == "uk":
        return uk_reference_date(day)
    return eu_reference_date(day)


def _half_year_after(start: date) -> date:
    return date(start.year, 7, 1) if start.month == 1 else date(start.year + 1, 1, 1)


def rates_confirmed_until(source: str, confirmed_on: date) -> date:
    """Last day whose half-year rate was known when the table was confirmed.

    A table known complete on ``confirmed_on`` tells the rate of every
    half-year whose reference day is on or before that day: confirmed on
    15 December, an EU table covers the year's second half only; a UK table
    confirmed on 31 December covers next January-June as well.
    """
    start = date(confirmed_on.year, 1 if confirmed_on.month <= 6 else 7, 1)
    while True:
        following = _half_year_after(start)
        if reference_day(source, following) > confirmed_on:
            return following - timedelta(days=1)
        start = following


def reference_rates(
    table: list[tuple[date, Decimal]],
    source: str,
    margin: Decimal,
    date_from: date,
    date_to: date,
) -> list[tuple[date, Decimal]]:
    """Annual rate step function for a statutory rule, one step per half-year.

    ``table``: (date, reference rate in force from that date); each
    half-year reads the rate of its ``reference_day``.
    """
    table = sorted(table)
    steps = []
    start = date(date_from.year, 1 if date_from.month <= 6 else 7, 1)
    while start <= date_to:
        reference = reference_day(source, start)
        in_force = [rate for day, rate in table if day <= reference]
        if not in_force:
            raise FeeError(errors.FEE_NO_REFERENCE_RATE, date=reference)
        steps.append((start, in_force[-1] + margin))
        start = _half_year_after(start)
    return steps


def _capped(
    rule: FeeRuleSpec, inv: InvoiceFeeState, amount: Decimal, decimals: int
) -> Decimal:
    """Caps count what the rule already charged on the invoice."""
    maximum = rule.maximum
    if maximum is not None:
        maximum = max(maximum - inv.charged_amount, Decimal(0))
    maximum_percent_left = None
    if rule.maximum_percent is not None:
        left = inv.amount_total * rule.maximum_percent / HUNDRED - inv.charged_amount
        maximum_percent_left = max(left, Decimal(0))
    if maximum_percent_left is not None:
        maximum = (
            maximum_percent_left
            if maximum is None
            else min(maximum, maximum_percent_left)
        )
    return round_money(cap_fee(amount, minimum=rule.minimum, maximum=maximum), decimals)


def _month_periods(start: date, today: date) -> list[tuple[date, date]]:
    """Calendar months from ``start`` that have ended before ``today``."""
    periods = []
    month_start = date(start.year, start.month, 1)
    while True:
        next_month = (
            date(month_start.year + 1, 1, 1)
            if month_start.month == 12
            else date(month_start.year, month_start.month + 1, 1)
        )
        month_end = next_month - timedelta(days=1)
        if month_end >= today:
            return periods
        periods.append((max(start, month_start), month_end))
        month_start = next_month


def _interest(
    rule: FeeRuleSpec,
    inv: InvoiceFeeState,
    key: str,
    date_from: date,
    date_to: date,
    rates: list[tuple[date, Decimal]],
    decimals: int,
) -> Charge | None:
    pieces = simple_interest(
        inv.balances, rates, date_from, date_to, days_in_year=rule.days_in_year
    )
    amount = _capped(rule, inv, sum((p.amount for p in pieces), Decimal(0)), decimals)
    if amount <= 0:
        return None
    return Charge(
        rule.rule_id,
        inv.invoice_id,
        key,
        "interest",
        amount,
        base=max((p.base for p in pieces), default=Decimal(0)),
        rate=pieces[0].annual_rate if pieces else None,
        date_from=date_from,
        date_to=date_to,
        days=sum(p.days for p in pieces),
        pieces=tuple(pieces),
    )


@dataclass(frozen=True)
class FeesDue:
    """What a rule charges on an invoice today, and what waits.

    ``waiting_from``: the first day of interest left uncharged because its
    half-year's reference rate is not confirmed yet (None: nothing waits).
    """

    charges: list[Charge]
    waiting_from: date | None = None


def due_charges(
    rule: FeeRuleSpec,
    inv: InvoiceFeeState,
    today: date,
    *,
    level_id: int | None = None,
    rate_table: list[tuple[date, Decimal]] | None = None,
    decimals: int = 2,
) -> list[Charge]:
    """Charges ``rule`` adds on ``inv`` today (none already charged).

    ``level_id``: the level the invoice reaches today, for ``level`` rules;
    a ``level`` rule charges nothing without one.
    ``rate_table``: the reference rates, for statutory rules.
    """
    return fees_due(
        rule,
        inv,
        today,
        level_id=level_id,
        rate_table=rate_table,
        decimals=decimals,
    ).charges


def fees_due(
    rule: FeeRuleSpec,
    inv: InvoiceFeeState,
    today: date,
    *,
    level_id: int | None = None,
    rate_table: list[tuple[date, Decimal]] | None = None,
    rates_confirmed_until: date | None = None,
    decimals: int = 2,
) -> FeesDue:
    """``due_charges``, with the guard against a stale reference rate table.

    ``rates_confirmed_until``: the last day whose half-year reference rate
    is confirmed (``rates_confirmed_until()``); statutory interest after it
    is not charged on a guess: it waits (``waiting_from``) and a later call,
    once the table is confirmed, charges it. None: no guard.
    """
    if rule.charge_on == "level" and level_id is None:
        return FeesDue([])
    if not inv.is_company and (rule.business_only or not inv.consumer_agreed):
        return FeesDue([])
    start = first_late_day(rule, inv.date_due)
    if today < start:
        return FeesDue([])
    charges: list[Charge] = []
    waiting_from = None
    if rule.fee_type == "fixed":
        key = KEY_ONCE if rule.fixed_per == "invoice" else f"level-{level_id}"
        if key not in inv.charged_keys:
            amount = _capped(rule, inv, rule.amount, decimals)
            if amount > 0:
                charges.append(
                    Charge(rule.rule_id, inv.invoice_id, key, "fixed", amount)
                )
    elif rule.fee_type == "percent":
        if KEY_ONCE not in inv.charged_keys:
            base = value_on(sorted(inv.balances), today)
            amount = _capped(rule, inv, base * rule.percent / HUNDRED, decimals)
            if amount > 0:
                charges.append(
                    Charge(
                        rule.rule_id,
                        inv.invoice_id,
                        KEY_ONCE,
                        "percent",
                        amount,
                        base=base,
                        rate=rule.percent,
                    )
                )
    elif rule.fee_type == "interest":
        interest, waiting_from = _interest_charges(
            rule, inv, today, start, rate_table, decimals, rates_confirmed_until
        )
        charges.extend(interest)
    compensation = _compensation(rule, inv, decimals)
    if compensation:
        charges.append(compensation)
    return FeesDue(charges, waiting_from)


def _interest_charges(rule, inv, today, start, rate_table, decimals, confirmed):
    """Interest charges due, and the first day waiting for a confirmed rate."""
    if rule.charge_on == "monthly":
        periods = [
            (f"month-{begin:%Y-%m}", begin, end)
            for begin, end in _month_periods(start, today)
        ]
        periods = [p for p in periods if p[0] not in inv.charged_keys]
    else:
        begin = start
        if inv.last_interest_to and inv.last_interest_to >= begin:
            begin = inv.last_interest_to + timedelta(days=1)
        periods = [(f"to-{today.isoformat()}", begin, today)] if begin <= today else []
        periods = [p for p in periods if p[0] not in inv.charged_keys]
    waiting_from = None
    if confirmed is not None and rule.rate_source != "fixed":
        periods, waiting_from = _confirmed_periods(periods, confirmed)
    charges = []
    for key, begin, end in periods:
        rates = _rates(rule, inv, begin, end, rate_table)
        charge = _interest(rule, inv, key, begin, end, rates, decimals)
        if charge:
            charges.append(charge)
            # Later periods are capped by what this one charged too.
            inv = InvoiceFeeState(
                **{**inv.__dict__, "charged_amount": inv.charged_amount + charge.amount}
            )
    return charges, waiting_from


def _confirmed_periods(periods, confirmed):
    """The interest periods up to ``confirmed``, and the first day after them.

    Months never straddle a half-year, so a month is charged whole or waits;
    interest up to today (charged at a level) stops at ``confirmed`` and the
    next level's interest starts from there.
    """
    kept = []
    waiting_from = None
    for key, begin, end in periods:
        if end > confirmed:
            first_waiting = max(begin, confirmed + timedelta(days=1))
            waiting_from = min(waiting_from or first_waiting, first_waiting)
            end = confirmed
        if begin <= end:
            kept.append((key, begin, end))
    return kept, waiting_from


def _rates(rule, inv, begin, end, rate_table):
    margin = rule.margin
    if not inv.is_company and rule.margin_consumer is not None:
        margin = rule.margin_consumer
    if rule.rate_source == "fixed":
        return [(begin, rule.annual_rate)]
    return reference_rates(rate_table or [], rule.rate_source, margin, begin, end)


def _compensation(rule, inv, decimals) -> Charge | None:
    """Statutory fixed sum: once per invoice, business customers only."""
    if rule.compensation == "none" or not inv.is_company:
        return None
    if KEY_COMPENSATION in inv.charged_keys:
        return None
    if rule.compensation == "uk_scale":
        debt = inv.debt_in_rule_currency
        if debt is None:
            debt = inv.amount_total
        amount = uk_fixed_sum(debt) * rule.uk_scale_rate
    else:
        amount = rule.compensation_amount
    amount = round_money(amount, decimals)
    if amount <= 0:
        return None
    return Charge(
        rule.rule_id,
        inv.invoice_id,
        KEY_COMPENSATION,
        "compensation",
        amount,
        base=inv.amount_total,
    )
