"""The customer's answers from its collections page (``ar.customer.answer``):
what each accepted answer writes, and that every refusal writes nothing."""

import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ArCollectionsCommon

META = {"ip": "203.0.113.7", "user_agent": "Mozilla/5.0 (test)"}


class CustomerAnswersCommon(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.email = "collections@example.com"
        cls.answers = cls.env["ar.customer.answer"]
        cls.buyer = cls.customer("Answer Ltd", ar_collector_id=cls.collector.id)
        cls.inv_a = cls.invoice(cls.buyer, 600, days_overdue=20)
        cls.inv_b = cls.invoice(cls.buyer, 400, days_overdue=5)

    def snapshot(self, partner=None):
        """Counts of everything an answer may write."""
        partner = partner or self.buyer
        domain = [("partner_id", "=", partner.id)]
        return {
            "notices": self.env["ar.payment.notice"].search_count(domain),
            "promises": self.env["ar.promise"].search_count(domain),
            "plans": self.env["ar.payment.plan"].search_count(domain),
            "disputes": self.env["ar.dispute"].search_count(domain),
            "history": self.env["ar.followup.action"].search_count(domain),
            "activities": self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ),
            "messages": self.env["mail.message"].search_count(
                [("model", "=", "res.partner"), ("res_id", "=", partner.id)]
            ),
            "attachments": self.env["ir.attachment"].search_count(
                [("res_model", "in", ("ar.payment.notice", "ar.dispute"))]
            ),
        }

    def assertRefused(self, call, *words):
        """``call`` is refused with a message containing ``words``; nothing written."""
        before = self.snapshot()
        with self.assertRaises(UserError) as caught:
            call()
        for word in words:
            self.assertIn(word, str(caught.exception))
        self.assertEqual(self.snapshot(), before, "a refused answer writes nothing")
        return str(caught.exception)

    def page_entry(self, action_type):
        return self.actions_of(
            self.buyer, action_type=action_type, origin="customer_page"
        )

    def assertCollectorTold(self, action, text):
        """The history entry's activity is the collector's; the chatter says it."""
        self.assertEqual(action.activity_id.user_id, self.collector)
        self.assertEqual(
            action.activity_id.activity_type_id,
            self.env.ref("ar_collections.mail_activity_type_customer_answer"),
        )
        messages = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.buyer.id)]
        )
        self.assertTrue(
            any(text in (message.body or "") for message in messages),
            f"the customer's chatter says {text!r}",
        )


