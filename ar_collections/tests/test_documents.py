from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestShippedTemplatesAndLetters(ArCollectionsCommon):
    """The shipped policy, its emails and its letter, rendered for real."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        shipped = cls.env.ref("ar_collections.ar_followup_policy_default").sudo()
        cls.policy.is_default = False
        cls.shipped = shipped.copy({"company_id": cls.company.id, "is_default": True})
        cls.partner = cls.customer("Iris Trading")
        cls.contact = cls.person(cls.partner, "Iris Payables")
        cls.partner.ar_contact_id = cls.contact
        cls.overdue = cls.invoice(cls.partner, 1234.5, days_overdue=32)
        cls.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )

    def test_reminder_email_lists_invoices_and_total(self):
        self.run_followup()
        email = self.actions_of(self.partner, action_type="email")
        self.assertEqual(email.level_id.name, "Friendly reminder")
        mail = self.mails_to(self.partner)
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertIn("Iris Payables", mail.body_html)
        self.assertIn(self.overdue.name, mail.body_html)
        self.assertIn("1,234.50", mail.body_html)
        self.assertIn(self.company.name, mail.subject)

    def test_letter_is_printed_as_pdf_and_kept(self):
        levels = self.shipped._get_levels()
        self.overdue.ar_level_id = levels[1]  # firm reminder: next is the formal notice
        self.run_followup()
        letter = self.actions_of(self.partner, action_type="letter")
        self.assertEqual(letter.letter_state, "to_print")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.action_report_followup_letter", letter.ids
            )[0]
            .decode()
        )
        self.assertIn("Iris Payables", html)
        self.assertIn(self.overdue.name, html)
        self.assertIn("Formal notice", html)
        # wkhtmltopdf would fetch the styles from this test's own server, whose
        # database is locked by the test: render unstyled, the text is what counts.
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        action = letter.with_context(force_report_rendering=True).action_print_letters()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(letter.letter_state, "printed")
        self.assertTrue(letter.attachment_id)
        self.assertTrue(letter.attachment_id.raw.startswith(b"%PDF"))
        self.assertIn("Iris Trading", letter.attachment_id.name)
