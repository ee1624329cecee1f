from odoo import api, fields, models


class ArFollowupRun(models.Model):
    _inherit = "ar.followup.run"

    sms_count = fields.Integer("SMS", compute="_compute_sms_count")

    @api.depends("action_ids.state", "action_ids.action_type")
    def _compute_sms_count(self):
        """SMS recorded by the run, sent or failed (as its other counts)."""
        counts = dict(
            self.env["ar.followup.action"]._read_group(
                [
                    ("run_id", "in", self.ids),
                    ("action_type", "=", "sms"),
                    ("state", "in", ("done", "failed")),
                ],
                ["run_id"],
                ["__count"],
            )
        )
        for run in self:
            run.sms_count = counts.get(run, 0)
