from odoo import fields, models
from odoo.exceptions import UserError


class ArFollowupLogCall(models.TransientModel):
    """A call outcome may say why the customer does not pay, or open disputes."""

    _inherit = "ar.followup.log.call"

    reason_id = fields.Many2one(
        "ar.nonpayment.reason",
        "Why not paid",
        help="Set on the invoices discussed, else on the customer. When the "
        "customer disputes, the reason of the disputes (default: the first "
        "reason of the “Dispute” category).",
    )

    def action_log(self):
        if self.outcome == "disputed" and not self.move_ids:
            raise UserError(
                self.env._(
                    "Select the invoices %(partner)s disputes: a dispute is "
                    "opened for each of them.",
                    partner=self.partner_id.commercial_partner_id.display_name,
                )
            )
        result = super().action_log()
        if self.outcome == "disputed":
            # The disputes set the invoices' reason and record it.
            disputes = self._open_disputes()
            if len(disputes) == 1:
                self.env["ar.followup.action"].browse(
                    result["res_id"]
                ).dispute_id = disputes
        elif self.reason_id:
            partner = self.partner_id.commercial_partner_id
            self.env["ar.nonpayment.reason"]._apply(
                self.reason_id,
                partner if not self.move_ids else partner.browse(),
                self.move_ids,
                self.note,
            )
        return result

    def _open_disputes(self):
        """A dispute for each invoice discussed, on all it still owes.

        Invoices already in open dispute keep theirs.
        """
        Dispute = self.env["ar.dispute"]
        reason = self.reason_id or Dispute._default_reason_id()
        if not reason:
            raise UserError(
                self.env._("Choose why the customer disputes the invoices.")
            )
        in_dispute = Dispute.search(
            [("move_id", "in", self.move_ids.ids), ("state", "=", "open")]
        ).move_id
        return Dispute.create(
            [
                {"move_id": move.id, "reason_id": reason.id, "note": self.note}
                for move in self.move_ids - in_dispute
            ]
        )
