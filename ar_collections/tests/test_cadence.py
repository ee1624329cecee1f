"""The cadence on a real book: a customer already 100 days late when
follow-up starts, the daily run every day for 40 days with a frozen clock."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestCadenceOnALateBook(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_2.payment_days = 7
        cls.late = cls.customer("Late Book Ltd")
        cls.old_invoice = cls.invoice(cls.late, 1000, days_overdue=100)

    def run_days(self, days, start=0):
        """Run the follow-up once a day for ``days`` days from today+start;
        returns {day offset: levels of the emails sent that day}."""
        sent = {}
        for offset in range(start, start + days):
            day = self.today + timedelta(days=offset)
            with freeze_time(datetime.combine(day, time(9, 0))):
                self.run_followup()
                emails = self.actions_of(self.late, action_type="email", date=day)
                if emails:
                    sent[offset] = emails.level_id
        return sent

    def test_hundred_days_late_is_chased_at_the_levels_pace(self):
        sent = self.run_days(40)
        self.assertEqual(
            {day: level.name for day, level in sent.items()},
            {
                0: "Friendly reminder",
                12: "Firm reminder",  # 15 - 3 days after the first
                27: "Formal notice",  # 30 - 15 days later (> 7 days to pay)
            },
            "one level per gap between the levels, not one level a day",
        )

    def test_screens_tell_when_the_next_level_comes(self):
        self.run_days(1)
        self.assertEqual(self.old_invoice.ar_level_id, self.level_1)
        self.assertEqual(
            self.old_invoice.ar_date_next_action,
            self.today + timedelta(days=12),
            "the invoice says when the firm reminder will come",
        )
        self.assertEqual(
            self.late.with_company(self.company).ar_date_next_action,
            self.today + timedelta(days=12),
        )

    def test_firm_reminder_states_its_deadline_and_is_waited_for(self):
        self.run_days(13)
        firm = self.actions_of(self.late, action_type="email", level_id=self.level_2.id)
        self.assertEqual(firm.date, self.today + timedelta(days=12))
        self.assertEqual(firm.date_payment_deadline, firm.date + timedelta(days=7))
        # A deadline longer than the gap to the next level holds that level.
        self.level_2.payment_days = 20
        sent = self.run_days(22, start=13)
        self.assertEqual(list(sent), [33], "the day after the 20 days to pay")

    def test_minimum_days_between_messages_to_a_customer(self):
        self.policy.min_days_between = 20
        sent = self.run_days(1)
        self.assertEqual(list(sent), [0])
        # A new invoice falls due meanwhile: it waits with the rest.
        self.invoice(self.late, 200, days_overdue=3)
        sent = self.run_days(25, start=1)
        self.assertEqual(list(sent), [20], "20 days after the last message")

    def test_paused_invoice_shows_no_next_date(self):
        self.run_days(1)
        self.assertTrue(self.old_invoice.ar_date_next_action)
        self.env["ar.dispute"].create(
            {
                "move_id": self.old_invoice.id,
                "amount_disputed": self.old_invoice.amount_residual,
                "reason_id": self.env.ref(
                    "ar_collections.ar_nonpayment_reason_dispute_goods"
                ).id,
            }
        )
        self.run_days(1, start=1)
        self.assertFalse(
            self.old_invoice.ar_date_next_action,
            "a disputed invoice is not chased: no next follow-up date",
        )
        self.assertTrue(self.old_invoice.ar_followup_paused)

    def test_fee_invoice_is_chased_with_its_invoice(self):
        """A fee invoice starts at its invoice's level: no fresh friendly
        reminder about the fee a few days after the firm reminder."""
        rule = self.env["ar.fee.rule"].create(
            {
                "name": "Reminder fee",
                "company_id": self.company.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
                "fixed_per": "reminder",
            }
        )
        self.level_1.fee_rule_ids = rule
        sent = self.run_days(12)
        self.assertEqual(list(sent), [0], "the fee does not start its own reminders")
        document = self.env["account.move"].search(
            [("ar_fee_source_move_id", "=", self.old_invoice.id)]
        )
        self.assertEqual(document.ar_level_id, self.level_1)
        sent = self.run_days(1, start=12)
        self.assertEqual(sent[12], self.level_2)
        # The fee invoice climbs when its own days overdue call for it.
        self.assertEqual(document.ar_level_id, self.level_1)
