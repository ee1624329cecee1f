from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ar_followup_action import CALL_OUTCOMES


class ArFollowupLogCall(models.TransientModel):
    """Record the outcome of a call with a customer.

    The call goes into the history with the invoices discussed; a promise
    made on the phone becomes a promise to pay, a dispute opens disputes.
    """

    _name = "ar.followup.log.call"
    _inherit = "ar.customer.wizard.mixin"
    _description = "Log a collections call"

    contact_id = fields.Many2one(
        "res.partner",
        "Spoke with",
        domain="[('id', 'child_of', partner_id)]",
    )
    outcome = fields.Selection(CALL_OUTCOMES, required=True)
    note = fields.Text()
    promise_date = fields.Date(
        "Promised date",
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
        help="Records a promise to pay for the invoices discussed.",
    )
    promise_amount = fields.Monetary(
        "Promised amount",
        currency_field="promise_currency_id",
        compute="_compute_promise_amount",
        store=True,
        readonly=False,
        help="Starts at what is overdue on the invoices discussed (all the "
        "customer's overdue invoices if none is selected).",
    )
    promise_currency_id = fields.Many2one(
        "res.currency", compute="_compute_promise_currency_id"
    )
    move_ids = fields.Many2many(string="Invoices discussed")

    @api.model
    def _ar_customer_from_context(self, company):
        """The customer called; the collector picks the invoices discussed."""
        return self.env["res.partner"]._ar_from_context()[:1], self.env["account.move"]

    def _promise_moves(self):
        """Invoices a promise made on this call covers."""
        self.ensure_one()
        if self.move_ids or not self.partner_id:
            return self.move_ids
        partner = self.partner_id.commercial_partner_id
        return partner._ar_overdue_moves(self.company_id)

    @api.depends("move_ids", "partner_id", "company_id")
    def _compute_promise_currency_id(self):
        for wizard in self:
            wizard.promise_currency_id = (
                wizard._promise_moves().currency_id[:1] or wizard.company_id.currency_id
            )

    @api.depends("move_ids", "partner_id", "company_id")
    def _compute_promise_amount(self):
        for wizard in self:
            wizard.promise_amount = self.env["ar.promise"]._amount_asked(
                wizard._promise_moves()
            )

    def action_log(self):
        """Add the call to the history and close the planned call activities."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if self.move_ids.commercial_partner_id - partner:
            raise UserError(
                self.env._(
                    "The invoices discussed must belong to %(partner)s.",
                    partner=partner.display_name,
                )
            )
        if self.outcome == "promised":
            self._check_promise()
        amount = partner.with_company(self.company_id).ar_amount_overdue
        action = self.env["ar.followup.action"]._record(
            "call_log",
            partner,
            company=self.company_id,
            moves=self.move_ids,
            note=self.note,
            contact_id=self.contact_id.id,
            outcome=self.outcome,
            amount_due=amount,
        )
        self._close_call_activities(partner, action)
        if self.outcome == "promised":
            action.promise_id = self._record_promise()
        return action._get_records_action(name=self.env._("Call logged"))

    def _check_promise(self):
        """A promise needs a date, an amount above zero and invoices."""
        if not self.promise_date:
            raise UserError(
                self.env._("Enter the date the customer promised to pay by.")
            )
        if self.promise_date < fields.Date.context_today(self):
            raise UserError(
                self.env._("The promised date is in the past: choose today or later.")
            )
        self.env["ar.promise"]._check_amount_promised(
            self.promise_amount, self.promise_currency_id
        )

    def _record_promise(self):
        values = {
            "date_promised": self.promise_date,
            "amount_promised": self.promise_amount,
            "channel": "phone",
        }
        if self.note:
            values["note"] = self.note
        return self.env["ar.promise"].create(
            self.env["ar.promise"]._prepare_from_moves(self._promise_moves(), **values)
        )

    def _close_call_activities(self, partner, action):
        call_type = self.env.ref("ar_collections.mail_activity_type_collection_call")
        activities = self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("activity_type_id", "=", call_type.id),
            ]
        )
        outcome = dict(CALL_OUTCOMES)[self.outcome]
        if activities:
            activities.action_feedback(feedback=f"{outcome}. {self.note or ''}".strip())
        return action
