from odoo import fields, models


class ResPartner(models.Model):
    """A customer's receivable figures in the current company: totals, oldest
    overdue, highest level, next follow-up and the overdue aging buckets."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    ar_amount_due = fields.Monetary(
        "Total due", compute="_compute_ar_figures", currency_field="ar_currency_id"
    )
    ar_amount_overdue = fields.Monetary(
        "Total overdue", compute="_compute_ar_figures", currency_field="ar_currency_id"
    )
    ar_date_oldest_overdue = fields.Date(
        "Oldest overdue", compute="_compute_ar_figures"
    )
    ar_level_id = fields.Many2one(
        "ar.followup.level", "Highest level", compute="_compute_ar_figures"
    )
    ar_date_next_action = fields.Date("Next follow-up", compute="_compute_ar_figures")
    ar_currency_id = fields.Many2one("res.currency", compute="_compute_ar_currency_id")
    ar_amount_aging_1_30 = fields.Monetary(
        "1-30 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_31_60 = fields.Monetary(
        "31-60 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_61_90 = fields.Monetary(
        "61-90 days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )
    ar_amount_aging_90_plus = fields.Monetary(
        "90+ days", compute="_compute_ar_aging", currency_field="ar_currency_id"
    )

    def _compute_ar_currency_id(self):
        self.ar_currency_id = self.env.company.currency_id

    def _compute_ar_figures(self):
        """Figures of the current company, read in one grouped query."""
        commercial = self.commercial_partner_id
        rows = self.env["ar.followup.customer"].search_read(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
            ],
            [
                "partner_id",
                "amount_due",
                "amount_overdue",
                "date_oldest_overdue",
                "level_id",
                "date_next_action",
            ],
        )
        by_partner = {row["partner_id"][0]: row for row in rows}
        for partner in self:
            row = by_partner.get(partner.commercial_partner_id.id, {})
            partner.ar_amount_due = row.get("amount_due", 0.0)
            partner.ar_amount_overdue = row.get("amount_overdue", 0.0)
            partner.ar_date_oldest_overdue = row.get("date_oldest_overdue") or False
            level = row.get("level_id")
            partner.ar_level_id = level[0] if level else False
            partner.ar_date_next_action = row.get("date_next_action") or False

    def _compute_ar_aging(self):
        """Overdue buckets of the current company: one grouped read for the page."""
        self.env.flush_all()  # the report is a view over journal items
        commercial = self.commercial_partner_id
        rows = self.env["ar.aging.report"]._read_group(
            [
                ("partner_id", "in", commercial.ids),
                ("company_id", "=", self.env.company.id),
            ],
            ["partner_id"],
            [
                "amount_1_30:sum",
                "amount_31_60:sum",
                "amount_61_90:sum",
                "amount_90_plus:sum",
            ],
        )
        by_partner = {partner.id: amounts for partner, *amounts in rows}
        for partner in self:
            amounts = by_partner.get(partner.commercial_partner_id.id, [0] * 4)
            (
                partner.ar_amount_aging_1_30,
                partner.ar_amount_aging_31_60,
                partner.ar_amount_aging_61_90,
                partner.ar_amount_aging_90_plus,
            ) = amounts
