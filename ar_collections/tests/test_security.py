from odoo.exceptions import AccessError, UserError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestMultiCompany(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.setup_other_company(name="Company B")["company"]
        cls.policy_b = cls.policy.copy(
            {"name": "Policy B", "company_id": cls.company_b.id, "is_default": False}
        )
        # B got the shipped policy as default when created; B uses Policy B.
        cls.env["ar.followup.policy"]._get_company_default(
            cls.company_b
        ).is_default = False
        cls.policy_b.is_default = True
        cls.partner = cls.customer("Shared Customer")
        cls.invoice_a = cls.invoice(cls.partner, 100, days_overdue=10)
        cls.invoice_b = cls.invoice(
            cls.partner, 900, days_overdue=10, company=cls.company_b
        )
        cls.user_a = cls._create_user(
            "collector_a", "ar_collections.ar_collections_group_manager"
        )

    def test_run_of_a_never_touches_b(self):
        run = self.run_followup(self.company)
        self.assertEqual(self.invoice_a.ar_level_id, self.level_1)
        self.assertFalse(self.invoice_b.ar_level_id)
        self.assertEqual(run.action_ids.line_ids.move_id, self.invoice_a)
        self.assertEqual(run.action_ids.company_id, self.company)

    def test_each_company_uses_its_own_sender_and_levels(self):
        self.company.email = "ar@company-a.example.com"
        self.company_b.email = "ar@company-b.example.com"
        self.run_followup(self.company)
        self.run_followup(self.company_b)
        mails = self.mails_to(self.partner)
        self.assertEqual(len(mails), 2)
        by_company = {
            self.env["ar.followup.action"]
            .search([("mail_message_id", "=", mail.mail_message_id.id)])
            .company_id: mail
            for mail in mails
        }
        self.assertIn("company-a", by_company[self.company].email_from)
        self.assertIn("company-b", by_company[self.company_b].email_from)
        self.assertIn("Company B", by_company[self.company_b].body_html)
        self.assertNotIn("Company B", by_company[self.company].body_html)
        action_b = self.env["ar.followup.action"].search(
            [("company_id", "=", self.company_b.id), ("action_type", "=", "email")]
        )
        self.assertEqual(action_b.line_ids.move_id, self.invoice_b)
        self.assertEqual(self.invoice_b.ar_level_id.policy_id, self.policy_b)

    def test_user_of_a_sees_nothing_of_b(self):
        self.run_followup(self.company)
        self.run_followup(self.company_b)
        env_a = self.env(user=self.user_a)
        for model in (
            "ar.followup.policy",
            "ar.followup.level",
            "ar.followup.run",
            "ar.followup.action",
            "ar.followup.action.line",
            "ar.followup.customer",
        ):
            with self.subTest(model=model):
                records = env_a[model].search([])
                self.assertTrue(records, f"{model}: user A sees company A")
                self.assertEqual(records.mapped("company_id"), self.company)
        self.assertEqual(self.partner.with_user(self.user_a).ar_amount_due, 100)


@tagged("post_install", "-at_install")
class TestAccessRights(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = cls.env["res.users"].create(
            {
                "name": "Salesman",
                "login": "salesman",
                "group_ids": [Command.set([cls.env.ref("base.group_user").id])],
            }
        )
        cls.partner = cls.customer("Rights Ltd")
        cls.invoice(cls.partner, 100, days_overdue=10)

    def test_collector_uses_but_does_not_configure(self):
        self.assertTrue(self.policy.with_user(self.collector).read(["name"]))
        with self.assertRaises(AccessError):
            self.env["ar.followup.policy"].with_user(self.collector).create(
                {
                    "name": "Mine",
                    "level_ids": [Command.create({"name": "L", "delay": 1})],
                }
            )
        with self.assertRaises(AccessError):
            self.level_1.with_user(self.collector).delay = 2
        with self.assertRaises(UserError):
            self.env["ar.followup.run"].with_user(self.collector).action_run_now()

    def test_manager_configures_and_runs(self):
        policy = (
            self.env["ar.followup.policy"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Mine",
                    "level_ids": [Command.create({"name": "L", "delay": 1})],
                }
            )
        )
        self.assertTrue(policy)
        action = self.env["ar.followup.run"].with_user(self.manager).action_run_now()
        run = self.env["ar.followup.run"].browse(action["res_id"])
        self.assertEqual(run.state, "done")
        self.assertTrue(run.action_ids)

    def test_user_without_collections_group_reads_nothing(self):
        self.run_followup()
        with self.assertRaises(AccessError):
            self.env["ar.followup.action"].with_user(self.salesman).search([])
        with self.assertRaises(AccessError):
            self.env["ar.followup.run"].with_user(self.salesman).search([])

    def test_accounting_groups_imply_collections_groups(self):
        accountant = self.env["res.users"].create(
            {
                "name": "Accountant",
                "login": "accountant_ar",
                "group_ids": [
                    Command.set([self.env.ref("account.group_account_manager").id])
                ],
            }
        )
        self.assertTrue(
            accountant.has_group("ar_collections.ar_collections_group_manager")
        )
        billing = self.env["res.users"].create(
            {
                "name": "Billing",
                "login": "billing_ar",
                "group_ids": [
                    Command.set([self.env.ref("account.group_account_invoice").id])
                ],
            }
        )
        self.assertTrue(billing.has_group("ar_collections.ar_collections_group_user"))
        self.assertFalse(
            billing.has_group("ar_collections.ar_collections_group_manager")
        )
