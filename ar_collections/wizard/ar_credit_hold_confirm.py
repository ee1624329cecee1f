from odoo import fields, models
from odoo.exceptions import UserError


class ArCreditHoldConfirm(models.TransientModel):
    """Posting an invoice for a customer on credit hold: post anyway or not."""

    _name = "ar.credit.hold.confirm"
    _description = "Confirm invoicing a customer on credit hold"

    move_ids = fields.Many2many("account.move", string="Invoices to post")
    held_move_ids = fields.Many2many(
        "account.move",
        "ar_credit_hold_confirm_held_rel",
        string="Invoices of customers on hold",
    )
    partner_names = fields.Char("Customers on hold", compute="_compute_partner_names")
    reason = fields.Text(
        help="Why the invoice is posted despite the hold: recorded in the "
        "customer's follow-up history.",
    )

    def _compute_partner_names(self):
        for wizard in self:
            wizard.partner_names = ", ".join(
                wizard.held_move_ids.commercial_partner_id.mapped("display_name")
            )

    def action_post_anyway(self):
        """Post, and record who decided to invoice despite the hold."""
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for posting despite the credit hold of "
                    "%(partners)s: it is recorded in the follow-up history.",
                    partners=self.partner_names,
                )
            )
        self.move_ids.with_context(ar_hold_confirmed=True).action_post()
        self.held_move_ids._ar_record_hold_decision(posted=True, reason=reason)
        return {"type": "ir.actions.act_window_close"}

    def action_keep_draft(self):
        """Leave the invoices in draft, and record the decision."""
        self.ensure_one()
        self.held_move_ids._ar_record_hold_decision(
            posted=False, reason=(self.reason or "").strip()
        )
        return {"type": "ir.actions.act_window_close"}
