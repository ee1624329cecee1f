from datetime import timedelta

from freezegun import freeze_time
from psycopg2.errors import UniqueViolation

from odoo import fields
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestDailyRun(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.customer("Alice Ltd")
        cls.bob = cls.customer("Bob Ltd")
        cls.carol = cls.customer("Carol Ltd")
        cls.dave = cls.customer("Dave Ltd")
        cls.erin = cls.customer("Erin Ltd")
        cls.carol.with_company(cls.company).ar_collector_id = cls.collector
        cls.alice_recent = cls.invoice(cls.alice, 100, days_overdue=5)
        cls.alice_old = cls.invoice(cls.alice, 250, days_overdue=20)
        cls.bob_invoice = cls.invoice(cls.bob, 1000, days_overdue=40)
        cls.bob_invoice.ar_level_id = cls.level_2
        cls.carol_invoice = cls.invoice(cls.carol, 300, days_overdue=16)
        cls.carol_invoice.ar_level_id = cls.level_1
        cls.dave_invoice = cls.invoice(cls.dave, 80, days_overdue=2)
        cls.erin_invoice = cls.invoice(cls.erin, 500, days_overdue=40)
        cls.pay(cls.erin_invoice)

    def test_run_on_a_book(self):
        run = self.run_followup()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.date, self.today)
        # levels: one step each, never skipping the first reminder
        self.assertEqual(self.alice_recent.ar_level_id, self.level_1)
        self.assertEqual(self.alice_old.ar_level_id, self.level_1)
        self.assertEqual(self.bob_invoice.ar_level_id, self.level_3)
        self.assertEqual(self.carol_invoice.ar_level_id, self.level_2)
        self.assertFalse(self.dave_invoice.ar_level_id)
        self.assertFalse(
            self.erin_invoice.ar_level_id, "a paid invoice is never chased"
        )
        self.assertEqual(self.alice_old.ar_date_last_action, self.today)

        # one email per customer, listing all their overdue invoices
        alice_mails = self.mails_to(self.alice)
        self.assertEqual(len(alice_mails), 1)
        self.assertEqual(alice_mails.recipient_ids, self.alice)
        self.assertIn(self.alice_recent.name, alice_mails.body_html)
        self.assertIn(self.alice_old.name, alice_mails.body_html)
        self.assertIn(self.company.name, alice_mails.subject)
        self.assertIn(alice_mails.mail_message_id, self.alice.message_ids)
        for partner in (self.dave, self.erin):
            self.assertFalse(self.mails_to(partner))
            self.assertFalse(self.actions_of(partner))

        # the call is planned for the customer's collector
        call = self.actions_of(self.carol, action_type="call")
        self.assertEqual(call.activity_id.user_id, self.collector)
        self.assertEqual(call.activity_id.res_id, self.carol.id)
        self.assertEqual(
            call.activity_id.activity_type_id,
            self.env.ref("ar_collections.mail_activity_type_collection_call"),
        )

        # formal notice: letter queued, credit hold set and recorded
        letter = self.actions_of(self.bob, action_type="letter")
        self.assertEqual(letter.letter_state, "to_print")
        self.assertEqual(letter.level_id, self.level_3)
        self.assertEqual(letter.line_ids.move_id, self.bob_invoice)
        self.assertTrue(self.bob.with_company(self.company).ar_credit_hold)
        self.assertTrue(self.actions_of(self.bob, action_type="hold"))
        self.assertEqual(
            self.actions_of(self.bob, action_type="email").amount_due, 1000
        )

        # the run record counts what happened
        self.assertEqual(run.email_count, 3)
        self.assertEqual(run.letter_count, 1)
        self.assertEqual(run.call_count, 1)
        self.assertEqual(run.hold_count, 1)
        self.assertEqual(run.error_count, 0)
        # dave is not 3 days late yet: gone through (his invoice gets the date
        # of its first level), nothing sent
        self.assertEqual(run.partner_done, 4)
        self.assertEqual(
            self.dave_invoice.ar_date_next_action,
            self.dave_invoice.invoice_date_due + timedelta(days=3),
        )
        self.assertIn("Formal notice", run.summary)

        # days overdue and next date are stored for lists; the next level
        # comes at the levels' pace (15 - 3 days after the reminder), not the
        # next morning, however late the invoice already is
        self.assertEqual(self.alice_old.ar_days_overdue, 20)
        self.assertEqual(
            self.alice_old.ar_date_next_action, self.today + timedelta(days=12)
        )
        self.assertEqual(
            self.alice_recent.ar_date_next_action, self.today + timedelta(days=12)
        )
        self.assertIsNone(self.bob_invoice.ar_date_next_action or None)

    def test_message_lists_every_overdue_invoice(self):
        fresh = self.invoice(self.alice, 40, days_overdue=1)
        self.run_followup()
        email = self.actions_of(self.alice, action_type="email")
        line = email.line_ids.filtered(lambda ln: ln.move_id == fresh)
        self.assertTrue(line, "a day late: listed with the others")
        self.assertFalse(line.is_trigger)
        self.assertIn(fresh.name, self.mails_to(self.alice).body_html)
        self.assertFalse(fresh.ar_level_id, "but it reaches no level yet")
        self.assertEqual(email.amount_due, 390)

    def test_second_run_same_day_sends_nothing(self):
        self.run_followup()
        actions = self.env["ar.followup.action"].search([])
        mails = self.env["mail.mail"].search([])
        activities = self.env["mail.activity"].search([])
        second = self.run_followup()
        self.assertEqual(second.state, "done")
        self.assertFalse(second.action_ids)
        self.assertEqual(self.env["ar.followup.action"].search([]), actions)
        self.assertEqual(self.env["mail.mail"].search([]), mails)
        self.assertEqual(self.env["mail.activity"].search([]), activities)

    def test_stale_data_is_rechecked_after_locking(self):
        run = self.run_followup()
        email = self.actions_of(self.alice, action_type="email")
        # a worker that read the invoices before the levels were saved decides
        # the same level again: the history, read after locking, stops it
        (self.alice_old | self.alice_recent).ar_level_id = False
        run._process_batch(self.alice)
        self.assertEqual(self.actions_of(self.alice, action_type="email"), email)
        self.assertEqual(len(self.mails_to(self.alice)), 1)

    def test_database_refuses_a_duplicate_run_action(self):
        self.run_followup()
        email = self.actions_of(self.alice, action_type="email")
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.cr.savepoint(),
        ):
            email.copy({"date": email.date, "origin": "run"})
        line = email.line_ids.filtered("is_trigger")[:1]
        other_day = email.copy(
            {"date": email.date - timedelta(days=1), "origin": "run"}
        )
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.cr.savepoint(),
        ):
            line.copy({"action_id": other_day.id})

    def test_interrupted_run_resumes_and_does_each_action_once(self):
        self.env["ir.config_parameter"].sudo().set_param("ar_collections.batch_size", 1)
        run = self.env["ar.followup.run"].sudo()._start_or_resume(self.company, "cron")
        cutoff = run._company_cutoff(self.company, run.date)
        first = run._next_candidates(cutoff)
        run._process_batch(self.env["res.partner"].browse(first))
        run.write({"partner_cursor": first[-1], "partner_done": 1})
        # the worker dies here: the run stays "running"
        cron = self.env.ref("ar_collections.ir_cron_followup_daily_run")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        run.invalidate_recordset()
        self.assertEqual(run.state, "done")
        self.assertEqual(run.interruption_count, 1)
        self.assertIn("Resumed after an interruption", run.log)
        self.assertEqual(run.partner_done, 4)
        emails = self.env["ar.followup.action"].search(
            [("run_id", "=", run.id), ("action_type", "=", "email")]
        )
        self.assertEqual(len(emails), 3)
        self.assertTrue(all(emails.mapped("email_pending")), "recorded, not written")
        self.assertFalse(self.mails_to(self.alice))
        email_cron = self.env.ref("ar_collections.ir_cron_followup_send_emails")
        with self.enter_registry_test_mode():
            email_cron.method_direct_trigger()
            email_cron.method_direct_trigger()  # again: nothing is sent twice
        for partner in (self.alice, self.bob, self.carol):
            self.assertEqual(len(self.mails_to(partner)), 1, partner.name)
            email = self.actions_of(partner, action_type="email")
            self.assertEqual(len(email), 1)
            self.assertFalse(email.email_pending)
            self.assertEqual(
                email.mail_message_id, self.mails_to(partner).mail_message_id
            )
        self.assertEqual(
            self.env["ar.followup.run"].search_count(
                [("company_id", "=", self.company.id)]
            ),
            1,
        )

    def test_cron_run(self):
        cron = self.env.ref("ar_collections.ir_cron_followup_daily_run")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        run = self.env["ar.followup.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.trigger, "cron")
        self.assertEqual(run.email_count, 3)
        # Called again the same day (a trigger, another company's pause):
        # no second run walks the customers again.
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
        self.assertEqual(
            self.env["ar.followup.run"].search([("company_id", "=", self.company.id)]),
            run,
        )

    def test_customer_followed_up_meanwhile_does_not_stop_the_batch(self):
        """The batch is done together; a conflict falls back to one by one."""
        run = self.env["ar.followup.run"].sudo()._start_or_resume(self.company, "cron")
        partners = self.alice | self.bob | self.carol
        decisions = run._decide(self.company, run.date, partners)
        run._drop_done_decisions(decisions, self.company, run.date)
        run._note_fees_due(decisions)
        # Another worker follows Bob up between the check and the writing.
        other = self.env["ar.followup.action"].create(
            {
                "company_id": self.company.id,
                "partner_id": self.bob.id,
                "action_type": "email",
                "origin": "run",
                "date": run.date,
            }
        )
        with mute_logger("odoo.sql_db"):
            run._carry_out_decisions([c for c in decisions if c.moving])
        run._write_invoice_states(decisions)
        self.assertEqual(self.actions_of(self.bob, action_type="email"), other)
        self.assertIn("Bob Ltd: already followed up today", run.log)
        self.assertEqual(run.error_count, 0)
        for partner, invoice in (
            (self.alice, self.alice_old),
            (self.carol, self.carol_invoice),
        ):
            self.assertEqual(len(self.actions_of(partner, action_type="email")), 1)
            self.assertTrue(invoice.ar_level_id, partner.name)
        self.assertEqual(self.bob_invoice.ar_level_id, self.level_2, "left as it was")

    def test_history_statistics_are_refreshed_by_a_first_run(self):
        """PostgreSQL plans the history inserts' checks from these statistics."""

        def known_actions():
            self.env.cr.execute(
                "SELECT reltuples FROM pg_class "
                "WHERE oid = 'ar_followup_action'::regclass"
            )
            return self.env.cr.fetchone()[0]

        self.env.cr.execute("ANALYZE ar_followup_action")  # as after installing
        before = known_actions()
        run = self.run_followup()
        self.env.cr.execute("SELECT COUNT(*) FROM ar_followup_action")
        total = self.env.cr.fetchone()[0]
        self.assertGreater(len(run.action_ids), before)
        self.assertGreaterEqual(known_actions(), total)

    def test_a_batch_costs_the_same_queries_for_ten_times_the_customers(self):
        """Queries grow with the batches, not with the customers or invoices."""

        def batch_queries(count, tag):
            partners = self.env["res.partner"]
            for index in range(count):
                partner = self.customer(f"Batch {tag} {index}")
                self.invoice(partner, 100, days_overdue=20)
                self.invoice(partner, 50, days_overdue=5)
                partners |= partner
            self.env["ar.followup.run"].sudo().search([]).unlink()
            run = (
                self.env["ar.followup.run"]
                .sudo()
                ._start_or_resume(self.company, "manual")
            )
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            run._process_batch(partners)
            self.env.flush_all()
            queries = self.cr.sql_log_count - before
            self.assertEqual(
                len(self.env["ar.followup.action"].search([("run_id", "=", run.id)])),
                count,
            )
            return queries

        small = batch_queries(3, "small")
        large = batch_queries(30, "large")
        self.assertLess(large - small, 30, f"{small} then {large} queries")

    def test_exclusion_and_snooze(self):
        wizard = (
            self.env["ar.followup.exclude"]
            .with_context(active_model="account.move", active_ids=self.bob_invoice.ids)
            .create({"reason": "Goods returned, credit note coming"})
        )
        wizard.action_exclude()
        self.assertTrue(self.bob_invoice.no_followup)
        self.assertEqual(self.bob_invoice.ar_excluded_by_id, self.env.user)
        snooze = (
            self.env["ar.followup.snooze"]
            .with_context(active_model="res.partner", active_ids=self.alice.ids)
            .create({"date_until": self.today + timedelta(days=7), "note": "Holidays"})
        )
        snooze.action_snooze()
        self.run_followup()
        self.assertFalse(self.actions_of(self.bob, action_type="email"))
        self.assertEqual(self.bob_invoice.ar_level_id, self.level_2)
        self.assertFalse(self.actions_of(self.alice, action_type="email"))
        self.assertTrue(self.actions_of(self.alice, action_type="snooze"))
        self.assertEqual(
            self.alice_old.ar_date_next_action, self.today + timedelta(days=7)
        )
        self.assertTrue(self.actions_of(self.bob, action_type="exclusion"))

    def test_snooze_in_the_past_is_refused(self):
        with self.assertRaisesRegex(Exception, "future date"):
            self.env["ar.followup.snooze"].create(
                {"partner_ids": [Command.set(self.alice.ids)], "date_until": self.today}
            ).action_snooze()

    def test_net_balance_in_customer_favour_gets_nothing(self):
        # an open credit note as large as the overdue invoice
        credit = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.alice.id,
                "invoice_date": self.today,
                "invoice_line_ids": [
                    Command.create({"name": "Refund", "price_unit": 350, "tax_ids": []})
                ],
            }
        )
        credit.action_post()
        # an unapplied payment for Carol larger than what she owes
        payment = self.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": self.carol.id,
                "amount": 400,
                "date": self.today,
            }
        )
        payment.action_post()
        self.run_followup()
        self.assertFalse(self.actions_of(self.alice))
        self.assertFalse(self.actions_of(self.carol))
        self.assertTrue(self.actions_of(self.bob))

    def test_installments_only_late_ones_count(self):
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 60 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 60}
                    ),
                ],
            }
        )
        frank = self.customer("Frank Ltd")
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": frank.id,
                "invoice_date": self.today - timedelta(days=20),
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"name": "Work", "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        self.assertEqual(invoice.ar_date_due, self.today - timedelta(days=20))
        self.assertEqual(invoice.ar_amount_overdue, 500)
        self.assertEqual(invoice.ar_days_overdue, 20)
        self.pay(invoice, amount=500)
        self.assertEqual(invoice.ar_date_due, self.today + timedelta(days=40))
        self.run_followup()
        self.assertFalse(
            self.actions_of(frank), "the installment due later is not chased"
        )
        customer = self.env["ar.followup.customer"].search(
            [("partner_id", "=", frank.id)]
        )
        self.assertEqual(customer.amount_due, 500)
        self.assertEqual(customer.amount_overdue, 0)

    def test_minimum_amount(self):
        self.policy.minimum_amount = 301
        self.run_followup()
        self.assertTrue(self.actions_of(self.alice), "350 overdue is chased")
        self.assertFalse(self.actions_of(self.carol), "300 overdue is below 301")
        self.assertEqual(self.carol_invoice.ar_level_id, self.level_1)

    def test_review_mode_proposes_then_approval_sends(self):
        self.level_1.requires_approval = True
        run = self.run_followup()
        email = self.actions_of(self.alice, action_type="email")
        self.assertEqual(email.state, "proposed")
        self.assertFalse(self.mails_to(self.alice))
        self.assertFalse(self.alice_old.ar_level_id)
        self.assertEqual(self.alice_old.ar_date_next_action, self.today)
        self.assertEqual(run.proposed_count, 1)
        # the next run proposes nothing twice
        self.run_followup()
        self.assertEqual(self.actions_of(self.alice, action_type="email"), email)
        email.with_user(self.collector).action_approve()
        self.assertEqual(email.state, "done")
        self.assertEqual(len(self.mails_to(self.alice)), 1)
        self.assertEqual(self.alice_old.ar_level_id, self.level_1)

    def test_bank_statement_gate(self):
        self.policy.statement_max_age_days = 5
        run = self.run_followup()
        self.assertIn("bank statement", run.warning)
        self.assertTrue(run.action_ids, "warn mode still runs")
        self.env["ar.followup.action"].search([]).unlink()
        self.policy.statement_gate = "skip"
        self.assert_run_skipped("bank statement")

    def test_no_default_policy_skips_with_a_reason(self):
        self.policy.is_default = False
        self.assert_run_skipped("No default follow-up policy")

    def assert_run_skipped(self, reason):
        """Starting a run gives nothing to process and a skipped run saying why."""
        run = (
            self.env["ar.followup.run"].sudo()._start_or_resume(self.company, "manual")
        )
        self.assertFalse(run)
        last = self.env["ar.followup.run"].search([], limit=1)
        self.assertEqual(last.state, "skipped")
        self.assertIn(reason, last.warning)

    def test_customers_to_follow_up_figures(self):
        self.run_followup()
        rows = self.env["ar.followup.customer"].search(
            [("partner_id", "in", (self.alice | self.bob | self.erin).ids)]
        )
        by_partner = {row.partner_id: row for row in rows}
        self.assertNotIn(self.erin, by_partner, "nothing due, not listed")
        alice = by_partner[self.alice]
        self.assertEqual(alice.amount_due, 350)
        self.assertEqual(alice.amount_overdue, 350)
        self.assertEqual(alice.date_oldest_overdue, self.today - timedelta(days=20))
        self.assertEqual(alice.level_id, self.level_1)
        self.assertTrue(by_partner[self.bob].credit_hold)
        self.assertEqual(self.alice.ar_amount_overdue, 350)
        self.assertEqual(self.bob.ar_level_id, self.level_3)
        ordered = self.env["ar.followup.customer"].search(
            [("company_id", "=", self.company.id)], order="amount_overdue desc", limit=1
        )
        self.assertEqual(ordered.partner_id, self.bob)

    def test_company_local_date(self):
        self.company.partner_id.tz = "Pacific/Auckland"
        with freeze_time("2026-06-30 13:00:00"):
            self.assertEqual(
                str(self.env["ar.followup.run"]._company_today(self.company)),
                "2026-07-01",
            )
        self.company.partner_id.tz = "America/Los_Angeles"
        with freeze_time("2026-07-01 03:00:00"):
            self.assertEqual(
                str(self.env["ar.followup.run"]._company_today(self.company)),
                "2026-06-30",
            )

    def test_handover_stops_automation(self):
        handover = self.env["ar.followup.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Hand-over",
                "sequence": 40,
                "delay": 35,
                "tone": "handover",
                "hand_over": True,
            }
        )
        self.bob_invoice.ar_level_id = self.level_3
        self.run_followup()
        self.assertEqual(self.bob_invoice.ar_level_id, handover)
        self.assertEqual(self.bob_invoice.ar_handover_state, "handed_over")
        self.assertEqual(self.bob_invoice.ar_date_handover, self.today)
        self.assertFalse(self.actions_of(self.bob, action_type="email"))
        self.assertTrue(self.actions_of(self.bob, action_type="handover"))


