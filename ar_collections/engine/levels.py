"""Which follow-up level an invoice reaches today, and why not when it doesn't.

The daily run gathers plain values for each customer and its open invoices,
asks :func:`decide_partner`, and executes what comes back. Nothing here
reads the database or the clock: ``today`` is always passed in.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

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


@dataclass(frozen=True)
class LevelSpec:
    """One level of a policy: its id and the days overdue that trigger it.

    ``delay`` may be negative: a courtesy reminder before the due date.
    """

    level_id: int
    delay: int


@dataclass(frozen=True)
class PolicySpec:
    """The parts of a follow-up policy the decision needs.

    ``levels`` must be ordered by strictly increasing delay.
    """

    levels: tuple[LevelSpec, ...]
    grace_days: int = 0
    minimum_amount: Decimal = Decimal(0)
    allow_skip: bool = False

    def __post_init__(self) -> None:
        delays = [level.delay for level in self.levels]
        if not delays:
            raise ValueError("a policy needs at least one level")
        if any(b <= a for a, b in zip(delays, delays[1:], strict=False)):
            raise ValueError("level delays must be strictly increasing")
        if self.grace_days < 0:
            raise ValueError("grace days cannot be negative")

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
    """

    invoice_id: int
    date_due: date
    current_level_id: int | None = None
    excluded: bool = False
    handed_over: bool = False
    suspended: bool = False
    escalate: bool = False


@dataclass(frozen=True)
class PartnerState:
    """A customer's balances, in company currency, and snooze date."""

    partner_id: int
    amount_overdue: Decimal
    amount_net_due: Decimal
    snoozed_until: date | None = None


@dataclass(frozen=True)
class Decision:
    """Outcome for one invoice: the level to bring it to, or why not."""

    invoice_id: int
    level_id: int | None
    skip_reason: str | None = None
    days_overdue: int = 0
    target_level_id: int | None = None

    @property
    def is_action(self) -> bool:
        """True when the invoice moves to a new level today."""
        return self.level_id is not None


def decide_invoice(invoice: InvoiceState, policy: PolicySpec, today: date) -> Decision:
    """Decide the level one invoice reaches today under ``policy``.

    The target is the highest level whose delay has passed. Unless the
    policy allows skipping, the invoice climbs one level per run, so a
    customer always gets the first reminder before the second. Levels never
    go down. Overdue levels (delay >= 0) also wait for the grace days.
    """
    days = (today - invoice.date_due).days

    def skip(reason: str, target: int | None = None) -> Decision:
        return Decision(invoice.invoice_id, None, reason, days, target)

    if invoice.excluded:
        return skip(SKIP_EXCLUDED)
    if invoice.handed_over:
        return skip(SKIP_HANDED_OVER)
    if invoice.suspended:
        return skip(SKIP_SUSPENDED)

    reached = [
        index
        for index, level in enumerate(policy.levels)
        if level.delay <= days and (level.delay < 0 or days >= policy.grace_days)
    ]
    current = policy.index_of(invoice.current_level_id)
    if invoice.escalate and days > 0 and current + 1 < len(policy.levels):
        if not reached or reached[-1] <= current:
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
    in the customer's favour (unapplied payments, open credit notes), or an
    overdue total under the policy's minimum. Then each invoice on its own.
    """
    if partner.snoozed_until and partner.snoozed_until > today:
        reason: str | None = SKIP_SNOOZED
    elif partner.amount_net_due <= 0:
        reason = SKIP_NO_NET_BALANCE
    elif partner.amount_overdue < policy.minimum_amount:
        reason = SKIP_BELOW_MINIMUM
    else:
        reason = None
    if reason:
        return [
            Decision(inv.invoice_id, None, reason, (today - inv.date_due).days)
            for inv in invoices
        ]
    return [decide_invoice(inv, policy, today) for inv in invoices]


def next_action_date(
    date_due: date, level_id: int | None, policy: PolicySpec, today: date
) -> date | None:
    """When an invoice now at ``level_id`` is due for its next level.

    None when it is at the last level. Never earlier than tomorrow: what is
    due today was handled (or skipped) by today's run.
    """
    following = policy.index_of(level_id) + 1
    if following >= len(policy.levels):
        return None
    delay = policy.levels[following].delay
    if delay >= 0:
        delay = max(delay, policy.grace_days)
    due = date_due + timedelta(days=delay)
    tomorrow = today + timedelta(days=1)
    return max(due, tomorrow)
