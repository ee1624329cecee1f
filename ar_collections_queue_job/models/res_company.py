from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_run_on_queue = fields.Boolean(
        "Follow-up run on the job queue",
        help="The daily follow-up run is split into batch jobs of the job queue, "
        "done by as many Odoo workers as the channel root.ar_collections allows. "
        "Needs the job runner: start Odoo with --load=web,queue_job; otherwise "
        "the jobs wait and no customer is followed up.",
    )
