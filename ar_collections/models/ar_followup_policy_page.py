from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ArFollowupPolicy(models.Model):
    """What customers may answer on their collections page, and its limits.

    Read by ``ar.customer.answer``, which re-checks every answer against
    these settings on the server.
    """

    # One file per job: ar.followup.policy is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.policy"

    page_offer_paid = fields.Boolean(
        "Offer “I have already paid”",
        default=True,
        help="The customer can say it has paid: chasing of those invoices pauses "
        "while the bank statement comes in.",
    )
    page_offer_promise = fields.Boolean(
        "Offer “Promise to pay”",
        default=True,
        help="The customer can promise a payment date itself.",
    )
    page_offer_plan = fields.Boolean(
        "Offer “Payment plan”",
        default=True,
        help="The customer can request a payment plan within the bounds below.",
    )
    page_offer_dispute = fields.Boolean(
        "Offer “Dispute an invoice”",
        default=True,
        help="The customer can dispute an invoice or part of it.",
    )
    page_paid_pause_days = fields.Integer(
        "Pause after “already paid” (days)",
        default=5,
        help="Days the invoices a customer says it has paid are not chased, "
        "while the payment reaches the bank statement. If it is not reconciled "
        "by then, chasing resumes and the collector is told.",
    )
    page_promise_max_days = fields.Integer(
        "Promise at most (days ahead)",
        default=30,
        help="The latest date a customer can promise by itself, in days from today.",
    )
    page_promise_max_open = fields.Integer(
        "Open promises a customer may make itself",
        default=1,
        help="How many of its own promises a customer may have open at once; "
        "beyond that, the page asks it to contact the collector.",
    )
    page_promise_block_after_broken = fields.Boolean(
        "No own promise after a broken one",
        default=True,
        help="A customer that broke a promise in the last 12 months cannot promise "
        "by itself: the page asks it to contact the collector instead.",
    )
    page_plan_max_installments = fields.Integer(
        "Plan: at most (installments)", default=6
    )
    page_plan_min_installment = fields.Monetary(
        "Plan: smallest installment",
        default=50.0,
        help="In the company's currency (converted for invoices in another one).",
    )
    page_plan_max_days = fields.Integer(
        "Plan: last installment within (days)",
        default=180,
        help="Days from today to the last installment.",
    )
    page_plan_weekly = fields.Boolean("Plan: weekly installments", default=True)
    page_plan_monthly = fields.Boolean("Plan: monthly installments", default=True)
    page_plan_auto_accept = fields.Boolean(
        "Accept plans within the bounds at once",
        default=True,
        help="A plan the customer requests within the bounds starts at once; "
        "otherwise it waits for a collector's approval.",
    )
    page_rate_limit = fields.Integer(
        "Answers per customer per hour",
        default=5,
        help="Answers a customer can send from its page in one hour; more are "
        "refused with a message asking it to try later or to contact you.",
    )

    @api.constrains(
        "page_paid_pause_days",
        "page_promise_max_days",
        "page_promise_max_open",
        "page_plan_max_installments",
        "page_plan_min_installment",
        "page_plan_max_days",
        "page_plan_weekly",
        "page_plan_monthly",
        "page_offer_plan",
        "page_rate_limit",
    )
    def _check_page_settings(self):
        """Limits a customer can live with: each names the field and the fix."""
        for policy in self:
            label = policy._page_label
            checks = (
                ("page_paid_pause_days", 1, 60),
                ("page_promise_max_days", 1, 365),
                ("page_promise_max_open", 1, 20),
                ("page_plan_max_installments", 2, 60),
                ("page_plan_max_days", 7, 1830),
                ("page_rate_limit", 1, 100),
            )
            for name, low, high in checks:
                if not low <= policy[name] <= high:
                    raise ValidationError(
                        self.env._(
                            "Policy %(policy)s: “%(field)s” must be between %(low)s "
                            "and %(high)s (%(value)s was entered).",
                            policy=policy.name,
                            field=label(name),
                            low=low,
                            high=high,
                            value=policy[name],
                        )
                    )
            if (
                policy.currency_id.compare_amounts(policy.page_plan_min_installment, 0)
                < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s: “%(field)s” cannot be negative: enter 0 "
                        "for no minimum.",
                        policy=policy.name,
                        field=label("page_plan_min_installment"),
                    )
                )
            if policy.page_offer_plan and not (
                policy.page_plan_weekly or policy.page_plan_monthly
            ):
                raise ValidationError(
                    self.env._(
                        "Policy %(policy)s offers payment plans on the customer page: "
                        "allow weekly or monthly installments, or stop offering plans.",
                        policy=policy.name,
                    )
                )

    def _page_label(self, field_name):
        return self._fields[field_name]._description_string(self.env)

    def _page_plan_frequencies(self):
        """The installment frequencies the customer may pick."""
        self.ensure_one()
        return [
            frequency
            for frequency, allowed in (
                ("weekly", self.page_plan_weekly),
                ("monthly", self.page_plan_monthly),
            )
            if allowed
        ]
