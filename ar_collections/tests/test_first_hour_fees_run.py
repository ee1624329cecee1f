"""Issue 12, first hour on a real book: the late fee rules and the run screens,
read through their views as the web client reads them."""

from lxml import etree

from odoo.tests import tagged

from .common import ArCollectionsCommon


class ViewReader:
    """Read records through a view the way the web client does: the view's
    fields (and its x2many sub-lists) in one ``web_search_read`` / ``web_read``,
    so a crashing compute behind any column or field shows up."""

    @classmethod
    def specification(cls, node, model, fields_of):
        spec = {}
        for field in node.iter("field"):
            parent = field.getparent()
            while parent is not None and parent is not node and parent.tag != "field":
                parent = parent.getparent()
            if parent is not None and parent.tag == "field":
                continue  # read by the x2many's own sub-specification
            name = field.get("name")
            info = fields_of[model][name]
            sub = {}
            if info["type"] in ("one2many", "many2many"):
                subview = next(
                    (child for child in field if child.tag in ("list", "kanban")), None
                )
                sub = {"fields": {"display_name": {}}}
                if subview is not None:
                    sub = {
                        "fields": cls.specification(
                            subview, info["relation"], fields_of
                        )
                    }
            elif info["type"] == "many2one":
                sub = {"fields": {"display_name": {}}}
            spec[name] = sub
        return spec

    @classmethod
    def rows(cls, model, view_type, domain=None, records=None):
        """Rows of ``model`` (an env model) through its default ``view_type``
        view, with the view's arch."""
        views = model.get_views([(False, view_type)])
        arch = etree.fromstring(views["views"][view_type]["arch"])
        fields_of = {name: info["fields"] for name, info in views["models"].items()}
        spec = cls.specification(arch, model._name, fields_of)
        if records is not None:
            return records.with_env(model.env).web_read(spec), arch
        return model.web_search_read(domain or [], spec)["records"], arch


