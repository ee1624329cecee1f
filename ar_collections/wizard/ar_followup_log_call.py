from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.ar_followup_action import CALL_OUTCOMES


class ArFollowupLogCall(models.TransientModel):
    """Record the outcome of a call with a customer."""

    _name = "ar.followup.log.call"
    _description = "Log a collections call"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    contact_id = fields.Many2one(
        "res.partner",
        "Spoke with",
        domain="[('id', 'child_of', partner_id)]",
    )
    outcome = fields.Selection(CALL_OUTCOMES, required=True)
    note = fields.Text()
    promise_date = fields.Date(
        "Promised date", help="Records a promise to pay for the invoices discussed."
    )
    promise_amount = fields.Monetary(
        "Promised amount",
        currency_field="promise_currency_id",
        help="Default: everything still due on the invoices discussed.",
    )
    promise_currency_id = fields.Many2one(
        "res.currency", compute="_compute_promise_currency_id"
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices discussed",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial'))]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partners = self.env["res.partner"]._ar_from_context()
        if partners:
            values["partner_id"] = partners[0].id
        return values

    @api.depends("move_ids")
    def _compute_promise_currency_id(self):
        for wizard in self:
            wizard.promise_currency_id = (
                wizard.move_ids.currency_id[:1] or wizard.company_id.currency_id
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
        amount = partner.with_company(self.company_id).ar_amount_overdue
        action = self.env["ar.followup.action"].create(
            {
                "company_id": self.company_id.id,
                "partner_id": partner.id,
                "contact_id": self.contact_id.id,
                "action_type": "call_log",
                "origin": "manual",
                "outcome": self.outcome,
                "note": self.note,
                "amount_due": amount,
                "line_ids": self.move_ids._ar_history_line_commands(),
            }
        )
        self._close_call_activities(partner, action)
        if self.outcome == "promised" and self.promise_date:
            self._record_promise(partner)
        return action._get_records_action(name=self.env._("Call logged"))

    def _record_promise(self, partner):
        moves = self.move_ids or partner._ar_overdue_moves(self.company_id)
        values = {"date_promised": self.promise_date, "channel": "phone"}
        if self.promise_amount:
            values["amount_promised"] = self.promise_amount
        if self.note:
            values["note"] = self.note
        return self.env["ar.promise"].create(
            self.env["ar.promise"]._prepare_from_moves(moves, **values)
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
