"""Statutory interest is not charged on a guess: a half-year whose reference
day comes after the rate table's confirmation waits, is announced, and is
charged by the first run after the table is confirmed, once."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tools.misc import format_date

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestStaleRateGuard(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        cls.env["ar.fee.rule"]._install_statutory_rules()
        cls.rule = (
            cls.env["ar.fee.rule"]
            .with_context(active_test=False)
            .search([("company_id", "=", cls.company.id), ("rate_source", "=", "eu")])
        )
        cls.rule.active = True
        cls.table = cls.env.ref("ar_collections.reference_rate_kind_ecb")
        cls.table.user_id = cls.manager
        # Dates relative to today: the half-year under way, its first month
        # over, the table last confirmed before it began.
        today = cls.today
        cls.half_year = date(today.year, 1 if today.month <= 6 else 7, 1)
        cls.day = cls.half_year + timedelta(days=40)
        cls.table.date_confirmed = cls.half_year - timedelta(days=20)
        cls.first_month = f"month-{cls.half_year:%Y-%m}"

    def fees(self, invoice):
        return self.env["ar.fee"].search([("move_id", "=", invoice.id)])

    def test_interest_waits_for_the_table_then_is_charged_once(self):
        with freeze_time(self.day):
            customer = self.customer("Late payer")
            # Due 45 days before the half-year began.
            invoice = self.invoice(
                customer, 1000, days_overdue=85, currency_id=self.eur.id
            )
            run = self.run_followup()
            keys = set(self.fees(invoice).mapped("period_key"))
            # The months of the confirmed half-year and the 40 EUR are charged;
            # the month that needs the new half-year's rate is not.
            self.assertIn("compensation", keys)
            self.assertIn(f"month-{self.half_year - timedelta(days=1):%Y-%m}", keys)
            self.assertNotIn(self.first_month, keys)
            # The run says so, the rule shows it, the manager has an activity.
            since = format_date(self.env, self.half_year)
            self.assertIn(
                f"Fee rule “{self.rule.name}”: Interest from {since} is not "
                "charged yet: it needs the ECB main refinancing rate",
                run.log,
            )
            self.assertEqual(run.error_count, 0)
            self.assertIn("is not charged yet", self.rule.rate_warning)
            rows = (
                self.env["ar.fee.rule"]
                .with_user(self.manager)
                .web_search_read([("id", "=", self.rule.id)], {"rate_warning": {}})
            )["records"]
            self.assertIn(since, rows[0]["rate_warning"])
            activity = self.table.activity_ids
            self.assertEqual(activity.user_id, self.manager)
            self.assertIn(self.rule.name, activity.note)
            # Another run the same day: nothing more, still one activity.
            self.run_followup()
            self.assertEqual(set(self.fees(invoice).mapped("period_key")), keys)
            self.assertEqual(len(self.table.activity_ids), 1)

            # The manager checks the ECB: no new rate, still in force.
            self.table.with_user(self.manager).action_confirm_in_force()
            self.assertEqual(self.table.date_confirmed, self.day)
            self.assertFalse(self.table.activity_ids)
            self.rule.invalidate_recordset(["rate_warning"])
            self.assertFalse(self.rule.rate_warning)

        with freeze_time(self.day + timedelta(days=1)):
            self.run_followup()
            self.run_followup()
        fees = self.fees(invoice)
        self.assertEqual(
            set(fees.mapped("period_key")), keys | {self.first_month}, "charged now"
        )
        self.assertEqual(len(fees), len(keys) + 1, "nothing charged twice")
        first_month = fees.filtered(lambda f: f.period_key == self.first_month)
        # ECB rate of the half-year's first day (2.15 %) + 8 points.
        self.assertEqual(first_month.rate, 10.15)

    def test_an_updated_table_charges_without_a_warning(self):
        self.table.date_confirmed = self.half_year
        with freeze_time(self.day):
            invoice = self.invoice(
                self.customer("On time table"),
                1000,
                days_overdue=85,
                currency_id=self.eur.id,
            )
            run = self.run_followup()
        self.assertIn(self.first_month, self.fees(invoice).mapped("period_key"))
        self.assertNotIn("not charged yet", run.log)
        self.assertFalse(self.table.activity_ids)
