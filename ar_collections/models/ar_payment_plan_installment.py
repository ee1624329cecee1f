from odoo import api, fields, models
from odoo.exceptions import UserError


class ArPaymentPlanInstallment(models.Model):
    _name = "ar.payment.plan.installment"
    _description = "Payment plan installment"
    _order = "plan_id, sequence, id"

    plan_id = fields.Many2one(
        "ar.payment.plan", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="plan_id.partner_id", store=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(
        related="plan_id.state", store=True, string="Plan status"
    )
    sequence = fields.Integer()
    date_due = fields.Date("Due date", required=True, index=True)
    amount = fields.Monetary(required=True)
    amount_paid = fields.Monetary("Paid", readonly=True)
    state = fields.Selection(
        [("open", "To pay"), ("partial", "Partly paid"), ("paid", "Paid")],
        compute="_compute_state",
        store=True,
    )
    is_late = fields.Boolean(compute="_compute_is_late", search="_search_is_late")
    date_reminder_sent = fields.Date(readonly=True)
    date_missed_sent = fields.Date(readonly=True)

    @api.depends("amount", "amount_paid")
    def _compute_state(self):
        for installment in self:
            currency = installment.currency_id
            if (
                currency.compare_amounts(installment.amount_paid, installment.amount)
                >= 0
            ):
                installment.state = "paid"
            elif currency.compare_amounts(installment.amount_paid, 0) > 0:
                installment.state = "partial"
            else:
                installment.state = "open"

    def _compute_is_late(self):
        today = fields.Date.context_today(self)
        for installment in self:
            installment.is_late = (
                installment.state != "paid" and installment.date_due < today
            )

    def _search_is_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search late installments with = True/False."))
        today = fields.Date.context_today(self)
        late = ["&", ("state", "!=", "paid"), ("date_due", "<", today)]
        positive = (operator == "=") == value
        return late if positive else ["!", *late]

    @api.depends_context("lang")
    @api.depends("partner_id.name", "amount", "currency_id", "plan_id.name", "sequence")
    def _compute_display_name(self):
        # Read on a calendar card, which sits on the due date and is cut at its
        # end in a month's narrow cell: how much, who pays, then which plan.
        for installment in self:
            installment.display_name = self.env._(
                "%(amount)s · %(customer)s · %(plan)s #%(number)s",
                customer=installment.partner_id.name or "",
                amount=installment.currency_id.format(installment.amount)
                if installment.currency_id
                else installment.amount,
                plan=installment.plan_id.name or "",
                number=installment.sequence,
            )
