from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_fee_journal_id = fields.Many2one(
        related="company_id.ar_fee_journal_id", readonly=False
    )
    ar_fee_product_id = fields.Many2one(
        related="company_id.ar_fee_product_id", readonly=False
    )
    ar_fee_grouping = fields.Selection(
        related="company_id.ar_fee_grouping", readonly=False
    )
    ar_hold_payment_term_id = fields.Many2one(
        related="company_id.ar_hold_payment_term_id", readonly=False, check_company=True
    )
