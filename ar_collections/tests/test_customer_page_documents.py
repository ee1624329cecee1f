from odoo.tests import HttpCase, tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestCustomerPageInDocuments(ArCollectionsCommon):
    """Every shipped reminder email has a Pay now button to the customer's
    page, every letter a QR code and the short link."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shipped = cls.env.ref("ar_collections.ar_followup_policy_default").sudo()
        cls.policy.is_default = False
        cls.shipped = shipped.copy({"company_id": cls.company.id, "is_default": True})
        cls.partner = cls.customer("Page Link Trading")
        cls.overdue = cls.invoice(cls.partner, 640, days_overdue=32)

    def page(self):
        return self.env["ar.customer.page"].search(
            [("partner_id", "=", self.partner.id), ("company_id", "=", self.company.id)]
        )

    def test_every_shipped_email_has_a_pay_now_link(self):
        templates = self.shipped._get_levels().mail_template_id
        self.assertGreaterEqual(len(templates), 4)
        action = self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": "email",
                    "partner": self.partner,
                    "moves": self.overdue,
                }
            ]
        )
        for template in templates:
            body = template._render_field("body_html", action.ids)[action.id]
            page = self.page()
            self.assertIn(
                f"/collections/{page.id}?access_token={page.access_token}",
                body,
                template.name,
            )
            self.assertIn("Pay now", body)

    def test_reminder_sent_by_the_run_links_to_the_page_and_revoking_renews(self):
        self.run_followup()
        page = self.page()
        old_token = page.access_token
        mail = self.mails_to(self.partner)
        self.assertIn(page._ar_page_url(), mail.body_html)

        page.action_revoke()
        action = self.actions_of(self.partner, action_type="email")
        self.assertNotIn(old_token, action._ar_customer_page_url())
        self.assertIn(page.access_token, action._ar_customer_page_url())

    def test_letter_has_qr_code_and_short_link(self):
        self.overdue.ar_level_id = self.shipped._get_levels()[1]
        self.run_followup()
        letter = self.actions_of(self.partner, action_type="letter")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.action_report_followup_letter", letter.ids
            )[0]
            .decode()
        )
        page = self.page()
        self.assertIn(f"/c/{page.access_token}", html)
        self.assertRegex(
            html,
            r'name="customer_page">\s*<div class="col-auto">\s*<img [^>]*'
            r'src="data:image/png;base64,',
        )
        self.assertTrue(letter._ar_customer_page_qr().startswith("data:image/png"))


@tagged("post_install", "-at_install")
class TestCustomerPageLanguage(ArCollectionsCommon, HttpCase):
    """The page speaks the customer's language, with its date and amount formats."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["ar_collections"], ["fr_FR"], overwrite=True
        )
        cls.partner = cls.customer("Lumière Page SARL", lang="fr_FR")
        cls.overdue = cls.invoice(cls.partner, 1234.5, days_overdue=12)

    def test_page_in_french(self):
        page = self.env["ar.customer.page"]._ar_page_for(self.partner, self.company)
        response = self.url_open(page._ar_local_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Factures ouvertes", response.text)
        self.assertRegex(response.text, r"1\s?234,50")
        self.assertIn(self.overdue.invoice_date_due.strftime("%d/%m/%Y"), response.text)