@tagged("post_install", "-at_install")
class TestLevelOptions(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Jade Ltd")
        cls.director = cls.person(cls.partner, "Jade Director")
        cls.partner.ar_escalation_contact_ids = cls.director

    def test_escalation_contacts_and_invoice_pdfs(self):
        self.level_1.write({"copy_escalation_contacts": True, "attach_invoices": True})
        invoice = self.invoice(self.partner, 500, days_overdue=5)
        self.run_followup()
        mail = self.mails_to(self.partner)
        self.assertEqual(mail.recipient_ids, self.partner)
        self.assertIn(self.director.email, mail.email_cc)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertEqual(mail.attachment_ids.res_model, "account.move")
        self.assertEqual(mail.attachment_ids.res_id, invoice.id)

    def test_no_escalation_copy_unless_the_level_says_so(self):
        self.invoice(self.partner, 500, days_overdue=5)
        self.run_followup()
        self.assertEqual(self.mails_to(self.partner).recipient_ids, self.partner)

    def test_courtesy_reminder_before_the_due_date(self):
        courtesy = self.env["ar.followup.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Courtesy reminder",
                "sequence": 1,
                "delay": -5,
                "send_email": True,
                "mail_template_id": self.template.id,
            }
        )
        soon = self.invoice(self.partner, 300, days_overdue=-4)
        later = self.customer("Later Ltd")
        not_yet = self.invoice(later, 300, days_overdue=-6)
        self.run_followup()
        self.assertEqual(soon.ar_level_id, courtesy)
        self.assertIn(soon.name, self.mails_to(self.partner).body_html)
        self.assertFalse(not_yet.ar_level_id, "six days before: too early")
        self.assertFalse(self.mails_to(later))

    def test_email_without_address_fails_visibly(self):
        mute = self.customer("Mute Ltd", email=False)
        invoice = self.invoice(mute, 100, days_overdue=5)
        run = self.run_followup()
        email = self.actions_of(mute, action_type="email")
        self.assertEqual(email.state, "failed")
        self.assertIn("no email address", email.error)
        self.assertEqual(run.failed_count, 1)
        self.assertEqual(invoice.ar_level_id, self.level_1, "the level is reached")


