import unittest

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.phone_validation.tools import phone_validation

from .common import ArSmsCommon


@tagged("post_install", "-at_install")
class TestSmsRun(ArSmsCommon):
    """The daily run texts the collections contact of the customers reaching a
    level that sends an SMS: once, to a number that may be texted, recorded
    in the history with its delivery."""

    def test_one_sms_per_customer_and_never_twice(self):
        partner = self.sms_customer("Texto SA")
        self.invoice(partner, 100, days_overdue=5)
        self.invoice(partner, 250, days_overdue=8)
        with self.mockSMSGateway():
            run = self.run_followup()
        sms = self.actions_of(partner, action_type="sms")
        self.assertEqual(len(sms), 1, "one SMS for the customer's two invoices")
        self.assertEqual(sms.state, "done")
        self.assertEqual(sms.contact_id, partner.ar_contact_id)
        number = self.number(partner)
        self.assertEqual(sms.sms_number, number)
        self.assertEqual(len(sms.line_ids), 2)
        self.assertSMSOutgoing(partner.ar_contact_id, number, content="please pay")
        self.assertEqual(sms.sms_state, "queued", "sent after the commit, not before")
        message = sms.mail_message_id
        self.assertEqual(message.message_type, "sms")
        self.assertEqual((message.model, message.res_id), ("res.partner", partner.id))
        self.assertIn("please pay", sms.sms_body)
        self.assertTrue(self.actions_of(partner, action_type="email"))

        self.assertEqual(run.sms_count, 1)
        self.assertIn("SMS: 1", run.log)
        self.assertIn("SMS", run.summary)
        self.assertEqual(run.customer_count, 1)

        with self.mockSMSGateway():
            self.send_queued_sms()
            self.assertSMSIapSent([number], content="please pay")
        self.assertEqual(sms.sms_state, "sent")

        with self.mockSMSGateway():
            again = self.run_followup()
            self.assertFalse(self._new_sms, "nothing texted on a re-run")
        self.assertEqual(len(self.actions_of(partner, action_type="sms")), 1)
        self.assertEqual(again.sms_count, 0)

    def test_gateway_failure_shows_in_the_history(self):
        partner = self.sms_customer("Sans Crédit SA")
        self.invoice(partner, 100, days_overdue=5)
        with self.mockSMSGateway(sim_error="credit"):
            self.run_followup()
            self.send_queued_sms()
        sms = self.actions_of(partner, action_type="sms")
        self.assertEqual(sms.sms_state, "error")
        self.assertEqual(sms.sms_failure, "Insufficient Credit")

    def test_blacklisted_number_gets_nothing(self):
        partner = self.sms_customer("Opt Out SA")
        invoice = self.invoice(partner, 100, days_overdue=5)
        self.env["phone.blacklist"].sudo().add(self.number(partner))
        with self.mockSMSGateway():
            run = self.run_followup()
            self.assertFalse(self._new_sms, "no SMS, not even a cancelled one")
        sms = self.actions_of(partner, action_type="sms")
        self.assertEqual(sms.state, "failed")
        self.assertFalse(sms.mail_message_id)
        self.assertEqual(
            sms.error,
            f"No SMS sent: {self.number(partner)} is on the phone blacklist: "
            "Opt Out SA, Opt Out SA Payables opted out of text messages.",
        )
        self.assertEqual(self.actions_of(partner, action_type="email").state, "done")
        self.assertEqual(invoice.ar_level_id, self.level_1, "the level is reached")
        self.assertEqual(run.failed_count, 1)

    def test_contact_without_number_gets_a_clear_note(self):
        partner = self.sms_customer("Sans Mobile SA", phone=False)
        self.invoice(partner, 100, days_overdue=5)
        with self.mockSMSGateway():
            self.run_followup()
            self.assertFalse(self._new_sms)
        sms = self.actions_of(partner, action_type="sms")
        self.assertEqual(sms.state, "failed")
        self.assertEqual(
            sms.error,
            "No SMS sent: Sans Mobile SA, Sans Mobile SA Payables has no mobile "
            "or phone number.",
        )

    @unittest.skipUnless(
        phone_validation.phone_parse("+32 470 12 34 56", "BE"),
        "Odoo checks phone numbers with the phonenumbers library only",
    )
    def test_invalid_number_is_not_texted(self):
        partner = self.sms_customer("Faux Numéro SA", phone="12")
        self.invoice(partner, 100, days_overdue=5)
        with self.mockSMSGateway():
            self.run_followup()
            self.assertFalse(self._new_sms)
        sms = self.actions_of(partner, action_type="sms")
        self.assertEqual(sms.state, "failed")
        self.assertIn("12, the number of", sms.error)
        self.assertIn("is not a valid phone number", sms.error)

    def test_french_and_german_customers_read_their_language(self):
        langs = ["fr_FR", "de_DE"]
        for lang in langs:
            self.env["res.lang"]._activate_lang(lang)
        self.env["ir.module.module"]._load_module_terms(
            ["ar_collections_sms"], langs, overwrite=True
        )
        self.level_1.sms_template_id = self.env.ref(
            "ar_collections_sms.sms_template_followup_reminder"
        )
        french = self.sms_customer("Lumière SARL", phone="+33 6 12 34 56 78")
        french.ar_contact_id.lang = "fr_FR"
        german = self.sms_customer("Sonne GmbH", phone="+49 151 23456789", lang="de_DE")
        german.ar_contact_id.lang = False
        english = self.sms_customer("Sunshine Ltd", phone="+44 7911 123456")
        for partner in (french, german, english):
            self.invoice(partner, 1234.5, days_overdue=5)
        with self.mockSMSGateway():
            self.run_followup()
        texts = {
            partner: self.actions_of(partner, action_type="sms").sms_body
            for partner in (french, german, english)
        }
        self.assertIn("petit rappel", texts[french])
        self.assertRegex(texts[french], r"1\s?234,50")
        self.assertIn("Freundliche Erinnerung", texts[german], "its company's language")
        self.assertRegex(texts[german], r"1\.234,50")
        self.assertIn("a friendly reminder", texts[english])
        self.assertIn("1,234.50", texts[english])

    def test_level_says_it_texts(self):
        self.assertIn("SMS", self.level_1.action_summary)
        with self.assertRaisesRegex(ValidationError, "no SMS template"):
            self.level_2.write({"send_sms": True})
        partner = self.sms_customer("Preview SA")
        self.invoice(partner, 100, days_overdue=5)
        preview = self.env["ar.followup.preview"].create(
            self.env["ar.followup.preview"]._prepare_preview_vals(self.company)
        )
        line = preview.line_ids.filtered(lambda line: line.partner_id == partner)
        self.assertIn("SMS", line.actions)

    def test_shipped_levels_have_their_text_but_do_not_text(self):
        for key in ("reminder", "firm", "formal_notice", "final_notice"):
            level = self.env.ref(f"ar_collections.ar_followup_level_{key}").sudo()
            template = self.env.ref(f"ar_collections_sms.sms_template_followup_{key}")
            self.assertEqual(level.sms_template_id, template)
            self.assertFalse(level.send_sms, "texting is the company's choice")
