from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine import LevelSpec, PolicySpec
from ..engine.errors import PolicyError
from .engine_messages import engine_message


class ArFollowupPolicy(models.Model):
    """A company's way of chasing overdue invoices: ordered escalating levels."""

    _name = "ar.followup.policy"
    _description = "Follow-up policy"
    _order = "company_id, is_default desc, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    is_default = fields.Boolean(
        "Company default",
        help="Used for every customer of the company that has no policy of its own.",
    )
    level_ids = fields.One2many("ar.followup.level", "policy_id", "Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    minimum_amount = fields.Monetary(
        "Minimum overdue amount",
        help="Customers whose overdue total (company currency) is below this "
        "amount are not chased.",
    )
    grace_days = fields.Integer(
        help="Days after the due date during which no overdue level is reached. "
        "Courtesy reminders (negative delays) are not affected.",
    )
    allow_level_skip = fields.Boolean(
        "Allow skipping levels",
        help="When set, an invoice goes straight to the highest level its days "
        "overdue deserve. By default it climbs one level per run, so the customer "
        "always gets the first reminder first.",
    )
    min_days_between = fields.Integer(
        "Minimum days between messages",
        help="At least this many days between two follow-up messages to the same "
        "customer, whatever their invoices' levels (0: only the levels' own "
        "spacing). A reminder sent by hand counts too.",
    )
    plan_tolerance_days = fields.Integer(
        "Installment tolerance (days)",
        default=5,
        help="A payment plan breaks when an installment is still unpaid this many "
        "days after its due date.",
    )
    installment_reminder_days = fields.Integer(
        "Remind installments (days before)",
        default=3,
        help="Email the customer this many days before each installment (0: none).",
    )
    statement_max_age_days = fields.Integer(
        "Bank statement age limit",
        help="Days since the last bank statement line after which the run warns "
        "(or skips the company): reminders sent before payments are reconciled "
        "reach customers who have already paid. 0 disables the check.",
    )
    statement_gate = fields.Selection(
        [("warn", "Warn in the run"), ("skip", "Skip the company")],
        "When statements are old",
        default="warn",
        required=True,
    )

    _one_default_per_company = models.UniqueIndex(
        "(company_id) WHERE is_default AND active",
        "A company can have only one default follow-up policy.",
    )
    _grace_days_positive = models.Constraint(
        "CHECK (grace_days >= 0)", "Grace days cannot be negative."
    )
    _min_days_between_positive = models.Constraint(
        "CHECK (min_days_between >= 0)",
        "The minimum days between messages cannot be negative.",
    )
    _minimum_amount_positive = models.Constraint(
        "CHECK (minimum_amount >= 0)", "The minimum overdue amount cannot be negative."
    )
    _statement_age_positive = models.Constraint(
        "CHECK (statement_max_age_days >= 0)",
        "The bank statement age limit cannot be negative.",
    )

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    @api.constrains("level_ids", "active")
    def _check_levels(self):
        """An active policy is one the engine can follow (see ``_to_spec``)."""
        for policy in self.filtered("active"):
            policy._to_spec()

    def _get_levels(self):
        """Levels in escalation order."""
        self.ensure_one()
        return self.level_ids.sorted(lambda lv: (lv.sequence, lv.id))

    def _to_spec(self):
        """The policy as plain values for the engine.

        The engine owns the rules a policy must follow (at least one level,
        strictly increasing days...); its refusal comes back as a sentence
        naming the policy and the level, in the user's language.
        """
        self.ensure_one()
        levels = self._get_levels()
        try:
            return PolicySpec(
                levels=tuple(
                    LevelSpec(lv.id, lv.delay, lv.payment_days) for lv in levels
                ),
                grace_days=self.grace_days,
                minimum_amount=Decimal(
                    str(self.currency_id.round(self.minimum_amount))
                ),
                allow_skip=self.allow_level_skip,
                min_days_between=self.min_days_between,
            )
        except PolicyError as error:
            names = {lv.id: lv.name for lv in levels}
            raise ValidationError(
                engine_message(
                    self.env,
                    error,
                    self.currency_id,
                    policy=self.name,
                    level=names.get(error.values.get("level_id"), ""),
                    previous=names.get(error.values.get("previous_id"), ""),
                )
            ) from error

    def _copy_to_company(self, company):
        """This policy, its levels and their templates, as ``company``'s default.

        The levels' fee rules belong to this policy's company: the copy has
        none (a company's fee rules are its own); nor does it keep payment
        terms of this company (shared ones are kept).
        """
        self.ensure_one()
        # Archived until it has its levels: an active policy needs one.
        policy = self.copy(
            {
                "company_id": company.id,
                "is_default": True,
                "active": False,
                "level_ids": [],
            }
        )
        for level in self.level_ids:
            term = level.payment_term_id.filtered(lambda t: not t.company_id)
            level.copy(
                {"policy_id": policy.id, "fee_rule_ids": [], "payment_term_id": term.id}
            )
        policy.active = True
        return policy

    @api.model
    def _get_company_default(self, company):
        """The default policy of ``company`` (may be empty)."""
        return self.sudo().search(
            [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
        )

    def action_preview_run(self):
        """Open what today's run would do for this policy's company."""
        self.ensure_one()
        return self.env["ar.followup.preview"].action_open(self.company_id)
