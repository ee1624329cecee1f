"""A customer's answer on its page suspends and resumes chasing exactly as
the matching collector action does: two customers with the same late book,
one answering on its page and one through its collector, the daily run and
the commitments check every day with a frozen clock."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_customer_answers import META, CustomerAnswersCommon


@tagged("post_install", "-at_install")
class TestCustomerAnswersChasing(CustomerAnswersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.level_2.payment_days = 7
        cls.page = cls.customer("Page Answers Ltd", ar_collector_id=cls.collector.id)
        cls.desk = cls.customer("Desk Answers Ltd", ar_collector_id=cls.collector.id)
        cls.page_invoice = cls.invoice(cls.page, 1000, days_overdue=100)
        cls.desk_invoice = cls.invoice(cls.desk, 1000, days_overdue=100)

    def at(self, offset):
        return freeze_time(
            datetime.combine(self.today + timedelta(days=offset), time(9, 0))
        )

    def run_days(self, days, start=0, before=None):
        """The commitments check then the run, once a day; ``before(offset)``
        is called first each day (the customer's answers). Returns
        {customer: {day: (level, amount due on its invoice)}} of emails sent."""
        sent = {self.page: {}, self.desk: {}}
        for offset in range(start, start + days):
            with self.at(offset):
                if before:
                    before(offset)
                self.env["ar.payment.plan"]._cron_check_commitments()
                self.run_followup()
                day = self.today + timedelta(days=offset)
                for partner, days_sent in sent.items():
                    email = self.actions_of(partner, action_type="email", date=day)
                    if email:
                        days_sent[offset] = (
                            email.level_id.name,
                            email.line_ids.amount_residual,
                        )
        return sent

    def test_without_answers_both_are_chased_alike(self):
        sent = self.run_days(13)
        expected = {0: ("Friendly reminder", 1000.0), 12: ("Firm reminder", 1000.0)}
        self.assertEqual(sent[self.page], expected)
        self.assertEqual(sent[self.desk], expected)

    def test_paid_claim_pauses_for_the_policy_days_then_resumes(self):
        self.policy.page_paid_pause_days = 5

        def answer(offset):
            if offset != 10:
                return
            self.answers._ar_claim_paid(
                self.page,
                self.company,
                [self.page_invoice.id],
                str(self.today + timedelta(days=9)),
                "1000",
                "TRF-9",
                meta=META,
            )
            # The collector records the same word from the customer.
            self.env["ar.payment.notice"].with_user(self.collector).create(
                {
                    "company_id": self.company.id,
                    "partner_id": self.desk.id,
                    "move_ids": self.desk_invoice.ids,
                    "date_payment": self.today + timedelta(days=9),
                    "currency_id": self.desk_invoice.currency_id.id,
                    "amount": 1000,
                }
            )

        sent = self.run_days(20, before=answer)
        expected = {
            0: ("Friendly reminder", 1000.0),
            # Firm reminder due on day 12: paused until day 15 included.
            16: ("Firm reminder", 1000.0),
        }
        self.assertEqual(sent[self.page], expected)
        self.assertEqual(sent[self.desk], expected)
        notice = self.env["ar.payment.notice"].search(
            [("partner_id", "=", self.page.id)]
        )
        self.assertEqual(notice.state, "resumed")
        self.assertEqual(notice.date_closed, self.today + timedelta(days=16))
        told = self.actions_of(self.page, action_type="paid_claim_resumed")
        self.assertEqual(told.activity_id.user_id, self.collector)
        self.assertIn("chased again", told.note)
        self.assertTrue(
            self.page.message_ids.filtered(lambda m: "chased again" in (m.body or ""))
        )

    def test_paid_claim_matched_when_the_payment_comes(self):
        with self.at(1):
            notice = self.answers._ar_claim_paid(
                self.page,
                self.company,
                [self.page_invoice.id],
                str(self.today),
                "1000",
                "TRF-1",
                meta=META,
            )
            status = self.env["ar.chase.status"]._of(self.page_invoice, self.today)
            self.assertEqual(status[self.page_invoice.id].code, "suspended")
            self.assertIn("Customer says paid", status[self.page_invoice.id].reason)
            self.assertTrue(self.page_invoice.ar_followup_paused)
        self.pay(self.page_invoice)
        with self.at(3):
            self.env["ar.payment.plan"]._cron_check_commitments()
        self.assertEqual(notice.state, "matched")
        self.assertTrue(self.actions_of(self.page, action_type="paid_claim_matched"))
        self.assertFalse(self.actions_of(self.page, action_type="paid_claim_resumed"))

    def test_page_promise_stops_chasing_like_a_collectors_promise(self):
        def answer(offset):
            if offset != 10:
                return
            date_promised = self.today + timedelta(days=14)
            page_promise = self.answers._ar_promise(
                self.page,
                self.company,
                [self.page_invoice.id],
                str(date_promised),
                "1000",
                meta=META,
            )
            wizard = (
                self.env["ar.promise.record"]
                .with_user(self.collector)
                .with_context(
                    active_model="account.move", active_ids=self.desk_invoice.ids
                )
                .create({"date_promised": date_promised, "channel": "phone"})
            )
            wizard._onchange_move_ids()
            wizard.action_record()
            self.assertEqual(page_promise.amount_promised, 1000.0)

        sent = self.run_days(20, before=answer)
        # The firm reminder (due day 12) waits for the promise; the promise is
        # broken on day 15 and the invoice moves up at once.
        self.assertEqual(sent[self.page], sent[self.desk])
        self.assertEqual(
            sent[self.page],
            {0: ("Friendly reminder", 1000.0), 15: ("Firm reminder", 1000.0)},
        )
        promises = self.env["ar.promise"].search(
            [("partner_id", "in", (self.page | self.desk).ids)]
        )
        self.assertEqual(set(promises.mapped("state")), {"broken"})
        self.assertEqual(
            sorted(promises.mapped("channel")), ["phone", "portal"], promises
        )

    def test_page_dispute_excludes_the_disputed_part_like_a_collectors(self):
        reason = self.env.ref("ar_collections.ar_nonpayment_reason_wrong_amount")

        def answer(offset):
            if offset != 5:
                return
            self.answers._ar_dispute(
                self.page,
                self.company,
                self.page_invoice.id,
                "wrong_amount",
                "300",
                "Price agreed was lower.",
                meta=META,
            )
            self.env["ar.dispute"].with_user(self.collector).create(
                {
                    "move_id": self.desk_invoice.id,
                    "reason_id": reason.id,
                    "amount_disputed": 300,
                }
            )

        sent = self.run_days(13, before=answer)
        self.assertEqual(sent[self.page], sent[self.desk])
        self.assertEqual(
            sent[self.page],
            {0: ("Friendly reminder", 1000.0), 12: ("Firm reminder", 700.0)},
            "the undisputed 700 is still chased, at the same pace",
        )

    def test_full_page_dispute_suspends_like_a_collectors(self):
        reason = self.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")

        def answer(offset):
            if offset != 5:
                return
            self.answers._ar_dispute(
                self.page,
                self.company,
                self.page_invoice.id,
                "quality",
                "1000",
                "",
                meta=META,
            )
            self.env["ar.dispute"].with_user(self.collector).create(
                {
                    "move_id": self.desk_invoice.id,
                    "reason_id": reason.id,
                    "amount_disputed": 1000,
                }
            )

        sent = self.run_days(20, before=answer)
        self.assertEqual(sent[self.page], sent[self.desk])
        self.assertEqual(sent[self.page], {0: ("Friendly reminder", 1000.0)})
        self.assertTrue(self.page_invoice.ar_followup_paused)
