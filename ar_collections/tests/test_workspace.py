from datetime import timedelta
from decimal import Decimal

from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tests import tagged

from ..engine.workspace import PriorityInput, priority, rank
from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestWorklist(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.small = cls.customer("Small Late Ltd")
        cls.big = cls.customer("Big Ltd")
        cls.old = cls.customer("Old Debt Ltd")
        cls.other = cls.customer("Someone Else's Ltd")
        for partner in (cls.small, cls.big, cls.old):
            partner.with_company(cls.company).ar_collector_id = cls.collector
        cls.invoice(cls.small, 200, days_overdue=5)
        cls.invoice(cls.big, 9000, days_overdue=10)
        cls.old_move = cls.invoice(cls.old, 500, days_overdue=70)
        cls.old_move.ar_level_id = cls.level_2
        cls.invoice(cls.other, 50000, days_overdue=90)
        cls.invoice(cls.small, 300, days_overdue=-10)  # not due: not counted

    def test_priority_ordering_on_a_known_book(self):
        rows = (
            self.env["ar.worklist"]
            .with_user(self.collector)
            .search([("collector_id", "=", self.collector.id)])
        )
        self.assertEqual(rows.partner_id, self.old | self.big | self.small)
        # By hand: old = 0.5 + 35 + 30 (level 2) + 25 (no score) = 90.5,
        # big = 9 + 5 + 25 = 39, small = 0.2 + 2.5 + 25 = 27.7.
        self.assertEqual(rows.mapped("partner_id"), self.old + self.big + self.small)
        self.assertEqual(rows.mapped("priority"), [90.5, 39.0, 27.7])
        expected = {
            row.partner_id.id: PriorityInput(
                Decimal(str(row.amount_overdue)),
                row.days_overdue,
                row.level_rank,
                row.broken_promises,
                row.behaviour_score if row.has_score else None,
            )
            for row in rows
        }
        self.assertEqual(rank(expected), rows.partner_id.ids)
        for row in rows:
            self.assertEqual(
                Decimal(str(row.priority)), priority(expected[row.partner_id.id])
            )
        small = rows.filtered(lambda r: r.partner_id == self.small)
        self.assertEqual(small.amount_overdue, 200)

    def test_my_customers_today_and_buttons(self):
        self.small.with_company(self.company).ar_snooze_until = self.today + timedelta(
            days=3
        )
        self.env.flush_all()
        action = self.env.ref("ar_collections.ar_worklist_action")
        self.assertIn("search_default_my_today", action.context)
        today = (
            self.env["ar.worklist"]
            .with_user(self.collector)
            .search(
                [("collector_id", "=", self.collector.id), ("to_call_today", "=", True)]
            )
        )
        self.assertEqual(today.partner_id, self.old | self.big)
        row = today[0]
        for method, model in [
            ("action_log_call", "ar.followup.log.call"),
            ("action_promise", "ar.promise.record"),
            ("action_plan", "ar.payment.plan.create"),
            ("action_snooze", "ar.followup.snooze"),
            ("action_send_reminder", "ar.followup.send"),
            ("action_dispute", "ar.dispute"),
        ]:
            with self.subTest(method=method):
                result = getattr(row, method)()
                self.assertEqual(result["res_model"], model)
                self.assertEqual(result["context"]["active_ids"], row.partner_id.ids)
        log = (
            self.env["ar.followup.log.call"]
            .with_user(self.collector)
            .with_context(**row.action_log_call()["context"])
            .create({"outcome": "no_answer"})
        )
        self.assertEqual(log.partner_id, row.partner_id)


@tagged("post_install", "-at_install")
class TestCreditHold(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.customer("Hold Ltd")
        cls.move = cls.invoice(cls.partner, 1000, days_overdue=40)
        cls.move.ar_level_id = cls.level_2
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Salesperson",
                "login": "salesperson",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [Command.set([cls.env.ref("base.group_user").id])],
            }
        )

    def held(self, partner=None):
        return (partner or self.partner).with_company(self.company).ar_credit_hold

    def test_hold_set_by_level_and_lifted_on_payment(self):
        self.run_followup()
        self.assertEqual(self.move.ar_level_id, self.level_3)
        self.assertTrue(self.held())
        self.pay(self.move, amount=400)
        self.assertTrue(self.held(), "still overdue: the hold stays")
        self.pay(self.move)
        self.assertFalse(self.held())
        lifted = self.actions_of(self.partner, action_type="hold_lifted")
        self.assertIn("automatically", lifted.note)

    def test_manual_hold_is_not_lifted_by_payment(self):
        self.partner.with_user(self.collector).action_ar_set_credit_hold()
        self.pay(self.move)
        self.assertTrue(self.held())
        self.env["res.partner"]._ar_lift_cleared_holds(self.company, self.today)
        self.assertTrue(self.held())

    def draft(self):
        return self.invoice(self.partner, 100, post=False)

    def test_posting_for_held_customer_asks_collectors(self):
        self.partner.with_company(self.company).ar_credit_hold = True
        draft = self.draft()
        self.assertTrue(draft.ar_partner_credit_hold)
        result = (
            draft.with_user(self.collector)
            .with_context(ar_hold_check=True)
            .action_post()
        )
        self.assertEqual(result["res_model"], "ar.credit.hold.confirm")
        self.assertEqual(draft.state, "draft")
        wizard = (
            self.env["ar.credit.hold.confirm"]
            .with_user(self.collector)
            .with_context(**result["context"])
            .create({})
        )
        self.assertIn(self.partner.name, wizard.partner_names)
        wizard.action_keep_draft()
        self.assertEqual(draft.state, "draft")
        wizard.reason = "Paid in advance"
        wizard.action_post_anyway()
        self.assertEqual(draft.state, "posted")
        notes = self.actions_of(self.partner, action_type="note").mapped("note")
        self.assertTrue(any("left in draft" in n for n in notes))
        self.assertTrue(any(draft.name in n and "Collector" in n for n in notes))

    def test_managers_post_without_question_but_recorded(self):
        self.partner.with_company(self.company).ar_credit_hold = True
        draft = self.draft()
        draft.with_user(self.manager).with_context(ar_hold_check=True).action_post()
        self.assertEqual(draft.state, "posted")
        note = self.actions_of(self.partner, action_type="note")
        self.assertIn(draft.name, note.note)
        # Posting by code (fees, plans) never asks.
        other = self.draft()
        other.with_user(self.collector).action_post()
        self.assertEqual(other.state, "posted")

    def test_form_button_asks(self):
        view = self.env.ref("ar_collections.account_move_view_form_hold_check")
        self.assertIn("ar_hold_check", view.arch)

    def test_automatic_hold_over_credit_limit(self):
        other = self.customer("Limit Ltd")
        self.invoice(other, 800, days_overdue=5)
        self.company.account_use_credit_limit = True
        other.with_company(self.company).credit_limit = 500
        model = self.env["res.partner"]
        self.assertFalse(model._ar_hold_over_credit_limit(self.company, self.today))
        self.env["ir.config_parameter"].set_param(
            "ar_collections.hold_over_credit_limit", "1"
        )
        held = model._ar_hold_over_credit_limit(self.company, self.today)
        self.assertIn(other, held)
        self.assertTrue(self.held(other))

    def test_salesperson_reads_hold_but_cannot_lift(self):
        self.partner.with_company(self.company).ar_credit_hold = True
        as_sales = self.partner.with_user(self.salesperson).with_company(self.company)
        self.assertTrue(as_sales.ar_credit_hold)
        self.assertTrue(self.draft().with_user(self.salesperson).ar_partner_credit_hold)
        with self.assertRaises(UserError):
            as_sales.action_ar_lift_credit_hold()
        with self.assertRaises(UserError):  # AccessError is a UserError
            as_sales.write({"ar_credit_hold": False})
        self.assertTrue(self.held())
        self.partner.with_user(self.manager).action_ar_lift_credit_hold()
        self.assertFalse(self.held())
