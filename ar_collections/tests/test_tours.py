from odoo.tests import HttpCase, new_test_user, tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestTours(ArCollectionsCommon, HttpCase):
    """Browser tours: the collector's and the manager's screens work end to end."""

    @classmethod
    def _tour_user(cls, login, *groups):
        return new_test_user(
            cls.env,
            login=login,
            groups=",".join(("base.group_user", *groups)),
            company_id=cls.company.id,
            company_ids=cls.company.ids,
            email=f"{login}@example.com",
            tz="UTC",
        )

    def test_collector_logs_a_call(self):
        self._tour_user(
            "tour_collector",
            "account.group_account_invoice",
            "ar_collections.ar_collections_group_user",
        )
        customer = self.customer("Tour Customer")
        self.invoice(customer, 1000, days_overdue=20)

        self.start_tour(
            "/odoo/action-ar_collections.ar_followup_customer_action",
            "ar_collections_collector_tour",
            login="tour_collector",
        )

        call = self.actions_of(customer, action_type="call_log")
        self.assertEqual(len(call), 1)
        self.assertEqual(call.outcome, "promised")
        self.assertEqual(call.note, "Will pay everything on Friday")
        self.assertEqual(call.user_id.login, "tour_collector")

    def test_manager_creates_a_policy_and_runs_it(self):
        self._tour_user(
            "tour_manager",
            "account.group_account_manager",
            "ar_collections.ar_collections_group_manager",
        )
        # The company's only default policy is the one the tour creates.
        self.policy.is_default = False
        customer = self.customer("Tour Debtor")
        invoice = self.invoice(customer, 500, days_overdue=10)

        self.start_tour(
            "/odoo/action-ar_collections.ar_followup_policy_action",
            "ar_collections_manager_tour",
            login="tour_manager",
        )

        policy = self.env["ar.followup.policy"].search(
            [("name", "=", "Tour policy"), ("company_id", "=", self.company.id)]
        )
        self.assertTrue(policy.is_default)
        self.assertEqual(
            [(lv.name, lv.delay) for lv in policy._get_levels()],
            [("Tour reminder", 5), ("Tour final notice", 20)],
        )
        run = self.env["ar.followup.run"].search(
            [("company_id", "=", self.company.id), ("state", "=", "done")]
        )
        self.assertEqual(len(run), 1)
        self.assertEqual(invoice.ar_level_id, policy._get_levels()[0])
        self.assertTrue(self.actions_of(customer, action_type="call", run_id=run.id))

    def test_collector_sets_up_a_payment_plan(self):
        self._tour_user(
            "tour_planner",
            "account.group_account_invoice",
            "ar_collections.ar_collections_group_user",
        )
        customer = self.customer("Tour Planner")
        invoice = self.invoice(customer, 1000, days_overdue=20)

        self.start_tour(
            f"/odoo/res.partner/{customer.id}",
            "ar_collections_plan_tour",
            login="tour_planner",
        )

        plan = self.env["ar.payment.plan"].search([("partner_id", "=", customer.id)])
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.move_ids, invoice)
        self.assertEqual(plan.installment_ids.mapped("amount"), [500.0, 500.0])
        self.assertEqual(plan.accepted_user_id.login, "tour_planner")
