from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_is_zero
from odoo.tools.misc import format_amount, formatLang

from ..engine.fees import FeeRuleSpec

FEE_TYPES = [
    ("fixed", "Fixed fee"),
    ("percent", "Percentage of the overdue amount"),
    ("interest", "Interest"),
]
CHARGE_ON = [
    ("level", "When an invoice reaches a level using this rule"),
    ("overdue", "Once, as soon as the invoice is overdue"),
    ("monthly", "Every month (interest for each month that has ended)"),
]
RATE_SOURCES = [
    ("fixed", "Fixed annual rate"),
    ("eu", "ECB reference rate of the half-year (EU directive 2011/7/EU)"),
    ("uk", "Bank of England base rate (UK Late Payment Act)"),
    ("de", "German base rate (BGB §288)"),
]
COMPENSATIONS = [
    ("none", "No fixed sum"),
    ("fixed", "Fixed sum per invoice"),
    ("uk_scale", "40 / 70 / 100 by debt size (UK Late Payment Act)"),
]


class ArFeeRule(models.Model):
    """How a late fee or interest is computed, for one company."""

    _name = "ar.fee.rule"
    _description = "Late fee rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the fixed amounts, minimum and maximum. Fees on invoices "
        "in another currency are converted at Odoo's rate of the fee date.",
    )
    fee_type = fields.Selection(FEE_TYPES, "Type", required=True, default="fixed")
    charge_on = fields.Selection(CHARGE_ON, "Charge", required=True, default="level")
    fixed_per = fields.Selection(
        [("invoice", "Per invoice (once)"), ("reminder", "Per reminder level")],
        "Fixed fee charged",
        default="invoice",
        required=True,
    )
    amount_fixed = fields.Monetary("Fixed fee")
    percent = fields.Float("Percentage", digits=(16, 4))
    rate_source = fields.Selection(
        RATE_SOURCES, "Interest rate", default="fixed", required=True
    )
    annual_rate = fields.Float("Annual rate (%)", digits=(16, 4))
    margin = fields.Float(
        "Points over the reference rate",
        digits=(16, 4),
        help="E.g. 8 for the EU directive and the UK Act, 9 for BGB §288 (B2B).",
    )
    margin_consumer = fields.Float(
        "Points for consumers",
        digits=(16, 4),
        help="Used instead for customers that are not companies (e.g. 5 for BGB "
        "§288); 0 keeps the points above.",
    )
    day_count = fields.Selection(
        [("365", "Actual/365"), ("360", "Actual/360")],
        "Day count",
        default="365",
        required=True,
    )
    grace_days = fields.Integer(
        "Grace days", help="Days after the due date before fees or interest start."
    )
    amount_min = fields.Monetary(
        "Minimum fee", help="A fee below this amount is not charged."
    )
    amount_max = fields.Monetary(
        "Maximum fee", help="At most this much per invoice from this rule (0: none)."
    )
    max_percent = fields.Float(
        "Maximum (% of invoice)",
        digits=(16, 4),
        help="At most this percent of the invoice total per invoice (0: none).",
    )
    customer_scope = fields.Selection(
        [
            ("business", "Business customers only"),
            ("all", "Also consumers who agreed to fees"),
        ],
        "Customers",
        default="business",
        required=True,
        help="Consumers are charged only when flagged on their Collections tab as "
        "having agreed to fees.",
    )
    compensation = fields.Selection(
        COMPENSATIONS,
        "Statutory fixed sum",
        default="none",
        required=True,
        help="Compensation for recovery costs, once per invoice, business "
        "customers only.",
    )
    amount_compensation = fields.Monetary("Fixed sum")
    level_ids = fields.Many2many(
        "ar.followup.level",
        "ar_followup_level_fee_rule_rel",
        "rule_id",
        "level_id",
        "Levels",
    )
    description = fields.Char("Summary", compute="_compute_description")

    @api.depends(
        "fee_type",
        "charge_on",
        "fixed_per",
        "amount_fixed",
        "percent",
        "rate_source",
        "annual_rate",
        "margin",
        "margin_consumer",
        "grace_days",
        "amount_min",
        "amount_max",
        "max_percent",
        "compensation",
        "amount_compensation",
        "currency_id",
    )
    @api.depends_context("lang")
    def _compute_description(self):
        """What the rule charges, in one line: amounts in the rule's currency
        and numbers in the user's language; parts that do not apply are left
        out (never a "0.0" or "None")."""
        for rule in self:
            parts = [rule._describe_charge()]
            if rule.grace_days:
                parts.append(
                    self.env._("after %(days)s grace days", days=rule.grace_days)
                )
            if rule.amount_min:
                parts.append(
                    self.env._(
                        "minimum %(amount)s", amount=rule._money(rule.amount_min)
                    )
                )
            if rule.amount_max:
                parts.append(
                    self.env._(
                        "at most %(amount)s", amount=rule._money(rule.amount_max)
                    )
                )
            if rule.max_percent:
                parts.append(
                    self.env._(
                        "at most %(percent)s%% of the invoice",
                        percent=rule._number(rule.max_percent),
                    )
                )
            compensation = rule._describe_compensation()
            if compensation:
                parts.append(compensation)
            rule.description = "; ".join(part for part in parts if part)

    def _money(self, amount, trailing_zeroes=True):
        """``amount`` in the rule's currency, formatted for the user's language."""
        return format_amount(
            self.env, amount, self.currency_id, trailing_zeroes=trailing_zeroes
        )

    def _number(self, value):
        """A rate or percentage in the user's language, without useless zeros
        (8 -> "8", 11.15 -> "11.15")."""
        digits = next(
            (
                d
                for d in range(4)
                if float_is_zero(value - round(value, d), precision_digits=6)
            ),
            4,
        )
        return formatLang(self.env, value, digits=digits)

    def _describe_charge(self):
        """The fee, percentage or rate itself."""
        self.ensure_one()
        if self.fee_type == "fixed":
            if not self.amount_fixed:
                return ""
            if self.fixed_per == "reminder" and self.charge_on == "level":
                return self.env._(
                    "%(amount)s per reminder level",
                    amount=self._money(self.amount_fixed),
                )
            return self.env._(
                "%(amount)s per invoice", amount=self._money(self.amount_fixed)
            )
        if self.fee_type == "percent":
            return self.env._(
                "%(percent)s%% of the overdue amount",
                percent=self._number(self.percent),
            )
        if self.rate_source == "fixed":
            return self.env._("%(rate)s%% a year", rate=self._number(self.annual_rate))
        reference = {
            "eu": self.env._("ECB reference rate"),
            "uk": self.env._("Bank of England base rate"),
            "de": self.env._("German base rate"),
        }[self.rate_source]
        if self.margin_consumer:
            return self.env._(
                "%(reference)s + %(points)s points a year "
                "(consumers: + %(consumer_points)s)",
                reference=reference,
                points=self._number(self.margin),
                consumer_points=self._number(self.margin_consumer),
            )
        return self.env._(
            "%(reference)s + %(points)s points a year",
            reference=reference,
            points=self._number(self.margin),
        )

    def _describe_compensation(self):
        """The statutory fixed sum for recovery costs, if the rule adds one."""
        self.ensure_one()
        if self.compensation == "fixed" and self.amount_compensation:
            return self.env._(
                "plus %(amount)s per invoice",
                amount=self._money(self.amount_compensation),
            )
        if self.compensation == "uk_scale":
            # The Act's sums, in the rule's currency (GBP for the ready rule).
            sums = " / ".join(
                self._money(amount, trailing_zeroes=False) for amount in (40, 70, 100)
            )
            return self.env._("plus %(sums)s per invoice by debt size", sums=sums)
        return ""

    # ------------------------------------------------------------------
    # Validation
    # ------------------------------------------------------------------

    @api.constrains(
        "fee_type",
        "charge_on",
        "fixed_per",
        "amount_fixed",
        "percent",
        "rate_source",
        "annual_rate",
        "margin",
        "grace_days",
        "amount_min",
        "amount_max",
        "max_percent",
        "compensation",
        "amount_compensation",
    )
    def _check_configuration(self):
        for rule in self:
            problem = rule._configuration_problem()
            if problem:
                raise ValidationError(
                    self.env._(
                        "Fee rule “%(rule)s”: %(problem)s",
                        rule=rule.name,
                        problem=problem,
                    )
                )

    def _configuration_problem(self):
        """The first thing wrong with this rule, as a sentence, or None."""
        self.ensure_one()
        if self.fee_type == "fixed" and self.amount_fixed <= 0:
            return self.env._("a fixed fee needs a “Fixed fee” amount above zero.")
        if self.fee_type == "percent" and not 0 < self.percent <= 100:
            return self.env._("the “Percentage” must be between 0 and 100.")
        if self.fee_type == "interest":
            if self.charge_on == "overdue":
                return self.env._(
                    "interest accrues over time: charge it “Every month” or “When "
                    "an invoice reaches a level”."
                )
            if self.rate_source == "fixed" and not 0 < self.annual_rate <= 100:
                return self.env._("the “Annual rate” must be between 0 and 100%.")
            if self.rate_source != "fixed" and self.margin < 0:
                return self.env._(
                    "the points over the reference rate cannot be negative."
                )
        elif self.charge_on == "monthly":
            return self.env._("only interest can be charged every month.")
        if self.fixed_per == "reminder" and self.fee_type == "fixed":
            if self.charge_on != "level":
                return self.env._(
                    "a fee per reminder level must be charged “When an invoice "
                    "reaches a level”."
                )
        if self.grace_days < 0:
            return self.env._("“Grace days” cannot be negative.")
        if self.amount_min < 0 or self.amount_max < 0 or self.max_percent < 0:
            return self.env._("the minimum and maximum fees cannot be negative.")
        if self.amount_max and self.amount_min > self.amount_max:
            return self.env._("the “Minimum fee” is above the “Maximum fee”.")
        if self.max_percent > 100:
            return self.env._("the “Maximum (% of invoice)” cannot exceed 100.")
        if self.compensation == "fixed" and self.amount_compensation <= 0:
            return self.env._("a statutory fixed sum needs an amount above zero.")
        return None

    # ------------------------------------------------------------------
    # Engine
    # ------------------------------------------------------------------

    def _to_spec(self, currency, date):
        """This rule as the engine sees it, amounts in ``currency`` on ``date``."""
        self.ensure_one()

        def convert(amount):
            if not amount:
                return None
            value = self.currency_id._convert(
                amount, currency, self.company_id, date, round=False
            )
            return Decimal(str(value))

        return FeeRuleSpec(
            rule_id=self.id,
            fee_type=self.fee_type,
            charge_on=self.charge_on,
            fixed_per=self.fixed_per,
            amount=convert(self.amount_fixed) or Decimal(0),
            percent=Decimal(str(self.percent)),
            rate_source=self.rate_source,
            annual_rate=Decimal(str(self.annual_rate)),
            margin=Decimal(str(self.margin)),
            margin_consumer=Decimal(str(self.margin_consumer))
            if self.margin_consumer
            else None,
            days_in_year=int(self.day_count),
            grace_days=self.grace_days,
            minimum=convert(self.amount_min),
            maximum=convert(self.amount_max),
            maximum_percent=Decimal(str(self.max_percent))
            if self.max_percent
            else None,
            business_only=self.customer_scope == "business",
            compensation=self.compensation,
            compensation_amount=convert(self.amount_compensation) or Decimal(0),
            uk_scale_rate=convert(1.0) or Decimal(1),
        )

    @api.model
    def _install_statutory_rules(self, companies=None):
        """Ready statutory rules (archived) for ``companies`` (default: every
        company) that have none."""
        self = self.sudo()
        if companies is None:
            # Must see every company.
            # pylint: disable-next=no-search-all
            companies = self.env["res.company"].search([])
        for company in companies:
            if self.with_context(active_test=False).search_count(
                [("company_id", "=", company.id), ("rate_source", "!=", "fixed")],
                limit=1,
            ):
                continue
            self.create(self._statutory_rule_vals(company))

    @api.model
    def _statutory_rule_vals(self, company):
        eur = self.env.ref("base.EUR")
        gbp = self.env.ref("base.GBP")
        common = {
            "company_id": company.id,
            "active": False,
            "fee_type": "interest",
            "charge_on": "monthly",
            "customer_scope": "business",
        }
        return [
            dict(
                common,
                name=self.env._("EU late payment interest (2011/7/EU)"),
                currency_id=eur.id,
                rate_source="eu",
                margin=8.0,
                compensation="fixed",
                amount_compensation=40.0,
            ),
            dict(
                common,
                name=self.env._("UK statutory interest (Late Payment Act)"),
                currency_id=gbp.id,
                rate_source="uk",
                margin=8.0,
                compensation="uk_scale",
            ),
            dict(
                common,
                name=self.env._("Germany default interest (BGB §288)"),
                currency_id=eur.id,
                rate_source="de",
                margin=9.0,
                margin_consumer=5.0,
                customer_scope="all",
                compensation="fixed",
                amount_compensation=40.0,
            ),
        ]
