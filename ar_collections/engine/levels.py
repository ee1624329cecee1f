"""Which follow-up level an invoice reaches today, and why not when it doesn't.

The daily run gathers plain values for each customer and its open invoices,
asks :func:`decide_partner`, and executes what comes back. Nothing here
reads the database or the clock: ``today`` is always passed in.

Cadence: the days overdue say which level an invoice deserves, the cadence
says when it may get it. After a level is reached, the next one comes no
earlier than the difference between the two levels' days, and never before
the payment deadline the level's message gave. So a book that is already
late when follow-up starts gets the friendly reminder first and then the
same spacing as an invoice followed up from its due date, never one harsher
message a day.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from . import errors
from .errors import PolicyError

# Reasons an invoice or a customer is left alone today. They are shown to
# users in the run preview, so they are stable identifiers.
SKIP_EXCLUDED = "excluded"
SKIP_HANDED_OVER = "handed_over"
SKIP_SUSPENDED = "suspended"
SKIP_NOT_DUE = "not_due"
SKIP_GRACE = "grace"
SKIP_UP_TO_DATE = "up_to_date"
SKIP_SNOOZED = "snoozed"
SKIP_BELOW_MINIMUM = "below_minimum"
SKIP_NO_NET_BALANCE = "no_net_balance"
SKIP_CADENCE = "cadence"
SKIP_RECENT_MESSAGE = "recent_message"


@dataclass(frozen=True)
class LevelSpec:
    """One level of a policy: its id and the days overdue that trigger it.

    ``delay`` may be negative: a courtesy reminder before the due date.
    ``payment_days``: the days the level's message gives the customer to pay
    (0: no deadline stated); the next level waits until that deadline passed.
    """

    level_id: int
    delay: int
    payment_days: int = 0


@dataclass(frozen=True)
class PolicySpec:
    """The parts of a follow-up policy the decision needs.

    ``levels`` must be ordered by strictly increasing delay.
    ``min_days_between``: at least this many days between two messages to
    the same customer (0: only the levels' own spacing).
    """

    levels: tuple[LevelSpec, ...]
    grace_days: int = 0
    minimum_amount: Decimal = Decimal(0)
    allow_skip: bool = False
    min_days_between: int = 0

    def __post_init__(self) -> None:
        if not self.levels:
            raise PolicyError(errors.POLICY_NO_LEVEL)
        for previous, level in zip(self.levels, self.levels[1:], strict=False):
            if level.delay <= previous.delay:
                raise PolicyError(
                    errors.POLICY_DELAYS_NOT_INCREASING,
                    level_id=level.level_id,
                    delay=level.delay,
                    previous_id=previous.level_id,
                    previous_delay=previous.delay,
                )
        if self.grace_days < 0:
            raise PolicyError(errors.POLICY_NEGATIVE_GRACE_DAYS, days=self.grace_days)
        if self.min_days_between < 0:
            raise PolicyError(
                errors.POLICY_NEGATIVE_DAYS_BETWEEN, days=self.min_days_between
            )
        for level in self.levels:
            if level.payment_days < 0:
                raise PolicyError(
                    errors.POLICY_NEGATIVE_PAYMENT_DAYS,
                    level_id=level.level_id,
                    days=level.payment_days,
                )

    def index_of(self, level_id: int | None) -> int:
        """Position of ``level_id`` in the policy, -1 when none or unknown."""
        for index, level in enumerate(self.levels):
            if level.level_id == level_id:
                return index
        return -1


@dataclass(frozen=True)
class InvoiceState:
    """An open customer invoice as the run sees it.

    ``date_due`` is the maturity of its oldest unpaid installment, so an
    invoice with installment terms is judged on the installment that is late.
    ``current_level_id`` is the level it was last brought to (None: never).
    ``suspended`` covers every temporary stop (dispute, promise, plan...).
    ``escalate``: a promise or a payment plan was broken; the invoice climbs
    one level at the next run even if its days do not call for it yet.
    ``date_level``: the day it reached ``current_level_id`` (the cadence
    counts from it).
    """

    invoice_id: int
    date_due: date
    current_level_id: int | None = None
    date_level: date | None = None
    excluded: bool = False
    handed_over: bool = False
    suspended: bool = False
    escalate: bool = False


@dataclass(frozen=True)
class PartnerState:
    """A customer's balances, in company currency, snooze date and the day
    of the last message it was sent."""

    partner_id: int
    amount_overdue: Decimal
    amount_net_due: Decimal
    snoozed_until: date | None = None
    date_last_message: date | None = None


@dataclass(frozen=True)
class Decision:
    """Outcome for one invoice: the level to bring it to, or why not."""

    invoice_id: int
    level_id: int | None
    skip_reason: str | None = None
    days_overdue: int = 0
    target_level_id: int | None = None
    # When the reason is the cadence or a recent message: the first day the
    # next level may come.
    date_next: date | None = None

    @property
    def is_action(self) -> bool:
        """True when the invoice moves to a new level today."""
        return self.level_id is not None


def level_due_date(policy: PolicySpec, index: int, date_due: date) -> date:
    """The day the level at ``index`` is called for by the days overdue alone.

    Overdue levels (delay >= 0) also wait for the policy's grace days.
    """
    delay = policy.levels[index].delay
    if delay >= 0:
        delay = max(delay, policy.grace_days)
    return date_due + timedelta(days=delay)


def cadence_date(
    policy: PolicySpec,
    index: int,
    date_level: date | None,
    following: int | None = None,
) -> date | None:
    """First day the level at ``following`` (default: the next one) may
    come, the level at ``index`` having been reached on ``date_level``.

    No earlier than the difference between the two levels' days after
    ``date_level``, and not before the payment deadline the level's message
    gave has passed. None when there is no such level or no level reached.
    """
    if following is None:
        following = index + 1
    if index < 0 or date_level is None or following >= len(policy.levels):
        return None
    current = policy.levels[index]
    gap = policy.levels[following].delay - current.delay
    after_deadline = current.payment_days + 1 if current.payment_days else 0
    return date_level + timedelta(days=max(gap, after_deadline))


def quiet_until(date_last_message: date | None, policy: PolicySpec) -> date | None:
    """First day a customer messaged on ``date_last_message`` may get another
    message under the policy's minimum days between messages (None: any day)."""
    if not (date_last_message and policy.min_days_between):
        return None
    return date_last_message + timedelta(days=policy.min_days_between)


def decide_invoice(invoice: InvoiceState, policy: PolicySpec, today: date) -> Decision:
    """Decide the level one invoice reaches today under ``policy``.

    The target is the highest level whose delay has passed. Unless the
    policy allows skipping, the invoice climbs one level per run, so a
    customer always gets the first reminder before the second. Levels never
    go down. Overdue levels (delay >= 0) also wait for the grace days. The
    next level also waits for the cadence (:func:`cadence_date`), except
    after a broken promise or plan, which brings it at once (its message
    is then the first of the same spacing again).
    """
    days = (today - invoice.date_due).days

    def skip(
        reason: str, target: int | None = None, date_next: date | None = None
    ) -> Decision:
        return Decision(invoice.invoice_id, None, reason, days, target, date_next)

    if invoice.excluded:
        return skip(SKIP_EXCLUDED)
    if invoice.handed_over:
        return skip(SKIP_HANDED_OVER)
    if invoice.suspended:
        return skip(SKIP_SUSPENDED)

    reached = [
        index
        for index, level in enumerate(policy.levels)
        if level_due_date(policy, index, invoice.date_due) <= today
    ]
    current = policy.index_of(invoice.current_level_id)
    escalating = invoice.escalate and days > 0 and current + 1 < len(policy.levels)
    if escalating and (not reached or reached[-1] <= current):
        reached = [current + 1]
    if not reached:
        in_grace = days >= 0 and any(
            0 <= level.delay <= days for level in policy.levels
        )
        return skip(SKIP_GRACE if in_grace else SKIP_NOT_DUE)

    target = reached[-1]
    target_id = policy.levels[target].level_id
    if target <= current:
        return skip(SKIP_UP_TO_DATE, target_id)
    new_index = target if policy.allow_skip else current + 1
    if not escalating:
        # Skipping levels: the highest level whose own gap has passed.
        while new_index > current + 1 and today < (
            cadence_date(policy, current, invoice.date_level, new_index) or today
        ):
            new_index -= 1
        earliest = cadence_date(policy, current, invoice.date_level, new_index)
        if earliest and today < earliest:
            return skip(SKIP_CADENCE, target_id, earliest)
    return Decision(
        invoice.invoice_id, policy.levels[new_index].level_id, None, days, target_id
    )


def decide_partner(
    partner: PartnerState,
    invoices: list[InvoiceState],
    policy: PolicySpec,
    today: date,
) -> list[Decision]:
    """Decide every open invoice of one customer.

    Customer-wide stops come first: a snooze, a net balance that is zero or
    in the customer's favour (unapplied payments, open credit notes), an
    overdue total under the policy's minimum, or a message sent fewer than
    the policy's minimum days between messages ago. Then each invoice on its
    own.
    """
    quiet = quiet_until(partner.date_last_message, policy)
    if partner.snoozed_until and partner.snoozed_until > today:
        reason: str | None = SKIP_SNOOZED
    elif partner.amount_net_due <= 0:
        reason = SKIP_NO_NET_BALANCE
    elif partner.amount_overdue < policy.minimum_amount:
        reason = SKIP_BELOW_MINIMUM
    elif quiet and today < quiet:
        reason = SKIP_RECENT_MESSAGE
    else:
        reason = None
    if reason:
        date_next = quiet if reason == SKIP_RECENT_MESSAGE else None
        return [
            Decision(
                inv.invoice_id,
                None,
                reason,
                (today - inv.date_due).days,
                date_next=date_next,
            )
            for inv in invoices
        ]
    return [decide_invoice(inv, policy, today) for inv in invoices]


def next_action_date(
    date_due: date,
    level_id: int | None,
    policy: PolicySpec,
    today: date,
    date_level: date | None = None,
) -> date | None:
    """When an invoice now at ``level_id``, reached on ``date_level``, is due
    for its next level.

    None when it is at the last level. The later of the day its days overdue
    call for the next level and the cadence (:func:`cadence_date`). Never
    earlier than tomorrow: what is due today was handled (or skipped) by
    today's run.
    """
    current = policy.index_of(level_id)
    following = current + 1
    if following >= len(policy.levels):
        return None
    candidates = [
        level_due_date(policy, following, date_due),
        today + timedelta(days=1),
    ]
    earliest = cadence_date(policy, current, date_level)
    if earliest:
        candidates.append(earliest)
    return max(candidates)
