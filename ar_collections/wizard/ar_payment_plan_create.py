from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools.misc import format_date

from ..models.ar_payment_plan import FREQUENCIES


class ArPaymentPlanCreate(models.TransientModel):
    """Build a payment plan from overdue invoices of one customer."""

    _name = "ar.payment.plan.create"
    _inherit = "ar.customer.wizard.mixin"
    _description = "Create a payment plan"

    currency_id = fields.Many2one("res.currency", compute="_compute_totals")
    amount_invoices = fields.Monetary("Invoices open", compute="_compute_totals")
    split = fields.Selection(
        [("count", "Number of installments"), ("amount", "Installment amount")],
        default="count",
        required=True,
    )
    installment_count = fields.Integer("Installments", default=3)
    installment_amount = fields.Monetary("Installment amount")
    frequency = fields.Selection(FREQUENCIES, default="monthly", required=True)
    date_first = fields.Date(
        "First installment",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    amount_down_payment = fields.Monetary("Down payment")
    date_down_payment = fields.Date("Down payment due")
    fee_rule_id = fields.Many2one(
        "ar.fee.rule",
        "Plan fee rule",
        domain="[('fee_type', 'in', ('fixed', 'percent')), "
        "('company_id', '=', company_id)]",
        help="Charge a plan fee computed by this rule (fixed or percentage).",
    )
    amount_fee = fields.Monetary("Plan fee")
    schedule_preview = fields.Html(compute="_compute_schedule_preview")

    @api.depends("move_ids")
    def _compute_totals(self):
        for wizard in self:
            wizard.currency_id = (
                wizard.move_ids.currency_id[:1] or wizard.company_id.currency_id
            )
            wizard.amount_invoices = sum(wizard.move_ids.mapped("amount_residual"))

    @api.onchange("fee_rule_id", "move_ids")
    def _onchange_fee_rule(self):
        rule = self.fee_rule_id
        if not rule:
            return
        if rule.fee_type == "fixed":
            self.amount_fee = rule.currency_id._convert(
                rule.amount_fixed,
                self.currency_id,
                self.company_id,
                fields.Date.context_today(self),
            )
        else:
            self.amount_fee = self.currency_id.round(
                self.amount_invoices * rule.percent / 100
            )

    def _installments(self):
        kwargs = {
            "down_payment": Decimal(str(self.amount_down_payment or 0)),
            "down_payment_date": self.date_down_payment or None,
        }
        if self.split == "count":
            kwargs["count"] = self.installment_count
        else:
            kwargs["amount"] = Decimal(str(self.installment_amount or 0))
        return self.env["ar.payment.plan"]._build_schedule(
            self.amount_invoices + (self.amount_fee or 0),
            self.currency_id,
            self.date_first,
            self.frequency,
            **kwargs,
        )

    @api.depends(
        "move_ids",
        "split",
        "installment_count",
        "installment_amount",
        "frequency",
        "date_first",
        "amount_down_payment",
        "date_down_payment",
        "amount_fee",
    )
    def _compute_schedule_preview(self):
        for wizard in self:
            try:
                installments = wizard._installments() if wizard.move_ids else []
            except UserError as error:
                wizard.schedule_preview = f"<p class='text-danger'>{error}</p>"
                continue
            rows = "".join(
                f"<tr><td>{index}</td><td>{format_date(self.env, inst.date_due)}</td>"
                f"<td class='text-end'>"
                f"{wizard.currency_id.format(float(inst.amount))}</td></tr>"
                for index, inst in enumerate(installments, start=1)
            )
            head = self.env._(
                "<th>#</th><th>Due date</th><th class='text-end'>Amount</th>"
            )
            wizard.schedule_preview = (
                "<table class='table table-sm'>"
                f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
            )

    def action_create(self):
        self.ensure_one()
        Plan = self.env["ar.payment.plan"]
        Plan._check_moves(self.move_ids)
        if self.amount_fee < 0:
            raise UserError(self.env._("The plan fee cannot be negative."))
        installments = self._installments()
        policy = self.partner_id._ar_get_policy(self.company_id)
        plan = Plan.create(
            {
                "company_id": self.company_id.id,
                "partner_id": self.move_ids.commercial_partner_id.id,
                "currency_id": self.currency_id.id,
                "move_ids": [Command.set(self.move_ids.ids)],
                "frequency": self.frequency,
                "date_first": self.date_first,
                "amount_down_payment": self.amount_down_payment,
                "amount_fee": self.amount_fee,
                "amount_total": self.amount_invoices + (self.amount_fee or 0),
                "tolerance_days": policy.plan_tolerance_days if policy else 5,
                "reminder_days": policy.installment_reminder_days if policy else 3,
            }
        )
        plan._set_schedule(installments)
        return plan._get_records_action(name=self.env._("Payment plan"))
