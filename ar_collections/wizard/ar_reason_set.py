from odoo import api, fields, models
from odoo.exceptions import UserError


class ArReasonSet(models.TransientModel):
    """Set (or clear) why selected invoices, or a customer, are not paid."""

    _name = "ar.reason.set"
    _description = "Set a non-payment reason"

    reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        help="Leave empty to clear the reason.",
    )
    partner_id = fields.Many2one("res.partner", "Customer")
    move_ids = fields.Many2many("account.move", string="Invoices")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            values["move_ids"] = [fields.Command.set(context["active_ids"])]
        else:
            partners = self.env["res.partner"]._ar_from_context()
            if partners:
                values["partner_id"] = partners[0].id
        return values

    def action_apply(self):
        """Write the reason and note it in the history."""
        self.ensure_one()
        if not self.move_ids and not self.partner_id:
            raise UserError(
                self.env._("Select the invoices or the customer to set a reason on.")
            )
        self.env["ar.nonpayment.reason"]._apply(
            self.reason_id, self.partner_id, self.move_ids, self.note
        )
        return {"type": "ir.actions.act_window_close"}
