"""Promises to pay and payment plans against real invoices and payments."""

from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from .common import ArCollectionsCommon


class CommitmentsCommon(ArCollectionsCommon):
    def check_commitments(self, days_later=0):
        """Run the daily promise and plan check ``days_later`` days from today."""
        with freeze_time(self.today + timedelta(days=days_later)):
            self.env["ar.payment.plan"]._cron_check_commitments()

    def promise(self, moves, days=7, **values):
        wizard = (
            self.env["ar.promise.record"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create({"date_promised": self.today + timedelta(days=days), **values})
        )
        wizard._onchange_move_ids()
        wizard.action_record()
        return self.env["ar.promise"].search([("move_ids", "in", moves.ids)])

    def plan(self, moves, **values):
        wizard = (
            self.env["ar.payment.plan.create"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(
                {
                    "installment_count": 3,
                    "frequency": "monthly",
                    "date_first": self.today + timedelta(days=7),
                    **values,
                }
            )
        )
        wizard.action_create()
        return self.env["ar.payment.plan"].search([("move_ids", "in", moves.ids)])


@tagged("post_install", "-at_install")
class TestPromises(CommitmentsCommon):
    def test_open_promise_stops_chasing_and_is_kept_when_paid(self):
        customer = self.customer("Promiser")
        invoice = self.invoice(customer, 600, days_overdue=10)
        promise = self.promise(invoice)
        self.assertEqual(promise.amount_promised, 600.0)
        self.assertEqual(promise.state, "open")
        self.run_followup()
        self.assertFalse(self.mails_to(customer), "promised invoices are not chased")
        self.assertFalse(invoice.ar_level_id)
        self.pay(invoice)
        self.check_commitments()
        self.assertEqual(promise.state, "kept")
        self.assertEqual(customer.ar_promise_kept_count, 1)
        self.assertTrue(self.actions_of(customer, action_type="promise_kept"))

    def test_partially_kept_promise_returns_to_dunning(self):
        customer = self.customer("Half")
        invoice = self.invoice(customer, 1000, days_overdue=10)
        promise = self.promise(invoice, days=3)
        self.pay(invoice, amount=400)
        self.check_commitments(days_later=3)  # due date, grace 0: still open
        self.assertEqual(promise.state, "open")
        self.check_commitments(days_later=4)
        self.assertEqual(promise.state, "partial")
        self.assertEqual(promise.amount_paid, 400.0)
        self.assertFalse(invoice.ar_escalate)
        self.assertEqual(customer.ar_promise_broken_count, 1)
        with freeze_time(self.today + timedelta(days=4)):
            self.run_followup()
        self.assertEqual(invoice.ar_level_id, self.level_1)

    def test_broken_promise_escalates_one_level_and_plans_a_call(self):
        self.policy.grace_days = 2
        customer = self.customer("Breaker", ar_collector_id=self.collector.id)
        invoice = self.invoice(customer, 500, days_overdue=5)
        self.run_followup()
        self.assertEqual(invoice.ar_level_id, self.level_1)
        promise = self.promise(invoice, days=1)
        # Promised date + the policy's 2 grace days: still suspended.
        with freeze_time(self.today + timedelta(days=3)):
            self.run_followup()
        self.assertEqual(invoice.ar_level_id, self.level_1)
        self.check_commitments(days_later=3)
        self.assertEqual(promise.state, "open")
        self.check_commitments(days_later=4)
        self.assertEqual(promise.state, "broken")
        self.assertTrue(invoice.ar_escalate)
        activity = self.actions_of(customer, action_type="promise_broken").activity_id
        self.assertEqual(activity.user_id, self.collector)
        self.assertEqual(customer.ar_promise_broken_count, 1)
        # 9 days overdue: level 2 needs 15, but the broken promise moves it up.
        with freeze_time(self.today + timedelta(days=4)):
            self.run_followup()
        self.assertEqual(invoice.ar_level_id, self.level_2)
        self.assertFalse(invoice.ar_escalate)

    def test_promise_from_a_logged_call(self):
        customer = self.customer("Caller")
        invoice = self.invoice(customer, 300, days_overdue=10)
        with Form(
            self.env["ar.followup.log.call"].with_context(
                active_model="res.partner", active_ids=customer.ids
            )
        ) as form:
            form.outcome = "promised"
            form.promise_date = self.today + timedelta(days=5)
        form.save().action_log()
        promise = self.env["ar.promise"].search([("partner_id", "=", customer.id)])
        self.assertEqual(promise.move_ids, invoice)
        self.assertEqual(promise.amount_promised, 300.0)
        self.assertEqual(promise.date_promised, self.today + timedelta(days=5))

    def test_promise_from_the_customer_covers_everything_overdue(self):
        customer = self.customer("Whole book")
        overdue = self.invoice(customer, 300, days_overdue=10) | self.invoice(
            customer, 200, days_overdue=2
        )
        self.invoice(customer, 999, days_overdue=-10)  # not due yet
        with Form(
            self.env["ar.promise.record"].with_context(
                active_model="res.partner", active_ids=customer.ids
            )
        ) as form:
            form.channel = "email"
        form.save().action_record()
        promise = self.env["ar.promise"].search([("partner_id", "=", customer.id)])
        self.assertEqual(promise.move_ids, overdue)
        self.assertEqual(promise.amount_promised, 500.0)
        self.assertEqual(promise.channel, "email")

    def test_bad_promises(self):
        customer = self.customer("Bad promise")
        invoice = self.invoice(customer, 300, days_overdue=10)
        with self.assertRaisesRegex(UserError, "past"):
            self.promise(invoice, days=-1)
        other = self.invoice(self.customer("Other"), 300, days_overdue=10)
        with self.assertRaisesRegex(UserError, "one customer"):
            self.promise(invoice | other)


@tagged("post_install", "-at_install")
class TestPaymentPlans(CommitmentsCommon):
    def test_plan_from_two_invoices_follows_payments(self):
        fee_rule = self.env["ar.fee.rule"].create(
            {
                "name": "Overdue fee",
                "company_id": self.company.id,
                "fee_type": "fixed",
                "amount_fixed": 10,
                "charge_on": "overdue",
            }
        )
        customer = self.customer("Planner", email=True)
        invoices = self.invoice(customer, 400, days_overdue=20) | self.invoice(
            customer, 600, days_overdue=10
        )
        plan = self.plan(invoices)
        self.assertEqual(plan.state, "draft")
        self.assertEqual(plan.amount_total, 1000.0)
        self.assertEqual(
            plan.installment_ids.mapped("amount"), [333.33, 333.33, 333.34]
        )
        dates = plan.installment_ids.mapped("date_due")
        self.assertEqual(dates[0], self.today + timedelta(days=7))
        self.assertTrue(dates[0] < dates[1] < dates[2])
        self.assertLessEqual((dates[1] - dates[0]).days, 31)
        plan.action_accept()
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.accepted_user_id, self.env.user)
        self.assertTrue(plan.date_accepted)
        # In good standing: not chased, no fee.
        self.run_followup()
        self.assertFalse(self.mails_to(customer))
        self.assertFalse(self.env["ar.fee"].search([("rule_id", "=", fee_rule.id)]))
        # 400 paid on the older invoice: installment 1 paid, 2 partly.
        self.pay(invoices[0])
        self.check_commitments()
        first, second, third = plan.installment_ids
        self.assertEqual((first.state, first.amount_paid), ("paid", 333.33))
        self.assertEqual((second.state, second.amount_paid), ("partial", 66.67))
        self.assertEqual(third.state, "open")
        self.assertEqual(plan.amount_residual, 600.0)
        # Paying the rest completes the plan.
        self.pay(invoices[1])
        self.check_commitments()
        self.assertEqual(plan.state, "completed")
        self.assertTrue(self.actions_of(customer, action_type="plan_completed"))

    def test_missed_installment_breaks_the_plan_and_chasing_resumes(self):
        customer = self.customer("Misser", ar_collector_id=self.collector.id)
        invoices = self.invoice(customer, 300, days_overdue=20)
        plan = self.plan(invoices, installment_count=2)
        plan.action_accept()
        first_due = plan.installment_ids[0].date_due
        # Reminder 3 days before, once.
        days_to_first = (first_due - self.today).days
        self.check_commitments(days_later=days_to_first - 2)
        self.check_commitments(days_later=days_to_first - 1)
        reminder = self.env.ref("ar_collections.mail_template_installment_reminder")
        reminders = self.env["mail.mail"].search(
            [
                ("subject", "like", "installment due on"),
                ("recipient_ids", "in", customer.ids),
            ]
        )
        self.assertEqual(len(reminders), 1, reminder.name)
        # Missed: one message, then broken after the 5 tolerance days.
        self.check_commitments(days_later=days_to_first + 1)
        self.assertEqual(plan.state, "active")
        missed = self.env["mail.mail"].search(
            [("subject", "like", "not received"), ("recipient_ids", "in", customer.ids)]
        )
        self.assertEqual(len(missed), 1)
        self.check_commitments(days_later=days_to_first + 6)
        self.assertEqual(plan.state, "broken")
        self.assertTrue(invoices.ar_escalate)
        action = self.actions_of(customer, action_type="plan_broken")
        self.assertEqual(action.activity_id.user_id, self.collector)
        ended = self.env["mail.mail"].search(
            [("subject", "like", "has ended"), ("recipient_ids", "in", customer.ids)]
        )
        self.assertEqual(len(ended), 1)
        with freeze_time(self.today + timedelta(days=days_to_first + 6)):
            self.run_followup()
        self.assertTrue(invoices.ar_level_id, "chased again after the plan broke")

    def test_plan_fee_and_down_payment(self):
        customer = self.customer("Fee plan")
        invoice = self.invoice(customer, 900, days_overdue=20)
        plan = self.plan(
            invoice,
            installment_count=2,
            amount_down_payment=100,
            amount_fee=20,
        )
        self.assertEqual(plan.amount_total, 920.0)
        self.assertEqual(plan.installment_ids.mapped("amount"), [100.0, 410.0, 410.0])
        plan.action_accept()
        self.assertEqual(plan.fee_move_id.amount_total, 20.0)
        self.assertEqual(plan.fee_move_id.state, "posted")
        self.assertEqual(plan.amount_residual, 920.0)

    def test_bad_plans_are_refused(self):
        customer = self.customer("Bad plan")
        invoice = self.invoice(customer, 500, days_overdue=20)
        with self.assertRaisesRegex(UserError, "at least one installment"):
            self.plan(invoice, installment_count=0)
        paid = self.invoice(customer, 100, days_overdue=20)
        self.pay(paid)
        with self.assertRaisesRegex(UserError, "already paid"):
            self.plan(paid)
        other = self.invoice(self.customer("Someone else"), 100, days_overdue=20)
        with self.assertRaisesRegex(UserError, "one customer"):
            self.plan(invoice | other)
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        euro = self.invoice(customer, 100, days_overdue=20, currency_id=eur.id)
        with self.assertRaisesRegex(UserError, "one currency"):
            self.plan(invoice | euro)
        self.plan(invoice)
        with self.assertRaisesRegex(UserError, "already in the payment plan"):
            self.plan(invoice)

    def test_agreement_lists_schedule_and_signatures(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        customer = self.customer("Signer")
        invoice = self.invoice(customer, 1000, days_overdue=20)
        plan = self.plan(invoice)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_collections.action_report_payment_plan", plan.ids)[0]
            .decode()
        )
        self.assertIn("Payment plan agreement", html)
        self.assertIn(invoice.name, html)
        self.assertIn("333.34", html)
        self.assertIn("Date and signature", html)
        self.assertIn("days after its due date", html)


@tagged("post_install", "-at_install")
class TestPlanPortal(CommitmentsCommon, HttpCase):
    def test_portal_customer_sees_only_own_plans(self):
        mine = self.customer("Portal Co")
        theirs = self.customer("Other Co")
        portal_user = new_test_user(
            self.env,
            login="plan_portal",
            password="plan_portal",
            groups="base.group_portal",
            partner_id=mine.id,
        )
        my_plan = self.plan(self.invoice(mine, 900, days_overdue=20))
        my_plan.action_accept()
        their_plan = self.plan(self.invoice(theirs, 700, days_overdue=20))
        their_plan.action_accept()
        self.assertEqual(
            self.env["ar.payment.plan"].with_user(portal_user).search([]), my_plan
        )
        self.authenticate("plan_portal", "plan_portal")
        page = self.url_open("/my/payment_plans").text
        self.assertIn(my_plan.name, page)
        self.assertNotIn(their_plan.name, page)
        detail = self.url_open(f"/my/payment_plans/{my_plan.id}").text
        self.assertIn("plan_schedule", detail)
        self.assertIn("300.00", detail)
        response = self.url_open(f"/my/payment_plans/{their_plan.id}")
        self.assertNotIn(their_plan.name, response.text)
