"""A company created after install is followed up like the first one."""

from odoo.tests import tagged

from .common import ArCollectionsCommon


def level_values(policy):
    return [
        (
            level.name,
            level.delay,
            level.payment_days,
            level.tone,
            level.send_email,
            level.mail_template_id,
            level.print_letter,
            level.schedule_call,
            level.set_credit_hold,
            level.hand_over,
            level.requires_approval,
        )
        for level in policy._get_levels()
    ]


@tagged("post_install", "-at_install")
class TestNewCompany(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The shipped policy belongs to the main company: read it as admin.
        cls.shipped = cls.env.ref("ar_collections.ar_followup_policy_default").sudo()
        # With a chart of accounts, as a new company is set up in Invoicing.
        cls.later = cls._create_company(name="Later Ltd")

    def statutory_rules(self, company):
        return (
            self.env["ar.fee.rule"]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "=", company.id), ("rate_source", "!=", "fixed")])
        )

    def test_first_company_set_up_at_install(self):
        main = self.env.ref("base.main_company")
        Policy = self.env["ar.followup.policy"].sudo()
        self.assertEqual(Policy._get_company_default(main), self.shipped)
        self.assertEqual(
            sorted(self.statutory_rules(main).mapped("rate_source")), ["de", "eu", "uk"]
        )

    def test_new_company_gets_the_default_policy_and_statutory_rules(self):
        policy = self.env["ar.followup.policy"]._get_company_default(self.later)
        self.assertTrue(policy.active)
        self.assertNotEqual(policy, self.shipped)
        self.assertEqual(policy.name, self.shipped.name)
        self.assertEqual(policy.min_days_between, self.shipped.min_days_between)
        self.assertEqual(level_values(policy), level_values(self.shipped))
        self.assertEqual(len(policy.level_ids), 6)
        self.assertEqual(policy.level_ids.company_id, self.later)
        self.assertEqual(
            policy._get_levels()[0].mail_template_id,
            self.env.ref("ar_collections.mail_template_followup_reminder"),
        )
        rules = self.statutory_rules(self.later)
        self.assertEqual(sorted(rules.mapped("rate_source")), ["de", "eu", "uk"])
        self.assertFalse(any(rules.mapped("active")), "shipped archived, as at install")
        # Once only: setting up again adds nothing.
        self.later._ar_setup_collections()
        self.assertEqual(
            self.env["ar.followup.policy"]
            .with_context(active_test=False)
            .search_count([("company_id", "=", self.later.id)]),
            1,
        )
        self.assertEqual(self.statutory_rules(self.later), rules)

    def test_user_of_the_new_company_sees_its_fee_rules(self):
        manager = self._create_user(
            "later_manager", "ar_collections.ar_collections_group_manager", self.later
        )
        listed = (
            self.env["ar.fee.rule"]
            .with_user(manager)
            .with_context(active_test=False)
            .search([])
        )
        self.assertEqual(sorted(listed.mapped("rate_source")), ["de", "eu", "uk"])
        self.assertEqual(listed.company_id, self.later)

    def test_daily_run_of_the_new_company_sends_the_first_reminder(self):
        customer = self.customer("Later Customer")
        invoice = self.invoice(customer, 800, days_overdue=20, company=self.later)
        cron = self.env.ref("ar_collections.ir_cron_followup_daily_run")
        email_cron = self.env.ref("ar_collections.ir_cron_followup_send_emails")
        with self.enter_registry_test_mode():
            cron.method_direct_trigger()
            email_cron.method_direct_trigger()
        run = self.env["ar.followup.run"].search([("company_id", "=", self.later.id)])
        self.assertEqual(run.state, "done")
        first = self.env["ar.followup.policy"]._get_company_default(self.later)
        first = first._get_levels()[0]
        self.assertEqual(first.name, "Friendly reminder")
        self.assertEqual(invoice.ar_level_id, first)
        email = self.actions_of(customer, action_type="email")
        self.assertEqual(email.level_id, first)
        self.assertEqual(email.company_id, self.later)
        mail = self.mails_to(customer)
        self.assertEqual(len(mail), 1)
        self.assertIn("Later Ltd: friendly reminder", mail.subject)
