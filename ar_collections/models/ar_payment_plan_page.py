from odoo import api, fields, models

from .ar_payment_notice import SOURCES


class ArPaymentPlan(models.Model):
    """Payment plans a customer requested on its page, with its signature.

    The evidence (name typed, when, from which address) is kept as the
    customer gave it; the daily commitments check also looks at payment
    notices.
    """

    # One file per job: ar.payment.plan is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.payment.plan"

    source = fields.Selection(
        SOURCES,
        required=True,
        default="collector",
        readonly=True,
        index=True,
        help="Who set the plan up: a collector, or the customer on its page.",
    )
    signed_by = fields.Char(
        "Signed by", readonly=True, help="The name the customer typed to accept."
    )
    date_signed = fields.Datetime("Signed on", readonly=True)
    signed_ip = fields.Char("Signed from (IP)", readonly=True)
    signed_user_agent = fields.Char("Signed with (browser)", readonly=True)

    @api.model
    def _cron_check_commitments(self):
        result = super()._cron_check_commitments()
        self.env["ar.payment.notice"]._cron_check_notices()
        return result
