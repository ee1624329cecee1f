from odoo import api, fields, models
from odoo.exceptions import UserError


class ArFeeWaive(models.TransientModel):
    """Waive late fees: a credit note per fee document and a history entry."""

    _name = "ar.fee.waive"
    _description = "Waive late fees"

    fee_ids = fields.Many2many("ar.fee", string="Fees", required=True)
    reason = fields.Text(required=True)
    amount_total = fields.Char("Total", compute="_compute_amount_total")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "ar.fee":
            values["fee_ids"] = [
                fields.Command.set(self.env.context.get("active_ids") or [])
            ]
        return values

    @api.depends("fee_ids")
    def _compute_amount_total(self):
        for wizard in self:
            wizard.amount_total = ", ".join(
                currency.format(sum(fees.mapped("amount")))
                for currency, fees in wizard.fee_ids.grouped("currency_id").items()
            )

    def action_waive(self):
        self.ensure_one()
        if not self.fee_ids:
            raise UserError(self.env._("Select the fees to waive."))
        if len(self.fee_ids) > 1 and not self.env.user.has_group(
            "ar_collections.ar_collections_group_manager"
        ):
            raise UserError(
                self.env._(
                    "Only Collections Managers can waive several fees at once: "
                    "waive them one by one, or ask a manager."
                )
            )
        self.fee_ids._waive(self.reason)
        return {"type": "ir.actions.act_window_close"}
