from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ar_run_on_queue = fields.Boolean(
        related="company_id.ar_run_on_queue", readonly=False
    )
