"""SMS within the policy's contact rules: no text outside the customer's
contact hours or to a customer who asked not to be called or texted, in the
run and in "Send reminder now", each saying why."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ArSmsCommon


@tagged("post_install", "-at_install")
class TestSmsContactRules(ArSmsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Europe/Paris"
        cls.policy.write(
            {"contact_hours": True, "contact_hour_from": 8.0, "contact_hour_to": 21.0}
        )
        # A Monday to come: a working day whatever day the tests run.
        cls.monday = cls.today + timedelta(days=7 - cls.today.weekday())

    def at(self, hour):
        return freeze_time(datetime.combine(self.monday, time(hour, 0)))

    def test_no_sms_outside_the_customers_hours(self):
        # 13:00 UTC: 22:00 in Tokyo, 14:00 in Paris.
        tokyo = self.sms_customer("Tokyo KK", tz="Asia/Tokyo")
        paris = self.sms_customer("Paris SA", tz="Europe/Paris")
        for partner in (tokyo, paris):
            self.invoice(partner, 300, days_overdue=20)
        with self.at(13), self.mockSMSGateway():
            self.run_followup()
            late = self.actions_of(tokyo, action_type="sms")
            self.assertEqual(late.state, "cancelled")
            self.assertIn("No SMS sent", late.note)
            self.assertIn("contact hours", late.note)
            self.assertFalse(late.mail_message_id, "nothing texted")
            self.assertEqual(self.actions_of(paris, action_type="sms").state, "done")
            self.assertTrue(self.actions_of(paris, action_type="sms").mail_message_id)

    def test_do_not_text_is_honoured_by_the_run_and_send_now(self):
        quiet = self.sms_customer("Quiet SA", tz="Europe/Paris", ar_no_phone=True)
        self.invoice(quiet, 300, days_overdue=20)
        with self.at(10), self.mockSMSGateway():
            self.run_followup()
            sms = self.actions_of(quiet, action_type="sms")
            self.assertEqual(sms.state, "cancelled")
            self.assertFalse(sms.mail_message_id)
            self.assertTrue(self.actions_of(quiet, action_type="email"))
            form = Form(
                self.env["ar.followup.send"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=quiet.ids)
            )
            form.send_sms = True
            form.sms_template_id = self.sms_template
            with self.assertRaisesRegex(UserError, "No SMS can be sent now"):
                form.save().action_send()
