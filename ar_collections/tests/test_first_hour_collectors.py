"""A collector's first hour: promises, disputes, chatter, holds and escalations.

Each test reads what the collector sees: the wizard's form as the web client
builds it, the history entry's form fields, the chatter's rights, the email.
"""

from datetime import timedelta

from lxml import etree

from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.mail.tools.discuss import Store

from .common import ArCollectionsCommon


class FirstHourCommon(ArCollectionsCommon):
    def log_call_form(self, partner):
        return Form(
            self.env["ar.followup.log.call"].with_context(
                active_model="res.partner", active_ids=partner.ids
            )
        )

    def form_values(self, record):
        """The fields of ``record``'s form view, read as the web client does."""
        view = record.get_views([(False, "form")])["views"]["form"]
        names = {
            node.get("name")
            for node in etree.fromstring(view["arch"]).iter("field")
            if node.getparent().tag != "list"
        }
        return record.read(sorted(names))[0]

    def history_label(self, action):
        return action._action_type_labels()[action.action_type]


@tagged("post_install", "-at_install")
class TestLogCallPromise(FirstHourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Promise Ltd")
        cls.overdue = cls.invoice(cls.partner, 300, days_overdue=10) | cls.invoice(
            cls.partner, 200, days_overdue=2
        )
        cls.invoice(cls.partner, 999, days_overdue=-10)  # not due yet

    def test_promise_starts_at_the_overdue_amount_and_shows_in_the_history(self):
        with self.log_call_form(self.partner) as form:
            form.outcome = "promised"
            self.assertFalse(form._get_modifier("promise_amount", "invisible"))
            self.assertEqual(form.promise_amount, 500.0, "what is overdue")
            self.assertTrue(form.promise_date, "a date is proposed")
            form.promise_amount = 450
            form.promise_date = self.today + timedelta(days=5)
        result = form.save().action_log()
        call = self.env[result["res_model"]].browse(result["res_id"])
        self.assertEqual(call.action_type, "call_log")
        promise = self.env["ar.promise"].search([("partner_id", "=", self.partner.id)])
        self.assertEqual(promise.amount_promised, 450.0)
        self.assertEqual(promise.move_ids, self.overdue)
        # The history entry the collector lands on shows the promise.
        values = self.form_values(call)
        self.assertEqual(values["promise_id"][0], promise.id)
        self.assertEqual(values["promise_amount"], 450.0)
        self.assertEqual(values["promise_date"], self.today + timedelta(days=5))
        # The promise's own history entry links it too.
        entry = self.actions_of(self.partner, action_type="promise")
        self.assertEqual(entry.promise_id, promise)

    def test_promise_of_nothing_is_refused(self):
        for amount in (0, -20):
            with self.subTest(amount=amount):
                with self.log_call_form(self.partner) as form:
                    form.outcome = "promised"
                    form.promise_amount = amount
                with self.assertRaisesRegex(UserError, "more than zero"):
                    form.record.action_log()
        self.assertFalse(
            self.env["ar.promise"].search([("partner_id", "=", self.partner.id)])
        )

    def test_promise_wizard_refuses_nothing_too(self):
        with Form(
            self.env["ar.promise.record"].with_context(
                active_model="res.partner", active_ids=self.partner.ids
            )
        ) as form:
            self.assertEqual(form.amount_promised, 500.0)
            form.amount_promised = 0
        with self.assertRaisesRegex(UserError, "more than zero"):
            form.save().action_record()


@tagged("post_install", "-at_install")
class TestDisputeFirstHour(FirstHourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Contest Ltd")
        cls.move = cls.invoice(cls.partner, 1000, days_overdue=10)
        cls.pay(cls.move, amount=300)
        cls.goods = cls.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")

    def test_dispute_form_starts_at_what_is_left_to_pay(self):
        with Form(
            self.env["ar.dispute"]
            .with_user(self.collector)
            .with_context(default_move_id=self.move.id)
        ) as form:
            self.assertEqual(form.amount_disputed, 700.0)
            self.assertEqual(form.reason_id.category, "dispute")
        dispute = form.record
        self.assertEqual(self.move.ar_reason_id, dispute.reason_id)
        self.assertEqual(self.move.ar_date_reason, self.today)
        entry = self.actions_of(self.partner, dispute_id=dispute.id)
        self.assertEqual(entry.action_type, "dispute")
        self.assertEqual(self.history_label(entry), "Dispute opened")
        self.assertIn("Dispute opened", entry.display_name)
        values = self.form_values(entry)
        self.assertEqual(values["dispute_amount"], 700.0)
        self.assertEqual(values["dispute_reason_id"][0], dispute.reason_id.id)

    def test_partial_dispute_still_chases_the_rest_and_rejection_clears(self):
        with Form(
            self.env["ar.dispute"].with_context(default_move_id=self.move.id)
        ) as form:
            form.amount_disputed = 200
        dispute = form.record
        self.assertEqual(self.move.ar_reason_id, dispute.reason_id)
        self.assertNotIn(
            self.move.id,
            self.env["ar.chase.status"]._suspended_ids(self.move, self.today),
        )
        dispute.action_reject()
        self.assertFalse(self.move.ar_reason_id, "the dispute no longer explains it")
        rejected = self.actions_of(self.partner, action_type="dispute_rejected")
        self.assertEqual(rejected.dispute_id, dispute)
        self.assertEqual(self.history_label(rejected), "Dispute rejected")

    def test_log_call_disputed_opens_a_dispute(self):
        with self.log_call_form(self.partner) as form:
            form.outcome = "disputed"
            form.move_ids.add(self.move)
            form.reason_id = self.goods
            form.note = "Two pallets broken"
        result = form.save().action_log()
        call = self.env[result["res_model"]].browse(result["res_id"])
        dispute = self.env["ar.dispute"].search([("move_id", "=", self.move.id)])
        self.assertEqual(dispute.amount_disputed, 700.0)
        self.assertEqual(dispute.reason_id, self.goods)
        self.assertEqual(self.move.ar_reason_id, self.goods)
        self.assertEqual(self.form_values(call)["dispute_id"][0], dispute.id)
        self.assertFalse(self.actions_of(self.partner, action_type="note"))
        self.assertEqual(
            self.actions_of(self.partner, action_type="dispute").dispute_id, dispute
        )

    def test_log_call_disputed_needs_the_invoices(self):
        with self.log_call_form(self.partner) as form:
            form.outcome = "disputed"
            self.assertTrue(form._get_modifier("move_ids", "required"))
        wizard = self.env["ar.followup.log.call"].create(
            {"partner_id": self.partner.id, "outcome": "disputed"}
        )
        with self.assertRaisesRegex(UserError, "Select the invoices"):
            wizard.action_log()


@tagged("post_install", "-at_install")
class TestCollectorChatter(FirstHourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Chatty Ltd")
        cls.invoice(cls.partner, 100, days_overdue=5)
        cls.vendor = cls.customer("Supplier Ltd")
        cls.pure_collector = new_test_user(
            cls.env,
            login="pure_collector",
            groups="base.group_user,ar_collections.ar_collections_group_user",
            company_id=cls.company.id,
            company_ids=cls.company.ids,
            email="pure.collector@example.com",
        )

    def test_collector_posts_on_a_customer_without_editing_it(self):
        self.assertFalse(self.pure_collector.has_group("base.group_partner_manager"))
        partner = self.partner.with_user(self.pure_collector)
        note = partner.message_post(
            body="Called, no answer", subtype_xmlid="mail.mt_note"
        )
        message = partner.message_post(
            body="Please find your statement", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual((note | message).author_id, self.pure_collector.partner_id)
        self.assertIn(message, self.partner.message_ids)
        with self.assertRaises(AccessError):
            partner.write({"name": "Renamed"})

    def test_chatter_offers_send_message_and_log_note(self):
        store = Store()
        self.partner.with_user(self.pure_collector)._thread_to_store(
            store, [], request_list=[]
        )
        (thread,) = store.get_result()["mail.thread"]
        self.assertTrue(thread["hasReadAccess"])
        self.assertFalse(thread["hasWriteAccess"])
        self.assertTrue(thread["canPostOnReadonly"])

    def test_not_on_partners_that_are_not_customers(self):
        with self.assertRaises(AccessError):
            self.vendor.with_user(self.pure_collector).message_post(
                body="Hello", subtype_xmlid="mail.mt_note"
            )


@tagged("post_install", "-at_install")
class TestHoldOverrideReason(FirstHourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Held Ltd")
        cls.partner.with_company(cls.company).ar_credit_hold = True

    def test_post_anyway_asks_for_a_reason_and_records_it(self):
        draft = self.invoice(self.partner, 100, post=False)
        result = (
            draft.with_user(self.collector)
            .with_context(ar_hold_check=True)
            .action_post()
        )
        self.assertEqual(result["res_model"], "ar.credit.hold.confirm")
        Confirm = self.env["ar.credit.hold.confirm"].with_user(self.collector)
        with Form(Confirm.with_context(**result["context"])) as form:
            self.assertFalse(form._get_modifier("reason", "invisible"))
        wizard = form.record
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_post_anyway()
        self.assertEqual(draft.state, "draft")
        wizard.reason = "Paid in advance by bank transfer"
        wizard.action_post_anyway()
        self.assertEqual(draft.state, "posted")
        entry = self.actions_of(self.partner, action_type="note")
        self.assertIn("credit hold", entry.note)
        self.assertIn("Paid in advance by bank transfer", entry.note)
        self.assertEqual(entry.line_ids.move_id, draft)


@tagged("post_install", "-at_install")
class TestEscalationCc(FirstHourCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Escalate Ltd")
        cls.contact = cls.person(cls.partner, "Ann Payable")
        cls.director = cls.person(cls.partner, "Dan Director")
        cls.partner.write(
            {
                "ar_contact_id": cls.contact.id,
                "ar_escalation_contact_ids": [Command.set(cls.director.ids)],
            }
        )

    def test_escalation_contacts_are_copied_not_addressed(self):
        self.level_1.copy_escalation_contacts = True
        self.invoice(self.partner, 500, days_overdue=5)
        self.run_followup()
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.partner.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.contact, "the only To")
        self.assertIn("dan.director@example.com", mail.email_cc)
        self.assertNotIn("ann.payable@example.com", mail.email_cc)

    def test_no_cc_unless_the_level_says_so(self):
        self.invoice(self.partner, 500, days_overdue=5)
        self.run_followup()
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.partner.id)]
        )
        self.assertEqual(mail.recipient_ids, self.contact)
        self.assertFalse(mail.email_cc)
