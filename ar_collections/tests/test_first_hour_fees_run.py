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
