from odoo import fields, models

from .ar_payment_notice import SOURCES


class ArDispute(models.Model):
    """Where a dispute comes from: a collector, or the customer's page."""

    # One file per job: ar.dispute is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.dispute"

    source = fields.Selection(
        SOURCES,
        required=True,
        default="collector",
        readonly=True,
        index=True,
        help="Who opened the dispute: a collector, or the customer on its page.",
    )
