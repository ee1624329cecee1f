"""The collector's screens on a book that was late before follow-up started.

Each test reads a screen the way the web client does (the view's fields, the
search filter's domain) and checks what the user sees.
"""

from datetime import timedelta

from lxml import etree

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import format_date
from odoo.tools.safe_eval import safe_eval

from .test_commitments import CommitmentsCommon


@tagged("post_install", "-at_install")
class TestFirstHourScreens(CommitmentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.late = cls.customer("Late Ltd")
        cls.late_invoice = cls.invoice(cls.late, 400, days_overdue=100)
        cls.carol = cls.customer("Carol Ltd")
        cls.carol.with_company(cls.company).ar_collector_id = cls.collector
        cls.carol_invoice = cls.invoice(cls.carol, 300, days_overdue=16)
        cls.carol_invoice.ar_level_id = cls.level_1
        cls.fresh = cls.customer("Fresh Ltd")
        cls.fresh_invoice = cls.invoice(cls.fresh, 80, days_overdue=1)

    # helpers ---------------------------------------------------------------

    def filter_domain(self, model, name, user=None):
        """The domain of the search view's filter ``name``, as the client sends it."""
        arch = self.env[model].get_views([(False, "search")])["views"]["search"]["arch"]
        node = etree.fromstring(arch).xpath(f"//filter[@name='{name}']")[0]
        return safe_eval(node.get("domain"), {"uid": (user or self.env.user).id})

    def list_rows(self, model, domain, user=None):
        """web_search_read of the list view's fields, as the web client reads it."""
        records = self.env[model].with_user(user or self.env.user)
        views = records.get_views([(False, "list")])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        spec = {
            node.get("name"): {"fields": {"display_name": {}}}
            if views["models"][model]["fields"][node.get("name")]["type"] == "many2one"
            else {}
            for node in arch.xpath("//field")
        }
        return records.web_search_read(domain, spec)["records"]

    def preview_lines(self):
        preview = self.env["ar.followup.preview"].browse(
            self.env["ar.followup.preview"].action_open(self.company)["res_id"]
        )
        return preview.line_ids

    # 1. Due for action ---------------------------------------------------------

    def test_due_for_action_before_the_first_run(self):
        """Before any run nobody has a next date: the overdue are due today."""
        domain = self.filter_domain("ar.followup.customer", "due_for_action")
        rows = self.list_rows("ar.followup.customer", domain)
        names = {row["partner_id"]["display_name"] for row in rows}
        self.assertLessEqual({"Late Ltd", "Carol Ltd", "Fresh Ltd"}, names)
        late = next(r for r in rows if r["partner_id"]["id"] == self.late.id)
        self.assertEqual(late["date_next_action"], self.today)

    def test_due_for_action_after_a_run(self):
        """After a run, a customer whose next date moved on is not due today."""
        self.run_followup()
        self.assertGreater(self.late_invoice.ar_date_next_action, self.today)
        domain = self.filter_domain("ar.followup.customer", "due_for_action")
        partner_ids = {
            row["partner_id"]["id"]
            for row in self.list_rows("ar.followup.customer", domain)
        }
        self.assertNotIn(self.late.id, partner_ids)

    def test_empty_list_help_does_not_claim_nobody_is_overdue(self):
        action = self.env.ref("ar_collections.ar_followup_customer_action")
        self.assertNotIn("No customer is overdue", action.help)

    # 2. My customers to call today -------------------------------------------

    def test_my_customers_to_call_today_after_a_run(self):
        """The run plans a call for Carol (firm reminder): her collector sees her
        all day, until the call is made."""
        self.run_followup()
        self.assertEqual(self.carol_invoice.ar_level_id, self.level_2)
        self.assertGreater(self.carol_invoice.ar_date_next_action, self.today)
        action = self.env.ref("ar_collections.ar_worklist_action")
        self.assertIn("search_default_my_today", action.context)
        domain = self.filter_domain("ar.worklist", "my_today", self.collector)
        rows = self.list_rows("ar.worklist", domain, self.collector)
        self.assertEqual([row["partner_id"]["id"] for row in rows], self.carol.ids)
        self.assertEqual(rows[0]["date_call"], self.today)

        activity = self.actions_of(self.carol, action_type="call").activity_id
        activity.action_feedback(feedback="Called, will pay")
        self.assertFalse(self.list_rows("ar.worklist", domain, self.collector))

    def test_my_customers_to_call_before_the_first_run(self):
        domain = self.filter_domain("ar.worklist", "my_today", self.collector)
        rows = self.list_rows("ar.worklist", domain, self.collector)
        self.assertEqual([row["partner_id"]["id"] for row in rows], self.carol.ids)

    # 3. Run preview ------------------------------------------------------------

    def test_preview_says_what_suspends_an_invoice(self):
        promised = self.invoice(self.customer("Promised Ltd"), 200, days_overdue=20)
        self.promise(promised, days=10, amount_promised=200)
        planned = self.invoice(self.customer("Planned Ltd"), 900, days_overdue=20)
        plan = self.plan(planned)
        plan.action_accept()
        reason = self.env["ar.nonpayment.reason"].create(
            {"name": "Wrong delivery address", "suspend": True}
        )
        price = self.env["ar.nonpayment.reason"].create(
            {"name": "Price disagreement", "suspend": False}
        )
        disputed = self.invoice(self.customer("Disputed Ltd"), 150, days_overdue=20)
        self.env["ar.dispute"].create(
            {"move_id": disputed.id, "reason_id": price.id, "amount_disputed": 150}
        )
        on_hold = self.invoice(self.customer("Audit Ltd"), 120, days_overdue=20)
        on_hold.write({"ar_reason_id": reason.id, "ar_date_reason": self.today})

        lines = self.preview_lines()

        def detail(move):
            line = lines.filtered(lambda ln: ln.move_id == move)
            self.assertEqual(line.skip_reason, "suspended")
            return line.skip_detail

        self.assertEqual(
            detail(promised),
            "Promise to pay by "
            + format_date(self.env, self.today + timedelta(days=10)),
        )
        self.assertEqual(detail(planned), f"Payment plan {plan.name}")
        self.assertEqual(detail(disputed), "Open dispute: Price disagreement")
        self.assertEqual(detail(on_hold), "Non-payment reason: Wrong delivery address")

        moves = promised | planned | disputed | on_hold | self.late_invoice
        status = self.env["ar.chase.status"]
        reasons = status._suspension_texts(moves, self.today)
        self.assertEqual(set(reasons), status._suspended_ids(moves, self.today))

    def test_preview_lists_every_overdue_customer_with_a_reason(self):
        """One day late, under the first level's three days: listed, with when."""
        lines = self.preview_lines()
        fresh = lines.filtered(lambda ln: ln.move_id == self.fresh_invoice)
        self.assertEqual(len(fresh), 1, "a one-day-late customer is listed")
        self.assertFalse(fresh.new_level_id)
        self.assertEqual(
            fresh.skip_detail,
            "Next level on %s: Friendly reminder"
            % format_date(self.env, self.today + timedelta(days=2)),
        )
        self.policy.grace_days = 5
        fresh = self.preview_lines().filtered(
            lambda ln: ln.move_id == self.fresh_invoice
        )
        self.assertEqual(fresh.skip_reason, "not_due")
        late = self.invoice(self.customer("Grace Ltd"), 80, days_overdue=4)
        line = self.preview_lines().filtered(lambda ln: ln.move_id == late)
        self.assertEqual(line.skip_reason, "grace")
        self.assertEqual(
            line.skip_detail,
            "In grace period until " + format_date(self.env, self.today),
        )

    def test_preview_lists_excluded_invoices(self):
        self.fresh_invoice.write(
            {"no_followup": True, "ar_exclusion_reason": "Credit note coming"}
        )
        line = self.preview_lines().filtered(
            lambda ln: ln.move_id == self.fresh_invoice
        )
        self.assertEqual(
            line.skip_detail, "Excluded from follow-up: Credit note coming"
        )

    def test_preview_after_a_run_says_when_the_next_level_comes(self):
        self.run_followup()
        line = self.preview_lines().filtered(lambda ln: ln.move_id == self.late_invoice)
        # reached its level today: the next one waits for the cadence
        self.assertIn("Next level on", line.skip_detail)
        self.assertIn(
            format_date(self.env, self.late_invoice.ar_date_next_action),
            line.skip_detail,
        )

    # 4. Customers to follow up list -------------------------------------------

    def test_customers_list_shows_commitments(self):
        promised = self.invoice(self.customer("Promised Ltd"), 200, days_overdue=20)
        self.promise(promised, days=10, amount_promised=200)
        rows = {
            row["partner_id"]["id"]: row
            for row in self.list_rows("ar.followup.customer", [])
        }
        self.assertIn(promised.partner_id.id, rows, (promised.partner_id, rows))
        self.assertEqual(rows[promised.partner_id.id]["commitment"], "promise")
        self.assertFalse(rows[self.late.id]["commitment"])

    def test_customers_list_columns(self):
        """Company hidden when working in one company; no redundant open button."""
        arch = etree.fromstring(
            self.env["ar.followup.customer"]
            .with_user(self.collector)
            .get_views([(False, "list")])["views"]["list"]["arch"]
        )
        company = arch.xpath("//field[@name='company_id']")
        self.assertTrue(
            not company or "allowed_company_ids" in company[0].get("column_invisible")
        )
        shown = [
            node.get("name")
            for node in arch.xpath("//list/field")
            if node.get("optional") != "hide"
            and node.get("column_invisible") not in ("True", "1")
        ]
        self.assertLessEqual(len(shown), 9, shown)
        buttons = [node.get("string") for node in arch.xpath("//list/button")]
        self.assertEqual(buttons[0], "Log call")

    def test_row_opens_the_collections_tab(self):
        row = self.env["ar.followup.customer"].search(
            [("partner_id", "=", self.late.id)]
        )
        action = row.action_open_partner()
        self.assertEqual(action["res_id"], self.late.id)
        view_id = action["views"][0][0]
        arch = etree.fromstring(
            self.env["res.partner"].get_views([(view_id, "form")])["views"]["form"][
                "arch"
            ]
        )
        autofocus = arch.xpath("//page[@autofocus]")
        self.assertEqual([page.get("name") for page in autofocus], ["ar_collections"])


@tagged("post_install", "-at_install")
class TestFirstHourScreensTour(CommitmentsCommon, HttpCase):
    """The customers list as a collector sees it in a 1440 px wide browser."""

    browser_size = "1440x900"

    def test_customers_list_layout_and_stepping(self):
        new_test_user(
            self.env,
            login="tour_screens",
            groups="base.group_user,account.group_account_invoice,"
            "ar_collections.ar_collections_group_user",
            company_id=self.company.id,
            company_ids=self.company.ids,
            email="tour_screens@example.com",
            tz="UTC",
        )
        alpha = self.customer("Tour Alpha Trading Company International")
        self.invoice(alpha, 5000, days_overdue=40)
        beta = self.customer("Tour Beta Promised")
        promised = self.invoice(beta, 2000, days_overdue=20)
        self.promise(promised, days=10, amount_promised=2000)
        self.start_tour(
            "/odoo/action-ar_collections.ar_followup_customer_action",
            "ar_collections_customers_tour",
            login="tour_screens",
        )

    def test_customers_list_for_a_user_of_several_companies(self):
        other = self.setup_other_company()["company"]
        new_test_user(
            self.env,
            login="tour_multi",
            groups="base.group_user,base.group_multi_company,"
            "account.group_account_invoice,ar_collections.ar_collections_group_user",
            company_id=self.company.id,
            company_ids=(self.company | other).ids,
            email="tour_multi@example.com",
            tz="UTC",
        )
        self.invoice(self.customer("Tour Gamma Multi"), 900, days_overdue=30)
        self.start_tour(
            "/odoo/action-ar_collections.ar_followup_customer_action",
            "ar_collections_customers_multi_company_tour",
            login="tour_multi",
        )
