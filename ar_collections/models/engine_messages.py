"""The engine's refusals in the user's language.

The engine raises :class:`~..engine.errors.EngineError` with a code and the
values behind it; this is the one place that turns a code into a sentence.
Callers add the names of the records involved (the policy, the level, the
fee rule) and the currency the amounts are in.
"""

from datetime import date
from decimal import Decimal

from odoo.tools.misc import format_date, formatLang

from ..engine import errors

_MESSAGES = {
    errors.POLICY_NO_LEVEL: lambda env, v: env._(
        "The follow-up policy “%(policy)s” needs at least one level: add a level "
        "in the Levels tab.",
        **v,
    ),
    errors.POLICY_DELAYS_NOT_INCREASING: lambda env, v: env._(
        "In the policy “%(policy)s”, the level “%(level)s” (%(delay)s days) must "
        "come after more days overdue than “%(previous)s” (%(previous_delay)s "
        "days): the days overdue of the levels must strictly increase from one "
        "level to the next.",
        **v,
    ),
    errors.POLICY_NEGATIVE_GRACE_DAYS: lambda env, v: env._(
        "The follow-up policy “%(policy)s” has %(days)s grace days: grace days "
        "cannot be negative.",
        **v,
    ),
    errors.POLICY_NEGATIVE_DAYS_BETWEEN: lambda env, v: env._(
        "The follow-up policy “%(policy)s” asks for %(days)s days between "
        "messages: the minimum days between messages cannot be negative.",
        **v,
    ),
    errors.POLICY_NEGATIVE_PAYMENT_DAYS: lambda env, v: env._(
        "The level “%(level)s” gives %(days)s days to pay: the days given to pay "
        "cannot be negative (0 means no deadline).",
        **v,
    ),
    errors.PLAN_UNKNOWN_FREQUENCY: lambda env, v: env._(
        "The payment plan cannot be built: “%(frequency)s” is not a known "
        "frequency; choose weekly, every two weeks or monthly.",
        **v,
    ),
    errors.PLAN_TOTAL_NOT_POSITIVE: lambda env, v: env._(
        "The payment plan cannot be built: its total (%(total)s) must be more "
        "than zero.",
        **v,
    ),
    errors.PLAN_BAD_DOWN_PAYMENT: lambda env, v: env._(
        "The payment plan cannot be built: the down payment (%(down_payment)s) "
        "must be at least zero and less than the total of %(total)s.",
        **v,
    ),
    errors.PLAN_COUNT_OR_AMOUNT: lambda env, v: env._(
        "The payment plan cannot be built: give either a number of installments "
        "or an installment amount.",
        **v,
    ),
    errors.PLAN_NO_INSTALLMENT: lambda env, v: env._(
        "The payment plan cannot be built: a plan needs at least one installment.",
        **v,
    ),
    errors.PLAN_TOO_MANY_INSTALLMENTS: lambda env, v: env._(
        "The payment plan cannot be built: %(count)s installments are too many "
        "for %(total)s; choose fewer installments.",
        **v,
    ),
    errors.PLAN_INSTALLMENT_NOT_POSITIVE: lambda env, v: env._(
        "The payment plan cannot be built: the installment amount must be more "
        "than zero.",
        **v,
    ),
    errors.PLAN_DOWN_PAYMENT_TOO_LATE: lambda env, v: env._(
        "The payment plan cannot be built: the down payment (due %(date)s) must "
        "fall due before the first installment (%(first)s).",
        **v,
    ),
    errors.FEE_NO_REFERENCE_RATE: lambda env, v: env._(
        "Fee rule “%(rule)s” cannot compute interest: no reference rate is in "
        "force on %(date)s. Add the missing rate under Collections > "
        "Configuration > Reference rates.",
        **v,
    ),
    errors.FEE_BAD_DAYS_IN_YEAR: lambda env, v: env._(
        "Fee rule “%(rule)s” cannot compute interest: a year counts 365 or 360 "
        "days, not %(days_in_year)s.",
        **v,
    ),
    errors.CONTACT_HOURS_OUT_OF_RANGE: lambda env, v: env._(
        "In the follow-up policy “%(policy)s”, “%(field)s” is %(hour)s: contact "
        "hours lie between 00:00 and 24:00; enter an hour in that range.",
        **v,
    ),
    errors.CONTACT_HOURS_NOT_INCREASING: lambda env, v: env._(
        "In the follow-up policy “%(policy)s”, the contact hours end at "
        "%(hour_to)s, not after they start at %(hour_from)s: set “%(field_to)s” "
        "later than “%(field_from)s”.",
        **v,
    ),
    errors.CONTACT_CAP_NOT_POSITIVE: lambda env, v: env._(
        "In the follow-up policy “%(policy)s”, “%(field)s” is %(cap)s: a limit "
        "must allow at least 1 contact in 7 days; enter 1 or more, or untick "
        "“Limit contacts per 7 days”.",
        **v,
    ),
}


def engine_message(env, error, currency=None, **names):
    """``error`` as a sentence in ``env``'s language.

    ``names``: what the message names besides the engine's values (``policy``,
    ``level``, ``previous``, ``rule``). Dates are written the user's way,
    amounts with ``currency``'s decimals and symbol.
    """
    values = dict(error.values)
    for key, value in values.items():
        if isinstance(value, date):
            values[key] = format_date(env, value)
        elif isinstance(value, Decimal):
            values[key] = formatLang(env, float(value), currency_obj=currency)
    values.update(names)
    message = _MESSAGES.get(error.code)
    return message(env, values) if message else str(error)
