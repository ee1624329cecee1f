"""Send reminder now: the level each invoice is due for by the cadence, never
a skipped level, and nothing that contradicts a promise, plan or dispute."""

from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .test_commitments import CommitmentsCommon


@tagged("post_install", "-at_install")
class TestSendReminderCadence(CommitmentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Mixed Book SA")
        # Friendly reminder five days ago: the firm one is 12 days after it.
        cls.recent = cls.invoice(cls.partner, 300, days_overdue=40)
        cls.recent.write(
            {
                "ar_level_id": cls.level_1.id,
                "ar_date_last_action": cls.today - timedelta(days=5),
            }
        )
        # Firm reminder a month ago: due for the formal notice.
        cls.older = cls.invoice(cls.partner, 500, days_overdue=60)
        cls.older.write(
            {
                "ar_level_id": cls.level_2.id,
                "ar_date_last_action": cls.today - timedelta(days=30),
            }
        )

    def open_form(self, partner=None):
        partner = partner or self.partner
        return Form(
            self.env["ar.followup.send"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_ids=partner.ids)
        )

    def test_proposes_the_level_due_by_the_cadence_and_never_skips(self):
        form = self.open_form()
        self.assertEqual(form.level_id, self.level_3, "the older invoice is due")
        form.save().action_send()
        self.assertEqual(self.older.ar_level_id, self.level_3)
        self.assertEqual(
            self.recent.ar_level_id,
            self.level_1,
            "reminded five days ago: listed in the message, not raised",
        )
        lines = self.actions_of(self.partner, action_type="email").line_ids
        trigger = lines.filtered("is_trigger")
        self.assertEqual(trigger.move_id, self.older)

    def test_never_jumps_from_friendly_reminder_to_formal_notice(self):
        self.recent.ar_date_last_action = self.today - timedelta(days=20)
        form = self.open_form()
        form.level_id = self.level_3
        form.save().action_send()
        self.assertEqual(self.recent.ar_level_id, self.level_2, "one step only")
        self.assertEqual(self.older.ar_level_id, self.level_3)

    def test_promise_leaves_invoices_out_and_refuses_them(self):
        self.promise(self.older, days=10)
        form = self.open_form()
        self.assertNotIn(self.older, form.move_ids, "not proposed")
        self.assertIn(self.older.name, form.paused_warning)
        self.assertEqual(form.level_id, self.level_1, "the recent invoice alone")
        form.move_ids.add(self.older)
        wizard = form.save()
        with self.assertRaisesRegex(UserError, self.older.name):
            wizard.action_send()
        self.assertFalse(self.actions_of(self.partner, action_type="email"))
        statement = wizard.action_send_statement()
        self.assertEqual(statement["res_model"], "mail.compose.message")
        self.assertEqual(
            statement["context"]["default_template_id"],
            self.env.ref("ar_collections.mail_template_ar_statement").id,
        )

    def test_plan_in_good_standing_is_left_out(self):
        self.plan(self.older | self.recent).action_accept()
        form = self.open_form()
        self.assertFalse(form.move_ids)
        self.assertIn(self.older.name, form.paused_warning)
        self.assertIn(self.recent.name, form.paused_warning)
        self.assertFalse(form.level_id, "nothing to remind: no level proposed")