@tagged("post_install", "-at_install")
class TestCustomerAnswers(CustomerAnswersCommon):
    def test_offers_follow_the_policy(self):
        offers = self.answers._ar_page_offers(self.buyer, self.company)
        self.assertTrue(all(offers[k] for k in ("paid", "promise", "plan", "dispute")))
        self.assertEqual(offers["paid_pause_days"], 5)
        self.assertEqual(offers["promise_max_date"], self.today + timedelta(days=30))
        self.assertFalse(offers["promise_blocked_reason"])
        self.assertEqual(
            [code for code, _label in offers["plan_frequencies"]],
            ["weekly", "monthly"],
        )
        self.assertEqual(
            [code for code, _label in offers["dispute_reasons"]],
            [
                "wrong_amount",
                "not_received",
                "quality",
                "already_paid",
                "unclear",
                "other",
            ],
        )
        self.policy.write({"page_offer_plan": False, "page_plan_weekly": False})
        offers = self.answers._ar_page_offers(self.buyer, self.company)
        self.assertFalse(offers["plan"])
        self.assertEqual(
            [code for code, _label in offers["plan_frequencies"]], ["monthly"]
        )

    def test_claim_paid_pauses_and_tells_the_collector(self):
        notice = self.answers._ar_claim_paid(
            self.buyer,
            self.company,
            [str(self.inv_a.id)],
            str(self.today - timedelta(days=1)),
            "600,00",
            "TRF-123",
            attachment={"name": "remittance.pdf", "data": base64.b64encode(b"%PDF")},
            meta=META,
        )
        self.assertEqual(notice.state, "waiting")
        self.assertEqual(notice.source, "customer_page")
        self.assertEqual(notice.amount, 600.0)
        self.assertEqual(notice.pause_until, self.today + timedelta(days=5))
        self.assertEqual(notice.ip_address, META["ip"])
        self.assertEqual(notice.attachment_id.raw, b"%PDF")
        status = self.env["ar.chase.status"]._of(self.inv_a | self.inv_b, self.today)
        self.assertFalse(status[self.inv_a.id].chased)
        self.assertIn("Customer says paid", status[self.inv_a.id].reason)
        self.assertTrue(status[self.inv_b.id].chased, "only the invoices it names")
        entry = self.page_entry("paid_claim")
        self.assertEqual(entry.payment_notice_id, notice)
        self.assertFalse(entry.user_id, "the customer did it, not a user")
        self.assertCollectorTold(entry, "TRF-123")
        self.assertEqual(self.buyer.ar_payment_notice_count, 1)
        action = self.buyer.action_ar_open_payment_notices()
        self.assertEqual(self.env["ar.payment.notice"].search(action["domain"]), notice)

    def test_page_promise_is_a_promise_on_the_customer_page_channel(self):
        promise = self.answers._ar_promise(
            self.buyer,
            self.company,
            f"{self.inv_a.id},{self.inv_b.id}",
            str(self.today + timedelta(days=10)),
            "1000",
            meta=META,
        )
        self.assertEqual(promise.channel, "portal")
        self.assertEqual(
            dict(promise._fields["channel"]._description_selection(self.env))["portal"],
            "Customer page",
        )
        self.assertEqual(promise.move_ids, self.inv_a | self.inv_b)
        self.assertEqual(promise.user_id, self.collector)
        self.assertEqual(promise.state, "open")
        entry = self.page_entry("promise")
        self.assertEqual(entry.promise_id, promise)
        self.assertCollectorTold(entry, "promises to pay")

    def test_plan_preview_uses_the_collectors_engine(self):
        preview = self.answers._ar_plan_preview(
            self.buyer, self.company, [self.inv_a.id, self.inv_b.id], "3", "monthly"
        )
        first = self.today + timedelta(days=7)
        expected = self.env["ar.payment.plan"]._build_schedule(
            1000.0, self.inv_a.currency_id, first, "monthly", count=3
        )
        self.assertEqual(
            preview,
            [{"date": i.date_due, "amount": float(i.amount)} for i in expected],
        )
        self.assertEqual(sum(row["amount"] for row in preview), 1000.0)

    def test_plan_within_bounds_starts_at_once_with_the_signature(self):
        plan = self.answers._ar_plan_request(
            self.buyer,
            self.company,
            [self.inv_a.id, self.inv_b.id],
            4,
            "weekly",
            "  Jane Buyer ",
            meta=META,
        )
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.source, "customer_page")
        self.assertEqual(len(plan.installment_ids), 4)
        self.assertEqual(plan.amount_total, 1000.0)
        self.assertEqual(
            (plan.signed_by, plan.signed_ip, plan.signed_user_agent),
            ("Jane Buyer", META["ip"], META["user_agent"]),
        )
        self.assertTrue(plan.date_signed)
        self.assertEqual(plan.user_id, self.collector)
        self.assertIn(
            self.inv_a.id,
            self.env["ar.chase.status"]._suspended_ids(self.inv_a, self.today),
        )
        entry = self.page_entry("plan")
        self.assertCollectorTold(entry, "is active")

    def test_plan_waits_for_the_collector_without_auto_accept(self):
        self.policy.page_plan_auto_accept = False
        plan = self.answers._ar_plan_request(
            self.buyer, self.company, [self.inv_a.id], 2, "monthly", "Jane", META
        )
        self.assertEqual(plan.state, "draft")
        entry = self.page_entry("plan_requested")
        self.assertCollectorTold(entry, "Accept or cancel it")
        plan.with_user(self.collector).action_accept()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.accepted_by, "Jane")

    def test_dispute_from_the_page_is_the_collectors(self):
        dispute = self.answers._ar_dispute(
            self.buyer,
            self.company,
            str(self.inv_a.id),
            "not_received",
            "250",
            "The second pallet never arrived.",
            attachment={"name": "delivery.txt", "data": b"no pallet"},
            meta=META,
        )
        self.assertEqual(dispute.source, "customer_page")
        self.assertEqual(dispute.user_id, self.collector)
        self.assertEqual(dispute.amount_disputed, 250.0)
        self.assertEqual(
            dispute.reason_id,
            self.env.ref("ar_collections.ar_nonpayment_reason_not_received"),
        )
        self.assertEqual(dispute.note, "The second pallet never arrived.")
        self.assertTrue(dispute.message_ids.attachment_ids)
        entry = self.page_entry("dispute")
        self.assertEqual(entry.dispute_id, dispute)
        self.assertCollectorTold(entry, "never arrived")
        report = self.env["ar.reason.report"].search(
            [("move_id", "=", self.inv_a.id), ("source", "=", "dispute")]
        )
        self.assertEqual(report.origin, "customer_page")

    def test_each_reason_maps_to_a_dispute_reason(self):
        for code, _label in self.answers._ar_dispute_reasons():
            with self.subTest(code=code):
                reason = self.answers._ar_dispute_reason(code, self.company)
                self.assertTrue(reason)


