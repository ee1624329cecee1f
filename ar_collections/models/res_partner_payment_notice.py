from odoo import fields, models


class ResPartner(models.Model):
    """The customer's payment notices, from its Collections tab."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    ar_payment_notice_count = fields.Integer(
        "Payment notices",
        compute="_compute_ar_payment_notice_count",
        groups="ar_collections.ar_collections_group_user",
    )

    def _compute_ar_payment_notice_count(self):
        counts = dict(
            self.env["ar.payment.notice"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.ar_payment_notice_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def action_ar_open_payment_notices(self):
        self.ensure_one()
        return self._ar_open_commitments("ar_collections.ar_payment_notice_action")
