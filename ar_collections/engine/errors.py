"""Typed errors of the engine: a stable ``code`` and the ``values`` behind it.

The engine speaks no language. Odoo turns each code into a sentence in the
user's language (``models/engine_messages.py``); ``str()`` keeps a plain
English line for logs and tests.
"""

from typing import Any

# Policies (levels.py)
POLICY_NO_LEVEL = "policy_no_level"
POLICY_DELAYS_NOT_INCREASING = "policy_delays_not_increasing"
POLICY_NEGATIVE_GRACE_DAYS = "policy_negative_grace_days"
POLICY_NEGATIVE_DAYS_BETWEEN = "policy_negative_days_between"
POLICY_NEGATIVE_PAYMENT_DAYS = "policy_negative_payment_days"
# Payment plans (plans.py)
PLAN_UNKNOWN_FREQUENCY = "plan_unknown_frequency"
PLAN_TOTAL_NOT_POSITIVE = "plan_total_not_positive"
PLAN_BAD_DOWN_PAYMENT = "plan_bad_down_payment"
PLAN_COUNT_OR_AMOUNT = "plan_count_or_amount"
PLAN_NO_INSTALLMENT = "plan_no_installment"
PLAN_TOO_MANY_INSTALLMENTS = "plan_too_many_installments"
PLAN_INSTALLMENT_NOT_POSITIVE = "plan_installment_not_positive"
PLAN_DOWN_PAYMENT_TOO_LATE = "plan_down_payment_too_late"
# Fees and interest (fees.py, money.py)
FEE_NO_REFERENCE_RATE = "fee_no_reference_rate"
FEE_BAD_DAYS_IN_YEAR = "fee_bad_days_in_year"
# Contact rules (contact_rules.py)
CONTACT_HOURS_OUT_OF_RANGE = "contact_hours_out_of_range"
CONTACT_HOURS_NOT_INCREASING = "contact_hours_not_increasing"
CONTACT_CAP_NOT_POSITIVE = "contact_cap_not_positive"

# English for str(): logs, tracebacks and engine tests.
DEFAULT_TEXT = {
    POLICY_NO_LEVEL: "a policy needs at least one level",
    POLICY_DELAYS_NOT_INCREASING: (
        "level delays must be strictly increasing "
        "(level {level_id}: {delay} days after {previous_delay})"
    ),
    POLICY_NEGATIVE_GRACE_DAYS: "grace days cannot be negative ({days})",
    POLICY_NEGATIVE_DAYS_BETWEEN: "days between messages cannot be negative ({days})",
    POLICY_NEGATIVE_PAYMENT_DAYS: (
        "days given to pay cannot be negative (level {level_id}: {days})"
    ),
    PLAN_UNKNOWN_FREQUENCY: "unknown frequency {frequency!r}",
    PLAN_TOTAL_NOT_POSITIVE: "the plan total must be positive",
    PLAN_BAD_DOWN_PAYMENT: (
        "the down payment must be at least 0 and less than the total "
        "({down_payment} of {total})"
    ),
    PLAN_COUNT_OR_AMOUNT: "give either a number of installments or an amount",
    PLAN_NO_INSTALLMENT: "a plan needs at least one installment",
    PLAN_TOO_MANY_INSTALLMENTS: (
        "too many installments for the amount ({count} for {total})"
    ),
    PLAN_INSTALLMENT_NOT_POSITIVE: "the installment amount must be positive",
    PLAN_DOWN_PAYMENT_TOO_LATE: (
        "the down payment must fall due before the first installment "
        "({date} is not before {first})"
    ),
    FEE_NO_REFERENCE_RATE: "no reference rate in force on {date}",
    FEE_BAD_DAYS_IN_YEAR: "days_in_year must be 365 or 360, not {days_in_year}",
    CONTACT_HOURS_OUT_OF_RANGE: "contact hours are between 0 and 24, not {hour}",
    CONTACT_HOURS_NOT_INCREASING: (
        "contact hours must end after they start ({hour_from} to {hour_to})"
    ),
    CONTACT_CAP_NOT_POSITIVE: "a contact limit must allow at least 1, not {cap}",
}


class EngineError(ValueError):
    """A rule refused its input.

    ``code``: one of the constants above; ``values``: the figures the
    message names (dates stay ``date``, amounts ``Decimal``).
    """

    def __init__(self, code: str, **values: Any) -> None:
        self.code = code
        self.values = values
        super().__init__(DEFAULT_TEXT.get(code, code).format(**values))


class PolicyError(EngineError):
    """A follow-up policy that cannot be followed."""


class PlanError(EngineError):
    """A payment plan that cannot be scheduled."""


class FeeError(EngineError):
    """A fee or interest that cannot be computed."""


class ContactRuleError(EngineError):
    """Contact rules that cannot be followed."""
