from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestTranslations(ArCollectionsCommon):
    """Customers read their reminders and letters in their own language, with
    dates and amounts written the way that language writes them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            cls.env["res.lang"]._activate_lang(lang)
        cls.env["ir.module.module"]._load_module_terms(
            ["ar_collections"], langs, overwrite=True
        )
        shipped = cls.env.ref("ar_collections.ar_followup_policy_default").sudo()
        cls.policy.is_default = False
        cls.shipped = shipped.copy({"company_id": cls.company.id, "is_default": True})
        cls.company.external_report_layout_id = cls.env.ref(
            "web.external_layout_standard"
        )

    def _customer(self, name, lang):
        partner = self.customer(name, lang=lang)
        contact = self.person(partner, f"{name} Payables")
        contact.lang = lang
        partner.ar_contact_id = contact
        invoice = self.invoice(partner, 1234.5, days_overdue=32)
        return partner, invoice

    def _reminder(self, partner):
        self.run_followup()
        mail = self.mails_to(partner)
        self.assertEqual(len(mail), 1)
        return mail

    def _letter_html(self, partner, invoice):
        invoice.ar_level_id = self.shipped._get_levels()[1]  # next: formal notice
        self.run_followup()
        letter = self.actions_of(partner, action_type="letter")
        self.assertEqual(len(letter), 1)
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.action_report_followup_letter", letter.ids
            )[0]
            .decode()
        )

    def _assert_formats(self, html, invoice, lang, amount_pattern):
        env = self.env(context=dict(self.env.context, lang=lang))
        due = format_date(env, invoice.invoice_date_due)
        self.assertIn(due, html, f"due date written as {lang} writes dates")
        self.assertRegex(html, amount_pattern, f"1234.5 written as {lang} writes it")
        self.assertNotIn("1,234.50", html)

    def test_french_reminder_email(self):
        partner, invoice = self._customer("Lumière SARL", "fr_FR")
        mail = self._reminder(partner)
        self.assertIn("rappel amical concernant vos factures impayées", mail.subject)
        self.assertIn("Bonjour", mail.body_html)
        self.assertIn("Jours de retard", mail.body_html)
        self.assertIn("Si vous avez déjà payé", mail.body_html)
        self.assertNotIn("friendly reminder", mail.body_html)
        self._assert_formats(mail.body_html, invoice, "fr_FR", r"1\s?234,50")
        self.assertIn(invoice.invoice_date_due.strftime("%d/%m/%Y"), mail.body_html)

    def test_contact_without_language_reads_its_company_language(self):
        partner, _invoice = self._customer("Sans Langue SA", "fr_FR")
        partner.ar_contact_id.lang = False
        mail = self._reminder(partner)
        self.assertEqual(mail.recipient_ids, partner.ar_contact_id)
        self.assertIn("rappel amical concernant vos factures impayées", mail.subject)
        self.assertIn("Bonjour", mail.body_html)

    def test_german_reminder_email(self):
        partner, invoice = self._customer("Sonnenschein GmbH", "de_DE")
        mail = self._reminder(partner)
        self.assertIn("freundliche Zahlungserinnerung", mail.subject)
        self.assertIn("Guten Tag", mail.body_html)
        self.assertIn("Tage überfällig", mail.body_html)
        self.assertIn("Falls Sie bereits bezahlt haben", mail.body_html)
        self._assert_formats(mail.body_html, invoice, "de_DE", r"1\.234,50")
        self.assertIn(invoice.invoice_date_due.strftime("%d.%m.%Y"), mail.body_html)

    def test_french_letter(self):
        partner, invoice = self._customer("Lumière SARL", "fr_FR")
        html = self._letter_html(partner, invoice)
        self.assertIn("Mise en demeure", html)
        self.assertIn("nous vous mettons en demeure", html)
        self.assertIn("Date de facture", html)
        self.assertNotIn("Despite our previous reminders", html)
        self._assert_formats(html, invoice, "fr_FR", r"1\s?234,50")

    def test_german_letter(self):
        partner, invoice = self._customer("Sonnenschein GmbH", "de_DE")
        html = self._letter_html(partner, invoice)
        self.assertIn("Förmliche Mahnung", html)
        self.assertIn("fordern wir Sie förmlich auf", html)
        self.assertIn("Rechnungsdatum", html)
        self.assertNotIn("Despite our previous reminders", html)
        self._assert_formats(html, invoice, "de_DE", r"1\.234,50")

    def _statement_html(self, partner):
        self.env.flush_all()
        return (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_collections.report_ar_statement", partner.ids)[0]
            .decode()
        )

    def test_french_and_german_statements(self):
        for name, lang, title, bucket, amount in (
            (
                "Lumière SARL",
                "fr_FR",
                "Relevé de compte",
                "31 à 60 jours",
                r"1\s?234,50",
            ),
            ("Sonnenschein GmbH", "de_DE", "Kontoauszug", "31-60 Tage", r"1\.234,50"),
        ):
            with self.subTest(lang=lang):
                partner, invoice = self._customer(name, lang)
                html = self._statement_html(partner)
                self.assertIn(title, html)
                self.assertIn(bucket, html)
                self.assertNotIn("Statement of account", html)
                self._assert_formats(html, invoice, lang, amount)