@tagged("post_install", "-at_install")
class TestManualActions(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Grace Ltd")
        cls.contact = cls.person(cls.partner, "Grace Finance")
        cls.partner.ar_contact_id = cls.contact
        cls.old = cls.invoice(cls.partner, 400, days_overdue=25)

    def test_send_reminder_now_with_preview(self):
        wizard = (
            self.env["ar.followup.send"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_id=self.partner.id)
            .create({})
        )
        self.assertEqual(wizard.contact_id, self.contact)
        self.assertEqual(wizard.move_ids, self.old)
        self.assertEqual(wizard.level_id, self.level_1)
        self.assertIn(self.old.name, wizard.preview_body)
        self.assertFalse(self.actions_of(self.partner), "preview writes nothing")
        wizard.action_send()
        email = self.actions_of(self.partner, action_type="email")
        self.assertEqual(email.origin, "manual")
        self.assertEqual(email.user_id, self.collector)
        self.assertEqual(self.mails_to(self.partner).recipient_ids, self.contact)
        self.assertEqual(self.old.ar_level_id, self.level_1)
        # the daily run does not repeat the level the collector just sent
        self.run_followup()
        self.assertEqual(len(self.actions_of(self.partner, action_type="email")), 1)

    def test_send_reminder_through_the_form(self):
        """The dialog as a user fills it: preview renders on unsaved records."""
        context = {"active_model": "res.partner", "active_ids": self.partner.ids}
        form = Form(
            self.env["ar.followup.send"]
            .with_user(self.collector)
            .with_context(**context)
        )
        self.assertEqual(form.level_id, self.level_1)
        self.assertIn(self.old.name, form.preview_body)
        form.level_id = self.level_2
        self.assertIn("Reminder from", form.preview_subject)
        wizard = form.save()
        wizard.action_send()
        # the message is the chosen one; the invoice never skips a level
        self.assertEqual(self.old.ar_level_id, self.level_1)
        self.assertEqual(len(self.mails_to(self.partner)), 1)

    def test_preview_shows_what_the_run_would_do(self):
        preview = self.env["ar.followup.preview"].browse(
            self.env["ar.followup.preview"].action_open(self.company)["res_id"]
        )
        line = preview.line_ids.filtered(lambda ln: ln.move_id == self.old)
        self.assertEqual(line.new_level_id, self.level_1)
        self.assertIn("Email", line.actions)
        self.assertFalse(self.actions_of(self.partner), "a preview writes no history")
        self.run_followup()
        again = self.env["ar.followup.preview"].browse(
            self.env["ar.followup.preview"].action_open(self.company)["res_id"]
        )
        line = again.line_ids.filtered(lambda ln: ln.move_id == self.old)
        self.assertFalse(line.new_level_id)
        # reached its level today: the next one waits for the spacing
        self.assertEqual(line.skip_reason, "cadence")
        self.assertEqual(line.date_next, self.today + timedelta(days=12))

    def test_exclude_then_chase_again(self):
        self.env["ar.followup.exclude"].with_context(
            active_model="account.move", active_ids=self.old.ids
        ).create({"reason": "Waiting for a credit note"}).action_exclude()
        self.run_followup()
        self.assertFalse(self.actions_of(self.partner, action_type="email"))
        self.old.with_user(self.collector).action_ar_include()
        self.assertFalse(self.old.no_followup)
        note = self.actions_of(self.partner, action_type="note")
        self.assertIn("Waiting for a credit note", note.note)
        with self.assertRaisesRegex(UserError, "not excluded"):
            self.old.action_ar_include()

    def test_set_credit_hold_by_hand(self):
        self.partner.with_user(self.collector).action_ar_set_credit_hold()
        self.assertTrue(self.partner.with_company(self.company).ar_credit_hold)
        self.assertTrue(self.actions_of(self.partner, action_type="hold"))
        with self.assertRaisesRegex(UserError, "already on credit hold"):
            self.partner.action_ar_set_credit_hold()

    def test_send_refuses_invoices_of_two_customers(self):
        other = self.invoice(self.customer("Other Ltd"), 10, days_overdue=5)
        with self.assertRaisesRegex(Exception, "single customer"):
            self.env["ar.followup.send"].with_context(
                active_model="account.move", active_ids=(self.old | other).ids
            ).create({})

    def test_log_call_closes_planned_call(self):
        self.old.ar_level_id = self.level_1
        self.partner.with_company(self.company).ar_collector_id = self.collector
        self.run_followup()
        call = self.actions_of(self.partner, action_type="call")
        self.assertTrue(call.activity_id)
        wizard = (
            self.env["ar.followup.log.call"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_id=self.partner.id)
            .create(
                {
                    "outcome": "promised",
                    "note": "Pays Friday",
                    "move_ids": [Command.set(self.old.ids)],
                }
            )
        )
        wizard.action_log()
        logged = self.actions_of(self.partner, action_type="call_log")
        self.assertEqual(logged.outcome, "promised")
        self.assertEqual(logged.line_ids.move_id, self.old)
        self.assertFalse(
            call.activity_id.exists().filtered("active"), "the planned call is done"
        )

    def test_lift_credit_hold_is_for_managers(self):
        self.partner.with_company(self.company).ar_credit_hold = True
        with self.assertRaisesRegex(Exception, "Collections Manager"):
            self.partner.with_user(self.collector).action_ar_lift_credit_hold()
        self.partner.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertFalse(self.partner.with_company(self.company).ar_credit_hold)
        self.assertTrue(self.actions_of(self.partner, action_type="hold_lifted"))


@tagged("post_install", "-at_install")
class TestDates(ArCollectionsCommon):
    def test_days_overdue_refreshed_by_the_run(self):
        partner = self.customer("Henry Ltd")
        invoice = self.invoice(partner, 100, days_overdue=10)
        self.env.cr.execute(
            "UPDATE account_move SET ar_days_overdue = 1 WHERE id = %s", [invoice.id]
        )
        invoice.invalidate_recordset(["ar_days_overdue"])
        self.run_followup()
        self.assertEqual(invoice.ar_days_overdue, 10)
        self.assertEqual(
            fields.Date.context_today(invoice) - invoice.ar_date_due, timedelta(days=10)
        )
