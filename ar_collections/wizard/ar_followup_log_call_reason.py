from odoo import fields, models


class ArFollowupLogCall(models.TransientModel):
    """A call outcome may say why the customer does not pay."""

    _inherit = "ar.followup.log.call"

    reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        "Why not paid",
        help="Set on the invoices discussed, else on the customer.",
    )

    def action_log(self):
        result = super().action_log()
        if self.reason_id:
            partner = self.partner_id.commercial_partner_id
            self.env["ar.nonpayment.reason"]._apply(
                self.reason_id,
                partner if not self.move_ids else partner.browse(),
                self.move_ids,
                self.note,
            )
        return result
