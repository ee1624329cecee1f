from odoo import api, fields, models

from .ar_reference_rate import SOURCE_KIND


class ArFeeRule(models.Model):
    """A statutory rule shows when its reference rate table holds interest back."""

    _inherit = "ar.fee.rule"

    rate_warning = fields.Char(
        "Reference rate warning", compute="_compute_rate_warning"
    )

    @api.depends("active", "fee_type", "rate_source", "company_id")
    @api.depends_context("lang")
    def _compute_rate_warning(self):
        statutory = self.filtered(
            lambda r: r.active and r.fee_type == "interest" and r.rate_source != "fixed"
        )
        (self - statutory).rate_warning = False
        if not statutory:
            return
        tables = {
            table.kind: table
            for table in self.env["ar.reference.rate.kind"]._for_kinds(
                SOURCE_KIND.values()
            )
        }
        Run = self.env["ar.followup.run"]
        for rule in statutory:
            table = tables.get(SOURCE_KIND[rule.rate_source])
            rule.rate_warning = (
                table._stale_warning(Run._company_today(rule.company_id))
                if table
                else False
            )
