from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ArSmsCommon


@tagged("post_install", "-at_install")
class TestSmsSendNow(ArSmsCommon):
    """Send reminder now texts the contact too, when asked, and refuses a
    number that may not be texted before recording anything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.sms_customer("Direct SA")
        cls.overdue = cls.invoice(cls.partner, 300, days_overdue=5)

    def open_form(self):
        return Form(
            self.env["ar.followup.send"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_ids=self.partner.ids)
        )

    def test_send_now_with_an_sms(self):
        form = self.open_form()
        self.assertEqual(form.level_id, self.level_1)
        self.assertTrue(form.send_sms, "the level texts: so does sending now")
        self.assertEqual(form.sms_template_id, self.sms_template)
        number = self.number(self.partner)
        self.assertEqual(form.sms_number, number)
        self.assertIn("please pay", form.preview_sms)
        self.assertIn(self.overdue.name, form.preview_sms)
        with self.mockSMSGateway():
            form.save().action_send()
            self.assertSMSOutgoing(
                self.partner.ar_contact_id, number, content="please pay"
            )
        sms = self.actions_of(self.partner, action_type="sms")
        self.assertEqual((sms.state, sms.origin), ("done", "manual"))
        self.assertEqual(sms.user_id, self.collector)
        self.assertEqual(sms.mail_message_id.author_id, self.collector.partner_id)
        self.assertTrue(self.actions_of(self.partner, action_type="email"))
        self.assertEqual(self.overdue.ar_level_id, self.level_1)

    def test_sms_alone(self):
        form = self.open_form()
        form.send_email = False
        with self.mockSMSGateway():
            form.save().action_send()
            self.assertEqual(len(self._new_sms), 1)
        self.assertEqual(self.actions_of(self.partner).mapped("action_type"), ["sms"])

    def test_nothing_ticked_names_the_sms(self):
        form = self.open_form()
        form.send_email = False
        form.send_sms = False
        with self.assertRaisesRegex(UserError, "Send an SMS"):
            form.save().action_send()

    def test_blacklisted_number_refused_before_anything_is_sent(self):
        self.env["phone.blacklist"].sudo().add(self.number(self.partner))
        form = self.open_form()
        self.assertIn("phone blacklist", form.sms_warning)
        wizard = form.save()
        with self.mockSMSGateway(), self.assertRaisesRegex(UserError, "blacklist"):
            wizard.action_send()
        self.assertFalse(self.actions_of(self.partner))

    def test_contact_without_number_refused(self):
        self.partner.ar_contact_id.phone = False
        form = self.open_form()
        self.assertIn("has no mobile or phone number", form.sms_warning)
        with self.assertRaisesRegex(UserError, "untick “Send an SMS”"):
            form.save().action_send()
        form = self.open_form()
        form.send_sms = False
        form.save().action_send()
        self.assertTrue(self.actions_of(self.partner, action_type="email"))
        self.assertFalse(self.actions_of(self.partner, action_type="sms"))