@tagged("post_install", "-at_install")
class TestCustomerAnswerRefusals(CustomerAnswersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.customer("Other Customer")
        cls.other_invoice = cls.invoice(cls.other, 300, days_overdue=10)
        cls.foreign_invoice = cls.invoice(
            cls.buyer,
            300,
            days_overdue=10,
            company=cls.setup_other_company(name="Other Company")["company"],
        )
        cls.paid_invoice = cls.invoice(cls.buyer, 100, days_overdue=3)
        cls.pay(cls.paid_invoice)

    def claim(self, **values):
        args = {
            "move_ids": [self.inv_a.id],
            "payment_date": str(self.today),
            "amount": "600",
            "reference": "REF",
        }
        args.update(values)
        return lambda: self.answers._ar_claim_paid(
            self.buyer, self.company, meta=META, **args
        )

    def promise(self, **values):
        args = {
            "move_ids": [self.inv_a.id],
            "promise_date": str(self.today + timedelta(days=5)),
            "amount": "600",
        }
        args.update(values)
        return lambda: self.answers._ar_promise(
            self.buyer, self.company, meta=META, **args
        )

    def plan(self, **values):
        args = {"move_ids": [self.inv_a.id], "installments": 3, "frequency": "monthly"}
        args.update(values)
        return lambda: self.answers._ar_plan_request(
            self.buyer, self.company, signer_name="Jane", meta=META, **args
        )

    def dispute(self, **values):
        args = {
            "move_id": self.inv_a.id,
            "reason_code": "quality",
            "amount": "100",
            "message": "Broken",
        }
        args.update(values)
        return lambda: self.answers._ar_dispute(
            self.buyer, self.company, meta=META, **args
        )

    def test_other_customers_and_companies_invoices_reveal_nothing(self):
        for moves in (
            [self.other_invoice.id],
            [self.foreign_invoice.id],
            [self.inv_a.id, self.other_invoice.id],
            [999999999],
            ["abc"],
        ):
            with self.subTest(moves=moves):
                for call in (
                    self.claim(move_ids=moves),
                    self.promise(move_ids=moves),
                    self.plan(move_ids=moves),
                    self.dispute(move_id=moves),
                ):
                    message = self.assertRefused(call, "not among your open invoices")
                    self.assertNotIn(self.other_invoice.name, message)
                    self.assertNotIn(self.foreign_invoice.name, message)

    def test_paid_invoices_and_empty_selection(self):
        self.assertRefused(self.claim(move_ids=[self.paid_invoice.id]), "already paid")
        self.assertRefused(self.promise(move_ids=[]), "select at least one invoice")
        self.assertRefused(
            self.dispute(move_id=self.paid_invoice.id), self.paid_invoice.name
        )

    def test_amounts_zero_negative_above_due_or_not_numbers(self):
        for amount, words in (
            ("0", ["Amount", "above zero"]),
            ("-50", ["Amount", "above zero"]),
            ("600.01", ["Amount", "more than what is left to pay"]),
            ("lots", ["Amount", "number"]),
            ("nan", ["Amount", "number"]),
        ):
            with self.subTest(amount=amount):
                self.assertRefused(self.claim(amount=amount), *words)
                self.assertRefused(self.promise(amount=amount), *words)
                self.assertRefused(self.dispute(amount=amount), *words)

    def test_dates_in_the_past_future_or_beyond_the_limit(self):
        self.assertRefused(
            self.promise(promise_date=str(self.today - timedelta(days=1))),
            "Promised date",
            "in the past",
        )
        self.assertRefused(
            self.promise(promise_date=str(self.today + timedelta(days=31))),
            "Promised date",
            "at most 30 days",
        )
        self.assertRefused(self.promise(promise_date="31/12/2099"), "Promised date")
        self.assertRefused(
            self.claim(payment_date=str(self.today + timedelta(days=1))),
            "Payment date",
            "future",
        )
        self.assertRefused(
            self.claim(payment_date=str(self.today - timedelta(days=400))),
            "Payment date",
            "before the invoice date",
        )

    def test_offers_disabled_by_the_policy(self):
        self.policy.write(
            {
                "page_offer_paid": False,
                "page_offer_promise": False,
                "page_offer_plan": False,
                "page_offer_dispute": False,
            }
        )
        for call in (self.claim(), self.promise(), self.plan(), self.dispute()):
            self.assertRefused(call, "not offered", "collections@example.com")
        preview = self.answers._ar_plan_preview
        self.assertRefused(
            lambda: preview(self.buyer, self.company, [self.inv_a.id], 2, "monthly"),
            "not offered",
        )

    def test_plan_out_of_bounds(self):
        self.policy.write(
            {
                "page_plan_max_installments": 6,
                "page_plan_min_installment": 150,
                "page_plan_max_days": 60,
                "page_plan_weekly": False,
            }
        )
        self.assertRefused(self.plan(installments=7), "between 2 and 6")
        self.assertRefused(self.plan(installments=1), "between 2 and 6")
        self.assertRefused(self.plan(installments="2.5"), "whole number")
        self.assertRefused(self.plan(frequency="weekly"), "Frequency", "Monthly")
        self.assertRefused(self.plan(frequency="biweekly"), "Frequency")
        # 600 in 5: 120 each, below the 150 minimum.
        self.assertRefused(self.plan(installments=5), "smallest installment")
        # 3 monthly installments from a week ahead: the last one ~67 days away.
        self.assertRefused(self.plan(installments=3), "more than 60 days")
        preview = self.answers._ar_plan_preview(
            self.buyer, self.company, [self.inv_a.id], 2, "monthly"
        )
        self.assertEqual([row["amount"] for row in preview], [300.0, 300.0])

    def test_signature_and_invoices_already_in_a_plan(self):
        self.assertRefused(
            lambda: self.answers._ar_plan_request(
                self.buyer, self.company, [self.inv_a.id], 2, "monthly", "  ", META
            ),
            "Your name",
        )
        self.plan(installments=2)()
        self.assertRefused(self.plan(installments=2), "already in the payment plan")

    def test_dispute_reason_and_second_dispute(self):
        self.assertRefused(self.dispute(reason_code="angry"), "Reason")
        self.assertRefused(self.dispute(reason_code="other", message=""), "Message")
        self.assertRefused(self.dispute(message="x" * 4001), "Message", "4000")
        self.dispute()()
        self.assertRefused(self.dispute(), "already disputed")

    def test_one_paid_claim_per_invoice(self):
        self.claim()()
        self.assertRefused(self.claim(), "already told us", self.inv_a.name)
        notice = self.env["ar.payment.notice"].search(
            [("partner_id", "=", self.buyer.id)]
        )
        with freeze_time(self.today + timedelta(days=6)):
            self.env["ar.payment.plan"]._cron_check_commitments()
            self.assertEqual(notice.state, "resumed")
            self.assertRefused(
                self.claim(payment_date=str(self.today + timedelta(days=6))),
                "has not reached us",
                "collections@example.com",
            )

    def test_bad_attachment(self):
        self.assertRefused(
            self.claim(attachment={"name": "", "data": b"x"}), "Attachment"
        )
        self.assertRefused(
            self.claim(attachment={"name": "empty.pdf", "data": b""}), "empty"
        )

    def test_self_promises_are_capped(self):
        self.promise(amount="100")()
        blocked = self.assertRefused(self.promise(amount="100"), "open payment promise")
        self.assertEqual(
            self.answers._ar_page_offers(self.buyer, self.company)[
                "promise_blocked_reason"
            ],
            blocked,
        )

    def test_no_own_promise_after_a_broken_one(self):
        promise = self.promise(amount="100", promise_date=str(self.today))()
        with freeze_time(self.today + timedelta(days=2)):
            self.env["ar.payment.plan"]._cron_check_commitments()
        self.assertEqual(promise.state, "broken")
        with freeze_time(self.today + timedelta(days=2)):
            self.assertRefused(
                self.promise(
                    amount="100",
                    promise_date=str(self.today + timedelta(days=5)),
                ),
                "not kept",
                "collections@example.com",
            )
        self.policy.page_promise_block_after_broken = False
        with freeze_time(self.today + timedelta(days=2)):
            self.promise(
                amount="100", promise_date=str(self.today + timedelta(days=5))
            )()

    def test_rate_limit(self):
        self.policy.page_rate_limit = 2
        self.claim(move_ids=[self.inv_b.id], amount="10")()
        self.dispute()()
        message = self.assertRefused(self.promise(), "You have sent 2 answers")
        self.assertIn("collections@example.com", message)
        self.assertEqual(
            self.answers._ar_page_offers(self.buyer, self.company)["answers_left"], 0
        )
        with freeze_time(self.today + timedelta(days=1)):
            self.promise(promise_date=str(self.today + timedelta(days=5)))()

    def test_policy_settings_refuse_nonsense(self):
        for values in (
            {"page_paid_pause_days": 0},
            {"page_promise_max_days": -1},
            {"page_promise_max_open": 0},
            {"page_plan_max_installments": 1},
            {"page_plan_min_installment": -5},
            {"page_plan_max_days": 3},
            {"page_rate_limit": 0},
            {"page_plan_weekly": False, "page_plan_monthly": False},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                with self.env.cr.savepoint():
                    self.policy.write(values)
