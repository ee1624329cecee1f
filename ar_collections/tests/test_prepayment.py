from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestPrepaymentTerms(ArCollectionsCommon):
    """Chronic late payers pay up front: a level or the credit hold switches
    their payment terms, and their own terms come back when the hold is lifted."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.immediate = cls.env.ref("account.account_payment_term_immediate")
        cls.net_30 = cls.env.ref("account.account_payment_term_30days")
        cls.net_15 = cls.env.ref("account.account_payment_term_15days")
        cls.net_45 = cls.env.ref("account.account_payment_term_45days")
        cls.partner = cls.customer("Late Again Ltd")
        # Invoices first: the customer's terms would set their due dates.
        cls.move = cls.invoice(cls.partner, 1000, days_overdue=40)
        cls.move.ar_level_id = cls.level_2
        cls.partner.with_company(cls.company).property_payment_term_id = cls.net_30

    def terms(self, partner=None, company=None):
        partner = (partner or self.partner).with_company(company or self.company)
        return partner.property_payment_term_id

    def entries(self, action_type, partner=None):
        return self.actions_of(partner or self.partner, action_type=action_type)

    def test_hold_switches_terms_and_lifting_restores_them(self):
        self.company.ar_hold_payment_term_id = self.immediate
        self.partner.with_user(self.collector).action_ar_set_credit_hold()
        self.assertEqual(self.terms(), self.immediate)
        switched = self.entries("terms")
        self.assertEqual(len(switched), 1)
        self.assertEqual(switched.state, "done")
        self.assertIn(self.net_30.name, switched.note)
        self.assertIn(self.immediate.name, switched.note)
        self.assertEqual(switched.user_id, self.collector)
        partner = self.partner.with_company(self.company)
        self.assertEqual(partner.ar_payment_term_previous_id, self.net_30)
        # New invoices of a held customer are due at once.
        draft = self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.partner.id}
        )
        self.assertEqual(draft.invoice_payment_term_id, self.immediate)

        self.partner.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertEqual(self.terms(), self.net_30)
        self.assertFalse(partner.ar_payment_term_switched_id)
        self.assertFalse(partner.ar_payment_term_previous_id)
        restored = self.entries("terms_restored")
        self.assertEqual(len(restored), 1)
        self.assertIn(self.net_30.name, restored.note)

    def test_no_terms_restored_exactly(self):
        """ "No payment terms" comes back as none, even where the company has a
        default for customers without their own (Odoo's default value)."""
        self.env["ir.default"].set(
            "res.partner",
            "property_payment_term_id",
            self.net_15.id,
            company_id=self.company.id,
        )
        self.company.ar_hold_payment_term_id = self.immediate
        none = self.customer("No Terms Ltd")
        none.with_company(self.company).property_payment_term_id = False
        default = self.customer("Default Terms Ltd")
        self.assertFalse(self.terms(none))
        self.assertEqual(self.terms(default), self.net_15)
        customers = none + default
        customers.with_user(self.collector).action_ar_set_credit_hold()
        self.assertEqual(self.terms(none), self.immediate)
        self.assertEqual(self.terms(default), self.immediate)
        self.assertIn("no payment terms", self.entries("terms", none).note)
        customers.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertFalse(self.terms(none))
        self.assertEqual(self.terms(default), self.net_15)
        self.assertIn("no payment terms", self.entries("terms_restored", none).note)

    def test_level_switches_terms_in_the_run_and_payment_restores(self):
        self.level_3.payment_term_id = self.immediate
        self.company.ar_hold_payment_term_id = self.net_15  # the level's win
        self.assertIn("prepayment terms", self.level_3.action_summary)
        self.run_followup()
        self.assertEqual(self.move.ar_level_id, self.level_3)
        self.assertTrue(self.partner.with_company(self.company).ar_credit_hold)
        self.assertEqual(self.terms(), self.immediate)
        switched = self.entries("terms")
        self.assertEqual(len(switched), 1, "one switch, by the level")
        self.assertEqual(switched.origin, "run")
        self.assertEqual(switched.level_id, self.level_3)
        self.assertIn(self.level_3.name, switched.note)
        self.run_followup()
        self.assertEqual(len(self.entries("terms")), 1, "never twice")
        # The run's hold is lifted once nothing is overdue: the terms come back.
        self.pay(self.move)
        self.assertFalse(self.partner.with_company(self.company).ar_credit_hold)
        self.assertEqual(self.terms(), self.net_30)
        self.assertEqual(len(self.entries("terms_restored")), 1)

    def test_customer_already_on_the_terms_is_not_switched(self):
        self.level_3.payment_term_id = self.immediate
        self.partner.with_company(
            self.company
        ).property_payment_term_id = self.immediate
        self.run_followup()
        self.assertFalse(self.entries("terms"))
        self.partner.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertEqual(self.terms(), self.immediate)
        self.assertFalse(self.entries("terms_restored"))

    def test_terms_changed_by_hand_during_the_hold_are_kept(self):
        self.company.ar_hold_payment_term_id = self.immediate
        self.partner.with_user(self.collector).action_ar_set_credit_hold()
        self.partner.with_company(self.company).property_payment_term_id = self.net_45
        self.partner.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertEqual(self.terms(), self.net_45)
        note = self.entries("terms_restored").note
        self.assertIn("changed by hand", note)
        self.assertIn(self.net_30.name, note)

    def test_restore_button_is_for_managers(self):
        self.level_2.payment_term_id = self.immediate
        self.move.ar_level_id = self.level_1
        self.run_followup()
        self.assertEqual(self.move.ar_level_id, self.level_2)
        self.assertEqual(self.terms(), self.immediate)
        with self.assertRaisesRegex(UserError, "Collections Manager"):
            self.partner.with_user(self.collector).action_ar_restore_payment_terms()
        self.partner.with_user(self.manager).action_ar_restore_payment_terms()
        self.assertEqual(self.terms(), self.net_30)
        self.assertIn("Collections Manager", self.entries("terms_restored").note)
        with self.assertRaisesRegex(UserError, "did not switch"):
            self.partner.with_user(self.manager).action_ar_restore_payment_terms()

    def test_archived_or_foreign_terms_refused(self):
        archived = self.env["account.payment.term"].create({"name": "Old terms"})
        archived.active = False
        with self.assertRaisesRegex(ValidationError, "“Old terms” are archived"):
            self.level_3.payment_term_id = archived
        with self.assertRaisesRegex(ValidationError, "“Old terms” are archived"):
            self.company.ar_hold_payment_term_id = archived
        other = self.setup_other_company(name="Other Co")["company"]
        foreign = self.env["account.payment.term"].create(
            {"name": "Other's terms", "company_id": other.id}
        )
        with self.assertRaises(UserError):
            self.level_3.payment_term_id = foreign
        with self.assertRaisesRegex(ValidationError, "belong to Other Co"):
            self.company.ar_hold_payment_term_id = foreign

    def test_terms_archived_after_setup_fail_clearly_but_hold_stays(self):
        prepay = self.env["account.payment.term"].create({"name": "Prepayment"})
        self.level_3.payment_term_id = prepay
        self.company.ar_hold_payment_term_id = prepay
        prepay.active = False
        run = self.run_followup()
        self.assertTrue(self.partner.with_company(self.company).ar_credit_hold)
        self.assertEqual(self.terms(), self.net_30)
        failed = self.entries("terms")
        self.assertEqual(failed.mapped("state"), ["failed", "failed"])
        by_level = failed.filtered("run_id")
        self.assertEqual(by_level.run_id, run)
        self.assertIn("“Prepayment” are archived", by_level.error)
        self.assertIn(self.level_3.name, by_level.error)
        self.assertIn("Payment terms while on hold", (failed - by_level).error)
        self.assertEqual(run.failed_count, 1)
        # A hold set by hand: the hold is set, the terms' failure recorded.
        other = self.customer("Other Late Ltd")
        other.with_user(self.collector).action_ar_set_credit_hold()
        self.assertTrue(other.with_company(self.company).ar_credit_hold)
        failed = self.entries("terms", other)
        self.assertEqual(failed.state, "failed")
        self.assertIn("Payment terms while on hold", failed.error)

    def test_terms_per_company(self):
        company_2 = self.setup_other_company(name="Second Co")["company"]
        company_2.ar_hold_payment_term_id = self.net_15
        self.company.ar_hold_payment_term_id = self.immediate
        self.partner.with_company(company_2).property_payment_term_id = self.net_45
        self.partner.with_company(self.company).ar_credit_hold = True
        self.assertEqual(self.terms(), self.immediate)
        self.assertEqual(self.terms(company=company_2), self.net_45, "not held there")
        self.partner.with_company(company_2).ar_credit_hold = True
        self.assertEqual(self.terms(company=company_2), self.net_15)
        self.assertEqual(
            self.partner.with_company(company_2).ar_payment_term_previous_id,
            self.net_45,
        )
        entries = self.entries("terms")
        self.assertEqual(entries.company_id, self.company | company_2)
        self.partner.with_company(self.company).ar_credit_hold = False
        self.assertEqual(self.terms(), self.net_30)
        self.assertEqual(self.terms(company=company_2), self.net_15, "still held")
        self.partner.with_company(company_2).ar_credit_hold = False
        self.assertEqual(self.terms(company=company_2), self.net_45)

    def test_new_company_copies_only_shared_terms(self):
        shipped = self.env.ref("ar_collections.ar_followup_policy_default").sudo()
        own = (
            self.env["account.payment.term"]
            .sudo()
            .create({"name": "Main prepayment", "company_id": shipped.company_id.id})
        )
        first, *_middle, last = shipped._get_levels()
        first.payment_term_id = self.immediate
        last.payment_term_id = own
        later = self._create_company(name="Later Ltd")
        policy = self.env["ar.followup.policy"]._get_company_default(later)
        levels = policy._get_levels()
        self.assertEqual(levels[0].payment_term_id, self.immediate)
        self.assertFalse(levels[-1].payment_term_id)
