import base64

from odoo import models
from odoo.tools.image import image_data_uri


class ArFollowupAction(models.Model):
    """The customer page link in reminders: a "Pay now" button in emails, a
    QR code and a short link on letters."""

    # One file per job: ar.followup.action is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.action"

    def _ar_customer_page(self):
        self.ensure_one()
        return self.env["ar.customer.page"]._ar_page_for(
            self.partner_id, self.company_id
        )

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
