import base64

from odoo import fields, models
from odoo.tools.image import image_data_uri


class ArFollowupAction(models.Model):
    """The customer page link in reminders: a "Pay now" button in emails, a
    QR code and a short link on letters."""

    # One file per job: ar.followup.action is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.action"

    customer_page_id = fields.Many2one(
        "ar.customer.page",
        "Collections page",
        compute="_compute_customer_page",
        compute_sudo=True,
        help="The customer's collections page in the entry's company.",
    )

    def _compute_customer_page(self):
        # All the reminders of a batch at once (a template asks each one).
        for company, actions in self.grouped("company_id").items():
            pages = self.env["ar.customer.page"]._ar_pages_for(
                actions.partner_id, company
            )
            for action in actions:
                action.customer_page_id = pages[
                    action.partner_id.commercial_partner_id.id
                ]

    def _ar_customer_page(self):
        self.ensure_one()
        return self.customer_page_id

    def _ar_customer_page_url(self):
        """The signed link to the customer's collections page."""
        return self._ar_customer_page()._ar_page_url()

    def _ar_customer_page_short_url(self):
        """The short link printed on letters."""
        return self._ar_customer_page()._ar_short_url()

    def _ar_customer_page_qr(self):
        """The short link as a QR code data URL (rendered by wkhtmltopdf)."""
        png = self.env["ir.actions.report"].barcode(
            "QR", self._ar_customer_page_short_url(), width=240, height=240
        )
        return image_data_uri(base64.b64encode(png))
