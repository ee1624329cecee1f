from odoo import fields, models
from odoo.exceptions import UserError


class ArSaleHoldConfirm(models.TransientModel):
    """Confirming a quotation of a customer on credit hold: a collections
    manager confirms it anyway, with a reason, or leaves it."""

    _name = "ar.sale.hold.confirm"
    _description = "Confirm a quotation of a customer on credit hold"

    order_ids = fields.Many2many("sale.order", string="Quotations to confirm")
    held_order_ids = fields.Many2many(
        "sale.order",
        "ar_sale_hold_confirm_held_rel",
        string="Quotations of customers on hold",
    )
    partner_names = fields.Char("Customers on hold", compute="_compute_partner_names")
    reason = fields.Text(
        help="Why the quotation is confirmed despite the hold: recorded in the "
        "customer's follow-up history.",
    )

    def _compute_partner_names(self):
        for wizard in self:
            wizard.partner_names = ", ".join(
                wizard.held_order_ids.partner_id.commercial_partner_id.mapped(
                    "display_name"
                )
            )

    def action_confirm_anyway(self):
        """Confirm, and record who decided to sell despite the hold."""
        self.ensure_one()
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for confirming despite the credit hold of "
                    "%(partners)s: it is recorded in the follow-up history.",
                    partners=self.partner_names,
                )
            )
        self.order_ids.with_context(ar_hold_override_reason=reason).action_confirm()
        return {"type": "ir.actions.act_window_close"}
