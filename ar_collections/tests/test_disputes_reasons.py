from datetime import timedelta

from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestReasons(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Reason Ltd")
        cls.move = cls.invoice(cls.partner, 400, days_overdue=10)
        cls.confusing = cls.env.ref(
            "ar_collections.ar_nonpayment_reason_confusing_invoice"
        )
        cls.forgot = cls.env.ref("ar_collections.ar_nonpayment_reason_forgot")

    def suspended(self, move=None):
        move = move or self.move
        return move.id in self.env["ar.chase.status"]._suspended_ids(move, self.today)

    def test_default_reasons_shipped(self):
        reasons = self.env["ar.nonpayment.reason"].search([])
        self.assertGreaterEqual(len(reasons), 11)
        self.assertTrue(self.confusing.suspend)
        self.assertGreater(self.confusing.suspend_days, 0)
        self.assertFalse(self.forgot.suspend)

    def test_reason_on_invoice_suspends_until_expiry(self):
        self.env["ar.nonpayment.reason"]._apply(
            self.confusing, self.env["res.partner"], self.move, "Asked for details"
        )
        self.assertEqual(self.move.ar_reason_id, self.confusing)
        self.assertTrue(self.suspended())
        note = self.actions_of(self.partner, action_type="note")
        self.assertIn(self.confusing.name, note.note)
        self.assertEqual(note.line_ids.move_id, self.move)
        # The run leaves it alone while suspended...
        self.run_followup()
        self.assertFalse(self.move.ar_level_id)
        # ...and chases it again once the suspension days are over.
        self.move.ar_date_reason = self.today - timedelta(
            days=self.confusing.suspend_days
        )
        self.assertFalse(self.suspended())
        self.move.ar_date_reason = self.today - timedelta(
            days=self.confusing.suspend_days - 1
        )
        self.assertTrue(self.suspended())

    def test_non_suspending_reason_and_until_removed(self):
        self.env["ar.nonpayment.reason"]._apply(
            self.forgot, self.env["res.partner"], self.move
        )
        self.assertFalse(self.suspended())
        forever = self.env["ar.nonpayment.reason"].create(
            {"name": "Waiting for audit", "suspend": True, "suspend_days": 0}
        )
        self.move.write(
            {"ar_reason_id": forever.id, "ar_date_reason": self.today - timedelta(400)}
        )
        self.assertTrue(self.suspended())

    def test_reason_for_partner_from_call_outcome(self):
        wizard = (
            self.env["ar.followup.log.call"]
            .with_user(self.collector)
            .with_context(active_model="res.partner", active_ids=self.partner.ids)
            .create(
                {"outcome": "reached", "reason_id": self.confusing.id, "note": "PO?"}
            )
        )
        wizard.action_log()
        self.assertEqual(self.partner.ar_reason_id, self.confusing)
        self.assertEqual(self.partner.ar_date_reason, self.today)
        other = self.invoice(self.partner, 50, days_overdue=20)
        self.assertTrue(self.suspended(other))

    def test_negative_days_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.cr.savepoint():
                self.env["ar.nonpayment.reason"].create(
                    {"name": "Bad", "suspend": True, "suspend_days": -1}
                )


@tagged("post_install", "-at_install")
class TestDisputes(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Dispute Ltd")
        cls.move = cls.invoice(cls.partner, 1000, days_overdue=10)
        cls.reason = cls.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")

    def dispute(self, amount, move=None):
        return (
            self.env["ar.dispute"]
            .with_user(self.collector)
            .create(
                {
                    "move_id": (move or self.move).id,
                    "reason_id": self.reason.id,
                    "amount_disputed": amount,
                    "note": "Two items damaged",
                }
            )
        )

    def test_partial_dispute_chases_the_rest(self):
        dispute = self.dispute(300)
        self.assertEqual(dispute.partner_id, self.partner)
        self.assertEqual(dispute.user_id, self.collector)
        self.assertEqual(self.move.ar_amount_disputed, 300)
        self.assertNotIn(
            self.move.id,
            self.env["ar.chase.status"]._suspended_ids(self.move, self.today),
        )
        run = self.run_followup()
        self.assertEqual(self.move.ar_level_id, self.level_1)
        email = run.action_ids.filtered(lambda a: a.action_type == "email")
        self.assertEqual(email.line_ids.amount_residual, 700)
        self.assertEqual(email.amount_due, 700)

    def test_full_dispute_suspends_and_no_fee(self):
        self.env["ar.fee.rule"].create(
            {
                "name": "Fixed",
                "company_id": self.company.id,
                "fee_type": "fixed",
                "amount_fixed": 10,
                "fixed_per": "invoice",
                "charge_on": "overdue",
            }
        )
        self.assertTrue(self.env["ar.fee"]._due_charges(self.move, self.today))
        self.dispute(1000)
        self.assertIn(
            self.move.id,
            self.env["ar.chase.status"]._suspended_ids(self.move, self.today),
        )
        self.assertFalse(self.env["ar.fee"]._due_charges(self.move, self.today))
        self.run_followup()
        self.assertFalse(self.move.ar_level_id)

    def test_disputed_amount_bears_no_fee(self):
        self.dispute(400)
        balances = self.env["ar.fee"]._read_balances(self.move)
        self.assertEqual(balances[self.move.id][0][1], 600)

    def test_accept_opens_credit_note_and_records(self):
        dispute = self.dispute(1000)
        dispute.resolution = "Goods were damaged"
        action = dispute.action_accept()
        self.assertEqual(dispute.state, "accepted")
        self.assertEqual(dispute.resolved_by_id, self.collector)
        self.assertEqual(action["res_model"], "account.move.reversal")
        reversal = Form(
            self.env["account.move.reversal"].with_context(**action["context"])
        ).save()
        reversal.refund_moves()
        self.assertEqual(dispute.credit_note_id.reversed_entry_id, self.move)
        notes = self.actions_of(self.partner, action_type="dispute_accepted").mapped(
            "note"
        )
        self.assertTrue(any("accepted" in n and "damaged" in n for n in notes))

    def test_reject_chases_again(self):
        dispute = self.dispute(1000)
        self.run_followup()
        self.assertFalse(self.move.ar_level_id)
        dispute.action_reject()
        self.assertEqual(dispute.state, "rejected")
        self.assertNotIn(
            self.move.id,
            self.env["ar.chase.status"]._suspended_ids(self.move, self.today),
        )
        self.assertIn(
            "rejected", " ".join(self.actions_of(self.partner).mapped("note"))
        )
        with self.assertRaisesRegex(UserError, "already resolved"):
            dispute.action_reject()

    def test_bad_amounts_refused(self):
        for amount in (0, 1500):
            with self.subTest(amount=amount), self.assertRaises(ValidationError):
                with self.cr.savepoint():
                    self.dispute(amount)
        self.dispute(100)
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(IntegrityError),
            self.cr.savepoint(),
        ):
            self.dispute(100)  # one open dispute per invoice
