from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date


class ArFollowupSnooze(models.TransientModel):
    """Leave customers alone until a date."""

    _name = "ar.followup.snooze"
    _description = "Snooze follow-up"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    date_until = fields.Date("Do not chase before", required=True)
    note = fields.Text("Why")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        partners = self.env["res.partner"]._ar_from_context()
        if partners:
            values["partner_ids"] = [fields.Command.set(partners.ids)]
        return values

    def action_snooze(self):
        """Set the date and record it in each customer's history."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.date_until <= today:
            raise UserError(
                self.env._(
                    "“Do not chase before” must be a future date (today is %(today)s).",
                    today=format_date(self.env, today),
                )
            )
        partners = self.partner_ids.commercial_partner_id
        # Collectors may snooze without the right to edit partners' other fields.
        partners.with_company(self.env.company).sudo().ar_snooze_until = self.date_until
        note = self.env._(
            "Not chased before %(date)s. %(why)s",
            date=format_date(self.env, self.date_until),
            why=self.note or "",
        ).strip()
        self.env["ar.followup.action"]._record_many(
            [
                {"action_type": "snooze", "partner": partner, "note": note}
                for partner in partners
            ]
        )
        return {"type": "ir.actions.act_window_close"}
