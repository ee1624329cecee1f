"""Issue 12, documents: what a customer reads and what the screens show.

The plan agreement is rendered by wkhtmltopdf for real and its text read back
page by page; the statement through its QWeb HTML; the screens through their
views, as the web client reads them.
"""

import io
import re
import shutil
import subprocess
from datetime import timedelta

from lxml import etree
from lxml import html as lxml_html

from odoo.tests import tagged
from odoo.tools.pdf import PdfFileReader
from odoo.tools.safe_eval import safe_eval

from .common import ArCollectionsCommon

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def pdf_pages(pdf):
    """Text of each page of ``pdf``, whitespace collapsed."""
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        ).stdout.decode()
        pages = text.split("\f")
    else:  # pragma: no cover - poppler-utils missing
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        pages = [page.extract_text() for page in reader.pages]
    return [" ".join(page.split()) for page in pages if page.strip()]


def raw(value):
    """A group's value as the web client gets it: the value or (value, label)."""
    return value[0] if isinstance(value, list | tuple) else value


def visible_text(html):
    """The text a reader sees in a rendered QWeb page (no attributes)."""
    return " ".join(lxml_html.fromstring(html).text_content().split())


class DocumentsCommon(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the styles from this URL: unreachable, so pages
        # are laid out unstyled but with the template's own inline styles.
        cls.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )

    def make_plan(self, moves, count):
        wizard = (
            self.env["ar.payment.plan.create"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(
                {
                    "installment_count": count,
                    "frequency": "monthly",
                    "date_first": self.today + timedelta(days=7),
                }
            )
        )
        wizard.action_create()
        return self.env["ar.payment.plan"].search([("move_ids", "in", moves.ids)])


@tagged("post_install", "-at_install")
class TestPlanAgreementPdf(DocumentsCommon):
    def test_signatures_stay_with_the_terms(self):
        """The signature lines never stand alone on the agreement's last page.

        The first schedule long enough to need a second page is found by
        bisection; what it carries over must be the terms with the
        signatures, not the signature lines alone.
        """
        customer = self.customer("Signing Co")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        rendered = {}

        def pages(count):
            if count not in rendered:
                invoice = self.invoice(customer, 300 * count, days_overdue=40)
                plan = self.make_plan(invoice, count)
                pdf, _type = report._render_qweb_pdf(
                    "ar_collections.action_report_payment_plan", plan.ids
                )
                rendered[count] = pdf_pages(pdf)
            return rendered[count]

        low, high = 3, 40
        self.assertEqual(len(pages(low)), 1)
        self.assertGreater(len(pages(high)), 1)
        while high - low > 1:
            middle = (low + high) // 2
            if len(pages(middle)) > 1:
                high = middle
            else:
                low = middle
        for count in (low, high):
            signed = [page for page in pages(count) if "Date and signature" in page]
            self.assertEqual(len(signed), 1, f"{count} installments: {signed}")
            page = signed[0]
            self.assertEqual(page.count("Date and signature"), 2, page)
            self.assertIn(f"For {self.company.name}", page)
            self.assertIn("For Signing Co", page)
            self.assertIn("Payments are applied to the oldest installment first", page)


@tagged("post_install", "-at_install")
class TestStatementOfAccount(DocumentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bank = cls.env["res.partner.bank"].create(
            {
                "partner_id": cls.company.partner_id.id,
                "acc_number": "BE71 0961 2345 6769",
            }
        )
        cls.fee_rule = cls.env["ar.fee.rule"].create(
            {
                "name": "Reminder fee",
                "company_id": cls.company.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
                "fixed_per": "invoice",
            }
        )
        cls.level_1.fee_rule_ids = cls.fee_rule
        cls.partner = cls.customer("Statement Ltd", lang="en_US")
        cls.overdue = cls.invoice(cls.partner, 1000, days_overdue=40)
        cls.pay(cls.overdue, amount=400)

    def statement(self):
        self.env.flush_all()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ar_collections.report_ar_statement", self.partner.ids
        )[0]
        return lxml_html.fromstring(html)

    def rows(self, tree):
        table = tree.xpath("//table[@name='statement_lines']")[0]
        headers = [" ".join(th.text_content().split()) for th in table.xpath(".//th")]
        return [
            dict(
                zip(
                    headers,
                    (" ".join(td.text_content().split()) for td in tr.xpath("td")),
                    strict=True,
                )
            )
            for tr in table.xpath("./tbody/tr")
        ]

    def test_original_paid_and_left_columns(self):
        rows = self.rows(self.statement())
        row = next(r for r in rows if r["Document"] == self.overdue.name)
        self.assertIn("1,000.00", row["Original amount"])
        self.assertIn("400.00", row["Paid"])
        self.assertIn("600.00", row["Amount left"])
        self.assertEqual(row["Description"], "Services")

    def test_fee_invoice_says_what_it_charges_for(self):
        self.run_followup()
        fee = self.env["ar.fee"].search([("move_id", "=", self.overdue.id)])
        self.assertTrue(fee.fee_move_id, "the reminder charged a fee")
        rows = self.rows(self.statement())
        row = next(r for r in rows if r["Document"] == fee.fee_move_id.name)
        self.assertEqual(row["Description"], f"Late fee for {self.overdue.name}")
        self.assertIn("15.00", row["Amount left"])

    def test_payment_instructions(self):
        tree = self.statement()
        block = tree.xpath("//div[@name='payment_instructions']")
        self.assertTrue(block, "the statement says how to pay")
        text = " ".join(block[0].text_content().split())
        self.assertIn("BE71 0961 2345 6769", text)
        self.assertIn("Payment reference", text)
        self.assertIn(self.overdue.name, text)
        self.assertIn("Total to pay", text)
        self.assertIn("600.00", text)

    def test_nothing_overdue_no_payment_request(self):
        self.pay(self.overdue)
        self.invoice(self.partner, 250, days_overdue=-10)  # not yet due
        self.assertFalse(self.statement().xpath("//div[@name='payment_instructions']"))


@tagged("post_install", "-at_install")
class TestDocumentDates(DocumentsCommon):
    """Dates are printed in the reader's language, never as 2026-12-15."""

    def test_no_iso_date_in_plan_agreement_statement_or_installments(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        customer = self.customer("Date Client", lang="fr_FR")
        invoice = self.invoice(customer, 900, days_overdue=40)
        plan = self.make_plan(invoice, 3)
        first = plan.installment_ids[:1]
        report = self.env["ir.actions.report"]
        for name, ids, day in (
            ("ar_collections.action_report_payment_plan", plan.ids, first.date_due),
            ("ar_collections.report_ar_statement", customer.ids, invoice.date),
        ):
            with self.subTest(report=name):
                text = visible_text(report._render_qweb_html(name, ids)[0])
                self.assertFalse(ISO_DATE.findall(text), text)
                self.assertIn(day.strftime("%d/%m/%Y"), text)
        self.assertFalse(ISO_DATE.findall(first.display_name))

    def test_promise_title_in_the_readers_format(self):
        """A promise's title gives its date as the reader writes it, not ISO."""
        self.env["res.lang"]._activate_lang("fr_FR")
        invoice = self.invoice(self.customer("Promise Client"), 500, days_overdue=10)
        day = self.today + timedelta(days=14)
        wizard = (
            self.env["ar.promise.record"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"date_promised": day})
        )
        wizard._onchange_move_ids()
        wizard.action_record()
        promise = self.env["ar.promise"].search([("move_ids", "in", invoice.ids)])
        title = promise.with_context(lang="fr_FR").display_name
        self.assertIn(day.strftime("%d/%m/%Y"), title)
        self.assertFalse(ISO_DATE.findall(title), title)


@tagged("post_install", "-at_install")
class TestAgingScreen(DocumentsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owing = cls.customer("Owing Ltd")
        for days in (-5, 10, 45, 75, 120):
            cls.invoice(cls.owing, 100 + days, days_overdue=days)
        # An invoice and a credit note not yet matched that cancel out.
        cls.square = cls.customer("Square Ltd")
        cls.invoice(cls.square, 500, days_overdue=20)
        cls.invoice(cls.square, 500, move_type="out_refund")
        action = cls.env.ref("ar_collections.ar_aging_report_action")
        cls.domain = safe_eval(action.domain or "[]") + [
            ("partner_id", "in", (cls.owing | cls.square).ids)
        ]
        cls.env.flush_all()

    def test_buckets_in_age_order(self):
        aging = self.env["ar.aging.report"]
        for view_type in ("pivot", "graph"):
            aging.get_views([(False, view_type)])
        # As the pivot and graph read them.
        groups = aging.formatted_read_grouping_sets(
            self.domain, [["bucket"]], ["amount_residual:sum"]
        )[0]
        self.assertEqual(
            [raw(group["bucket"]) for group in groups],
            ["current", "1_30", "31_60", "61_90", "90_plus"],
        )
        by_list = aging.web_read_group(self.domain, ["bucket"], ["amount_residual:sum"])
        self.assertEqual(raw(by_list["groups"][0]["bucket"]), "current")

    def test_customers_at_zero_left_out(self):
        groups = self.env["ar.aging.report"].formatted_read_group(
            self.domain, ["partner_id"], ["amount_residual:sum"]
        )
        self.assertEqual([group["partner_id"][0] for group in groups], [self.owing.id])


@tagged("post_install", "-at_install")
class TestInstallmentsCalendar(DocumentsCommon):
    def test_card_shows_customer_amount_and_plan(self):
        customer = self.customer("Calendar Customer")
        plan = self.make_plan(self.invoice(customer, 1500, days_overdue=30), 3)
        model = self.env["ar.payment.plan.installment"]
        views = model.get_views([(False, "calendar")])
        arch = views["views"]["calendar"]["arch"]
        fields = re.findall(r'<field name="(\w+)"', arch)
        for name in ("partner_id", "amount", "plan_id"):
            self.assertIn(name, fields)
        cards = model.search_read(
            [("plan_id", "=", plan.id)], ["display_name", *fields, "date_due"]
        )
        self.assertEqual(len(cards), 3)
        title = cards[0]["display_name"]
        # The card's title, cut at its end in a month's cell: amount first.
        amount = plan.currency_id.format(cards[0]["amount"])
        self.assertTrue(title.startswith(f"{amount} · Calendar Customer"), title)
        self.assertIn("500.00", amount)
        self.assertIn(f"{plan.name} #1", title)
        self.assertFalse(ISO_DATE.findall(title))


@tagged("post_install", "-at_install")
class TestPolicyLevelGrid(DocumentsCommon):
    MAX_LABEL = 13  # characters that fit a narrow column header
    MAX_COLUMNS = 11  # shown by default (name and late fees included): 1440 px

    def test_short_headers_and_optional_columns(self):
        views = self.env["ar.followup.policy"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        grid = arch.xpath("//field[@name='level_ids']/list")[0]
        level_fields = views["models"]["ar.followup.level"]["fields"]
        shown = []
        for column in grid.xpath("./field"):
            name = column.get("name")
            if column.get("widget") == "handle" or column.get("column_invisible"):
                continue
            label = column.get("string") or level_fields[name]["string"]
            if name != "name":
                self.assertLessEqual(len(label), self.MAX_LABEL, label)
            if column.get("optional") != "hide":
                shown.append(name)
        self.assertLessEqual(len(shown), self.MAX_COLUMNS, shown)
        for name in ("delay", "send_email", "mail_template_id", "print_letter"):
            self.assertIn(name, shown)
        # The grid reads as the form does.
        specification = {
            "level_ids": {
                "fields": {
                    field.get("name"): {}
                    for field in grid.xpath("./field")
                    if field.get("name") != "mail_template_id"
                }
                | {"mail_template_id": {"fields": {"display_name": {}}}}
            }
        }
        data = self.policy.web_read(specification)[0]
        self.assertEqual([level["delay"] for level in data["level_ids"]], [3, 15, 30])
