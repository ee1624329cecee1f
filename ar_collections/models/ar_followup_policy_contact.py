from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.contact_rules import ContactRules, check_cap, check_hours
from ..engine.errors import ContactRuleError
from .engine_messages import engine_message

# (from, until) hour fields, businesses then consumers.
HOUR_FIELDS = (
    ("contact_hour_from", "contact_hour_to"),
    ("consumer_hour_from", "consumer_hour_to"),
)
CAP_FIELDS = ("call_cap", "contact_cap", "consumer_call_cap", "consumer_contact_cap")


def format_hour(hour):
    """``8.5`` as ``08:30``."""
    minutes = round((hour or 0) * 60)
    return "%02d:%02d" % divmod(minutes, 60)


class ArFollowupPolicy(models.Model):
    """A policy's contact rules: when and how often customers may be contacted.

    The rules themselves are in ``engine/contact_rules.py``; the customer's
    side (its time zone, its history, its opt-out) in
    ``res_partner_contact_rules.py``. Consumers (customers that are not
    companies) have their own, stricter, hours and limits.
    """

    # One file per job: ar.followup.policy is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.policy"

    contact_hours = fields.Boolean(
        "Contact hours",
        help="Calls and text messages only within these hours of the customer's "
        "day, in its time zone (its own, else its company's, else ours); "
        "emails outside them as set below.",
    )
    contact_hour_from = fields.Float(
        "Businesses: from", default=7.0, help="Hour of the customer's day."
    )
    contact_hour_to = fields.Float(
        "Businesses: until", default=22.0, help="Hour of the customer's day."
    )
    consumer_hour_from = fields.Float(
        "Consumers: from",
        default=8.0,
        help="Hour of the customer's day, for customers that are not companies "
        "(Regulation F: not before 08:00).",
    )
    consumer_hour_to = fields.Float(
        "Consumers: until",
        default=21.0,
        help="Hour of the customer's day, for customers that are not companies "
        "(Regulation F: not after 21:00).",
    )
    email_outside_hours = fields.Selection(
        [("hold", "Hold until the window opens"), ("send", "Send anyway")],
        "Emails outside the contact window",
        default="hold",
        required=True,
        help="Outside the contact hours, on weekends and on public holidays (when "
        "the policy skips them): hold an email in the outgoing queue until the "
        "customer's next contact window opens, or send it at once.",
    )
    contact_skip_weekends = fields.Boolean(
        "No contact on weekends",
        help="No call or text message on the customer's Saturdays and Sundays; "
        "emails as set for the contact window.",
    )
    contact_skip_holidays = fields.Boolean(
        "No contact on public holidays",
        help="No call or text message on the company's public holidays: the time "
        "off of the company's working schedule that is for no one in particular "
        "(resource time off without a resource).",
    )
    contact_limit = fields.Boolean(
        "Limit contacts per 7 days",
        help="At most so many call attempts, and so many contacts of any kind "
        "(emails, letters, calls logged, text messages), in any 7 days. The "
        "daily run leaves a customer who reached the limit for the day it is "
        "allowed again; sending a reminder by hand is refused until then.",
    )
    call_cap = fields.Integer(
        "Businesses: calls per 7 days",
        default=14,
        help="Call attempts (calls logged, whatever their outcome) in any 7 days.",
    )
    contact_cap = fields.Integer(
        "Businesses: contacts per 7 days",
        default=21,
        help="Emails, letters, calls logged and text messages in any 7 days.",
    )
    consumer_call_cap = fields.Integer(
        "Consumers: calls per 7 days",
        default=7,
        help="Call attempts in any 7 days, for customers that are not companies "
        "(Regulation F: at most 7).",
    )
    consumer_contact_cap = fields.Integer(
        "Consumers: contacts per 7 days",
        default=10,
        help="Emails, letters, calls logged and text messages in any 7 days, for "
        "customers that are not companies.",
    )

    @api.constrains(*(name for pair in HOUR_FIELDS for name in pair), *CAP_FIELDS)
    def _check_contact_rules(self):
        """Hours within 0-24 that end after they start; limits of 1 or more."""
        for policy in self:
            for field_from, field_to in HOUR_FIELDS:
                try:
                    check_hours(policy[field_from], policy[field_to])
                except ContactRuleError as error:
                    hour = error.values.get("hour")
                    field = field_from if hour == policy[field_from] else field_to
                    raise ValidationError(
                        policy._contact_message(
                            error,
                            field=policy._contact_label(field),
                            field_from=policy._contact_label(field_from),
                            field_to=policy._contact_label(field_to),
                            hour=format_hour(hour),
                            hour_from=format_hour(policy[field_from]),
                            hour_to=format_hour(policy[field_to]),
                        )
                    ) from error
            for field in CAP_FIELDS:
                try:
                    check_cap(policy[field])
                except ContactRuleError as error:
                    raise ValidationError(
                        policy._contact_message(
                            error, field=policy._contact_label(field)
                        )
                    ) from error

    def _contact_label(self, field_name):
        return self._fields[field_name]._description_string(self.env)

    def _contact_message(self, error, **names):
        return engine_message(self.env, error, policy=self.name, **names)

    def _contact_rules(self, consumer, no_phone=False, holidays=frozenset()):
        """The rules for one customer as plain values for the engine.

        ``consumer``: the customer is not a company (its own hours and
        limits); ``no_phone``: it asked not to be called or texted;
        ``holidays``: the company's public holidays (dates). An empty policy
        (a company without one) only keeps the opt-out.
        """
        if not self:
            return ContactRules(no_phone=no_phone)
        self.ensure_one()
        prefix = "consumer_" if consumer else "contact_"
        caps = "consumer_" if consumer else ""
        return ContactRules(
            hours=(self[f"{prefix}hour_from"], self[f"{prefix}hour_to"])
            if self.contact_hours
            else None,
            skip_weekends=self.contact_skip_weekends,
            skip_holidays=self.contact_skip_holidays,
            holidays=holidays if self.contact_skip_holidays else frozenset(),
            call_cap=self[f"{caps}call_cap"] if self.contact_limit else None,
            contact_cap=self[f"{caps}contact_cap"] if self.contact_limit else None,
            hold_emails=self.email_outside_hours == "hold",
            no_phone=no_phone,
        )
