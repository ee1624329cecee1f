from odoo import api, fields, models
from odoo.exceptions import UserError


class ArFollowupExclude(models.TransientModel):
    """Exclude invoices from follow-up, with the reason kept."""

    _name = "ar.followup.exclude"
    _description = "Exclude invoices from follow-up"

    move_ids = fields.Many2many("account.move", string="Invoices", required=True)
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            values["move_ids"] = [fields.Command.set(context["active_ids"])]
        return values

    def action_exclude(self):
        """Flag the invoices (Odoo's own “No Follow-Up”) and record who and why."""
        self.ensure_one()
        moves = self.move_ids
        wrong = moves.filtered(
            lambda m: m.move_type != "out_invoice" or m.state != "posted"
        )
        if wrong:
            raise UserError(
                self.env._(
                    "Only posted customer invoices can be excluded from follow-up: "
                    "%(moves)s.",
                    moves=", ".join(wrong.mapped("display_name")),
                )
            )
        today = fields.Date.context_today(self)
        moves.write(
            {
                "no_followup": True,
                "ar_exclusion_reason": self.reason,
                "ar_excluded_by_id": self.env.uid,
                "ar_date_excluded": today,
                "ar_date_next_action": False,
                "ar_followup_paused": True,
            }
        )
        self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": "exclusion",
                    "partner": partner,
                    "company": company,
                    "moves": partner_moves,
                    "note": self.reason,
                }
                for (company, partner), partner_moves in moves.grouped(
                    lambda m: (m.company_id, m.commercial_partner_id)
                ).items()
            ]
        )
        return {"type": "ir.actions.act_window_close"}