@tagged("post_install", "-at_install")
class TestFirstHourFeeRules(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ar.fee.rule"]._install_statutory_rules()
        cls.statutory = (
            cls.env["ar.fee.rule"]
            .with_context(active_test=False)
            .search(
                [("company_id", "=", cls.company.id), ("rate_source", "!=", "fixed")]
            )
        )
        cls.reminder_fee = cls.env["ar.fee.rule"].create(
            {
                "name": "Reminder fee",
                "company_id": cls.company.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
                "fixed_per": "reminder",
            }
        )
        cls.interest = cls.env["ar.fee.rule"].create(
            {
                "name": "Late payment interest",
                "company_id": cls.company.id,
                "fee_type": "interest",
                "charge_on": "monthly",
                "annual_rate": 8.0,
                "grace_days": 30,
                "amount_min": 1.0,
            }
        )

    def rules_model(self, **context):
        return (
            self.env["ar.fee.rule"]
            .with_user(self.manager)
            .with_context(lang="en_US", **context)
        )

    def summaries(self, rows):
        return {row["name"]: row["description"] for row in rows}

    def test_each_statutory_rule_active_lists_and_opens(self):
        self.assertEqual(
            sorted(self.statutory.mapped("rate_source")), ["de", "eu", "uk"]
        )
        expected = {
            "eu": "ECB reference rate + 8 points a year; plus 40.00\N{NO-BREAK SPACE}€ "
            "per invoice",
            "uk": "Bank of England base rate + 8 points a year; plus "
            "£\N{NO-BREAK SPACE}40 / £\N{NO-BREAK SPACE}70 / £\N{NO-BREAK SPACE}100 "
            "per invoice by debt size",
            "de": "German base rate + 9 points a year (consumers: + 5); plus "
            "40.00\N{NO-BREAK SPACE}€ per invoice",
        }
        for rule in self.statutory:
            with self.subTest(rule=rule.rate_source):
                self.statutory.active = False
                rule.active = True
                # Collections > Late fee rules
                rows, _arch = ViewReader.rows(self.rules_model(), "list")
                self.assertEqual(
                    self.summaries(rows)[rule.name], expected[rule.rate_source]
                )
                # the "Archived" filter: its domain, and with active_test off
                for model in (
                    self.rules_model(),
                    self.rules_model(active_test=False),
                ):
                    archived, _arch = ViewReader.rows(
                        model, "list", domain=[("active", "=", False)]
                    )
                    self.assertEqual(
                        {row["id"] for row in archived},
                        set((self.statutory - rule).ids),
                    )
                everything, _arch = ViewReader.rows(
                    self.rules_model(active_test=False), "list"
                )
                self.assertEqual(len(everything), 5)
                # the form
                [form], _arch = ViewReader.rows(
                    self.rules_model(), "form", records=rule
                )
                self.assertEqual(form["description"], expected[rule.rate_source])
                self.assertEqual(form["name"], rule.name)

    def test_summaries_format_amounts_and_leave_empty_parts_out(self):
        rows, arch = ViewReader.rows(self.rules_model(active_test=False), "list")
        summaries = self.summaries(rows)
        self.assertEqual(
            summaries["Reminder fee"], "$\N{NO-BREAK SPACE}15.00 per reminder level"
        )
        self.assertEqual(
            summaries["Late payment interest"],
            "8% a year; after 30 grace days; minimum $\N{NO-BREAK SPACE}1.00",
        )
        percent = self.env["ar.fee.rule"].create(
            {
                "name": "Collection fee",
                "company_id": self.company.id,
                "fee_type": "percent",
                "percent": 2.5,
                "amount_max": 1500.0,
                "max_percent": 10.0,
            }
        )
        self.assertEqual(
            percent.with_context(lang="en_US").description,
            "2.5% of the overdue amount; at most $\N{NO-BREAK SPACE}1,500.00; "
            "at most 10% of the invoice",
        )
        for row in rows:
            for value in row.values():
                self.assertNotIn("None", str(value))
        self.assertNotIn("None", str(etree.tostring(arch)))
        # Nothing in any choice the form offers reads "None" either.
        fields = self.rules_model().fields_get(attributes=["selection"])
        for name, info in fields.items():
            for _value, label in info.get("selection", []):
                self.assertNotEqual(label, "None", name)

    def test_summary_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        eur = self.env.ref("base.EUR")
        self.reminder_fee.write({"currency_id": eur.id, "amount_fixed": 1234.5})
        summary = self.reminder_fee.with_context(lang="fr_FR").description
        # French digits (fr_FR: "," for decimals, a space for thousands) and
        # the euro after the amount.
        self.assertIn("1\N{NO-BREAK SPACE}234,50\N{NO-BREAK SPACE}€", summary)
        self.assertNotIn("1234.5", summary)


@tagged("post_install", "-at_install")
class TestFirstHourRunScreen(ArCollectionsCommon):
    """A daily run on a book already late when follow-up starts, with a fee
    charged with the friendly reminder: the run's list and form."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fee_rule = cls.env["ar.fee.rule"].create(
            {
                "name": "Reminder fee",
                "company_id": cls.company.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
            }
        )
        cls.level_1.fee_rule_ids = cls.fee_rule
        cls.alice = cls.customer("Alice Ltd")
        cls.bob = cls.customer("Bob Ltd")
        cls.dave = cls.customer("Dave Ltd")
        cls.invoice(cls.alice, 100, days_overdue=40)
        cls.invoice(cls.alice, 250, days_overdue=100)
        cls.invoice(cls.bob, 1000, days_overdue=60)
        cls.invoice(cls.dave, 80, days_overdue=1)  # not late enough for a level
        # No bank statement line yet: the run warns and goes on.
        cls.policy.statement_max_age_days = 5

    def runs_model(self):
        return self.env["ar.followup.run"].with_user(self.manager)

    def test_run_form_and_list_after_a_daily_run(self):
        run = self.run_followup()
        self.assertEqual(run.state, "done")
        [form], arch = ViewReader.rows(self.runs_model(), "form", records=run)

        # Each customer once: Alice 350 (email and fee rows), Bob 1,000.
        self.assertEqual(form["customer_count"], 2)
        self.assertEqual(form["amount_overdue"], 1350.0)
        rows = form["action_ids"]
        self.assertEqual(
            sorted(
                (row["partner_id"]["display_name"], row["action_type"]) for row in rows
            ),
            [
                ("Alice Ltd", "email"),
                ("Alice Ltd", "fee"),
                ("Bob Ltd", "email"),
                ("Bob Ltd", "fee"),
            ],
        )
        # The totals under the Actions list add up what a user expects.
        actions_list = arch.xpath("//field[@name='action_ids']/list")[0]
        totals = {
            column.get("name"): sum(row[column.get("name")] for row in rows)
            for column in actions_list.xpath("field[@sum]")
        }
        self.assertEqual(totals.get("amount_due", 1350.0), 1350.0)
        self.assertEqual(totals.get("amount_fee"), 45.0)
        # Fee rows show the fee charged: 15 on each of Alice's two invoices.
        fees = {
            row["partner_id"]["display_name"]: row["amount_fee"]
            for row in rows
            if row["action_type"] == "fee"
        }
        self.assertEqual(fees, {"Alice Ltd": 30.0, "Bob Ltd": 15.0})

        # The Log tab tells what the run did, warning included.
        log = form["log"]
        self.assertTrue(log, "the Log tab is not empty")
        lines = log.splitlines()
        self.assertIn("bank statement", lines[0])
        # Dave (1 day late) is gone through too: the run dates his invoice.
        self.assertIn("Started (Manual): 3 customer(s)", log)
        self.assertIn(
            "Customers 1-3 of 3: 2 followed up (Email: 2, Late fee charged: 2); "
            "1 with nothing due today.",
            log,
        )
        self.assertIn(
            "Finished: 3 customer(s) gone through, 2 followed up, "
            "$\N{NO-BREAK SPACE}1,350.00 overdue then.",
            lines[-1],
        )

        # Run history list: the same total.
        [row], _arch = ViewReader.rows(
            self.runs_model(), "list", domain=[("id", "=", run.id)]
        )
        self.assertEqual(row["amount_overdue"], 1350.0)
        self.assertEqual(row["customer_count"], 2)

    def test_history_list_of_the_run_shows_the_fees(self):
        """The run's buttons open the history list filtered on the run."""
        run = self.run_followup()
        history = self.env["ar.followup.action"].with_user(self.manager)
        rows, arch = ViewReader.rows(history, "list", domain=[("run_id", "=", run.id)])
        fee_rows = [row for row in rows if row["action_type"] == "fee"]
        self.assertEqual(sorted(row["amount_fee"] for row in fee_rows), [15.0, 30.0])
        summed = {column.get("name") for column in arch.xpath("field[@sum]")}
        self.assertNotIn("amount_due", summed, "a customer's entries would add up")
        self.assertIn("amount_fee", summed)

    def test_log_of_a_batch_with_nothing_to_do(self):
        self.env["ir.config_parameter"].sudo().set_param("ar_collections.batch_size", 1)
        self.run_followup()
        second = self.run_followup()
        [form], _arch = ViewReader.rows(self.runs_model(), "form", records=second)
        self.assertEqual(form["amount_overdue"], 0.0)
        for batch in ("1-1", "2-2", "3-3"):
            self.assertIn(
                f"Customers {batch} of 3: 0 followed up; 1 with nothing due today.",
                form["log"],
            )
        self.assertIn(
            "Finished: 3 customer(s) gone through, 0 followed up", form["log"]
        )
