"""Late fees and interest in a real run: charged once, posted, waivable."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestLateFees(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fixed_rule = cls.env["ar.fee.rule"].create(
            {
                "name": "Reminder fee",
                "company_id": cls.company.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
                "fixed_per": "invoice",
            }
        )

    def fees_of(self, move):
        return self.env["ar.fee"].search([("move_id", "=", move.id)])

    def test_fixed_fee_is_a_posted_invoice_charged_once(self):
        self.level_1.fee_rule_ids = self.fixed_rule
        customer = self.customer("Acme")
        invoice = self.invoice(customer, 1000, days_overdue=20)
        self.run_followup()
        self.run_followup()
        fee = self.fees_of(invoice)
        self.assertEqual(len(fee), 1)
        self.assertEqual(fee.amount, 15.0)
        document = fee.fee_move_id
        self.assertEqual(document.state, "posted")
        self.assertEqual(document.move_type, "out_invoice")
        self.assertEqual(document.partner_id, customer)
        self.assertEqual(document.amount_total, 15.0)
        self.assertEqual(document.ar_fee_source_move_id, invoice)
        self.assertTrue(document.ar_is_fee_document)
        self.assertIn(invoice.name, document.invoice_origin)
        self.assertEqual(invoice.ar_fee_count, 1)
        self.assertEqual(customer.ar_fee_count, 1)
        # The history says a fee was charged, next to the reminder.
        self.assertEqual(len(self.actions_of(customer, action_type="fee")), 1)
        # Later runs (level 2 has no fee rule) charge nothing more,
        # and the fee document itself is never charged a fee.
        with freeze_time(self.today + timedelta(days=1)):
            self.run_followup()
        self.assertEqual(len(self.fees_of(invoice)), 1)
        self.assertFalse(self.fees_of(document))

    def test_fee_per_reminder_once_per_level(self):
        self.fixed_rule.fixed_per = "reminder"
        (self.level_1 | self.level_2).fee_rule_ids = self.fixed_rule
        customer = self.customer("Beta")
        invoice = self.invoice(customer, 500, days_overdue=20)
        self.run_followup()
        # Level 2 comes 15 - 3 days after level 1 (the cadence).
        with freeze_time(self.today + timedelta(days=12)):
            self.run_followup()
            self.run_followup()
        fees = self.fees_of(invoice)
        self.assertEqual(
            sorted(fees.level_id.ids), sorted((self.level_1 | self.level_2).ids)
        )
        self.assertEqual(sum(fees.mapped("amount")), 30.0)

    def test_reminder_and_letter_show_fees_apart_and_the_total(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "report.url", "http://127.0.0.1:9"
        )
        template = self.env.ref("ar_collections.mail_template_followup_reminder")
        self.level_1.write(
            {
                "fee_rule_ids": [Command.set(self.fixed_rule.ids)],
                "mail_template_id": template.id,
                "print_letter": True,
            }
        )
        customer = self.customer("Letter Ltd", ref="C-042")
        invoice = self.invoice(customer, 1000, days_overdue=20)
        self.run_followup()
        body = self.mails_to(customer).body_html
        letter = self.actions_of(customer, action_type="letter")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.action_report_followup_letter", letter.ids
            )[0]
            .decode()
        )
        for text in (body, html):
            text = " ".join(text.split())
            self.assertIn("Late fees and interest", text)
            self.assertIn("Reminder fee: fixed fee", text)
            self.assertIn("Total to pay", text)
            self.assertIn("1,015.00", text)  # 1,000.00 + 15.00
            self.assertIn("C-042", text)  # payment reference
            self.assertIn(invoice.name, text)
        # A letter from the company, not a notification about a record.
        self.assertIn(self.company.name, body)
        self.assertNotIn("Follow-up action", body)
        # The fee invoice is not listed as an overdue invoice.
        fee_document = self.fees_of(invoice).fee_move_id
        self.assertNotIn(fee_document.name, body)

    def test_letter_carries_a_sepa_payment_qr_code(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        self.env["res.partner.bank"].create(
            {"acc_number": "BE71096123456769", "partner_id": self.company.partner_id.id}
        )
        self.level_1.print_letter = True
        customer = self.customer("Sepa BV")
        self.invoice(customer, 250, days_overdue=20, currency_id=eur.id)
        self.run_followup()
        letter = self.actions_of(customer, action_type="letter")
        self.assertEqual(letter.summary_currency_id, eur)
        self.assertTrue(letter._ar_payment_qr().startswith("data:image/png;base64,"))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.action_report_followup_letter", letter.ids
            )[0]
            .decode()
        )
        self.assertIn('alt="Payment QR code"', html)
        # No QR code in a currency the SEPA transfer cannot carry.
        other = self.customer("Dollar Inc")
        self.invoice(other, 250, days_overdue=20)
        self.run_followup()
        self.assertFalse(self.actions_of(other, action_type="letter")._ar_payment_qr())

    def test_no_fee_where_none_is_due(self):
        self.level_1.fee_rule_ids = self.fixed_rule
        paid = self.invoice(self.customer("Paid"), 100, days_overdue=20)
        self.pay(paid)
        excluded = self.invoice(self.customer("Excluded"), 100, days_overdue=20)
        excluded.no_followup = True
        handed = self.invoice(self.customer("Handed"), 100, days_overdue=20)
        handed.ar_handover_state = "handed_over"
        never = self.invoice(
            self.customer("Never", ar_never_charge_fees=True), 100, days_overdue=20
        )
        consumer = self.invoice(
            self.customer("Consumer", is_company=False), 100, days_overdue=20
        )
        self.run_followup()
        for move in (paid, excluded, handed, never, consumer):
            self.assertFalse(self.fees_of(move), move.partner_id.name)
        # The reminder still went to the customer who is never charged fees.
        self.assertEqual(never.ar_level_id, self.level_1)

    def test_consumer_only_when_agreed_and_for_rules_open_to_consumers(self):
        self.fixed_rule.customer_scope = "all"
        self.level_1.fee_rule_ids = self.fixed_rule
        agreed = self.invoice(
            self.customer("Agreed", is_company=False, ar_fees_agreed=True),
            100,
            days_overdue=20,
        )
        not_agreed = self.invoice(
            self.customer("Not agreed", is_company=False), 100, days_overdue=20
        )
        self.run_followup()
        self.assertEqual(self.fees_of(agreed).amount, 15.0)
        self.assertFalse(self.fees_of(not_agreed))

    def test_percentage_fee_caps_and_minimum(self):
        rule = self.env["ar.fee.rule"].create(
            {
                "name": "Collection costs",
                "company_id": self.company.id,
                "fee_type": "percent",
                "percent": 10.0,
                "amount_max": 50.0,
                "amount_min": 5.0,
            }
        )
        self.level_1.fee_rule_ids = rule
        big = self.invoice(self.customer("Big"), 2000, days_overdue=20)
        mid = self.invoice(self.customer("Mid"), 300, days_overdue=20)
        self.pay(mid, amount=100, days_ago=1)  # 200 left overdue
        small = self.invoice(self.customer("Small"), 40, days_overdue=20)
        self.run_followup()
        self.assertEqual(self.fees_of(big).amount, 50.0)  # 200 capped at 50
        self.assertEqual(self.fees_of(mid).amount, 20.0)  # 10 % of 200
        self.assertFalse(self.fees_of(small))  # 4.00 is under the minimum

    def test_fee_in_the_invoice_currency(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        self.level_1.fee_rule_ids = self.fixed_rule  # 15.00 in company currency
        customer = self.customer("Euro customer")
        invoice = self.invoice(customer, 1000, days_overdue=20, currency_id=eur.id)
        self.run_followup()
        fee = self.fees_of(invoice)
        self.assertEqual(fee.currency_id, eur)
        self.assertEqual(fee.amount, 30.0)
        self.assertEqual(fee.fee_move_id.currency_id, eur)
        self.assertEqual(fee.fee_move_id.amount_total, 30.0)

    def test_one_fee_document_per_customer_when_grouped(self):
        self.company.ar_fee_grouping = "partner"
        self.level_1.fee_rule_ids = self.fixed_rule
        customer = self.customer("Grouped")
        first = self.invoice(customer, 100, days_overdue=20)
        second = self.invoice(customer, 200, days_overdue=25)
        self.run_followup()
        fees = self.fees_of(first) | self.fees_of(second)
        self.assertEqual(len(fees), 2)
        self.assertEqual(len(fees.fee_move_id), 1)
        self.assertEqual(fees.fee_move_id.amount_total, 30.0)
        self.assertEqual(len(fees.fee_move_id.invoice_line_ids), 2)
        self.assertFalse(fees.fee_move_id.ar_fee_source_move_id)

    def test_waiver_credits_the_fee_and_records_why(self):
        self.level_1.fee_rule_ids = self.fixed_rule
        customer = self.customer("Waived")
        invoices = self.invoice(customer, 100, days_overdue=20) | self.invoice(
            customer, 200, days_overdue=20
        )
        self.run_followup()
        fees = self.env["ar.fee"].search([("move_id", "in", invoices.ids)])
        self.assertEqual(len(fees), 2)
        waive = self.env["ar.fee.waive"].with_user(self.collector)
        # A reason is required, and only managers waive several fees at once.
        with self.assertRaisesRegex(UserError, "reason"):
            fees[0].with_user(self.collector)._waive("  ")
        wizard = waive.create({"fee_ids": [Command.set(fees.ids)], "reason": "x"})
        with self.assertRaisesRegex(UserError, "Only Collections Managers"):
            wizard.action_waive()
        wizard = waive.create(
            {"fee_ids": [Command.set(fees[0].ids)], "reason": "Paid on time by bank"}
        )
        wizard.action_waive()
        fee = fees[0]
        self.assertEqual(fee.state, "waived")
        self.assertEqual(fee.waived_by_id, self.collector)
        self.assertEqual(fee.waive_reason, "Paid on time by bank")
        refund = fee.waiver_move_id
        self.assertEqual(refund.move_type, "out_refund")
        self.assertEqual(refund.state, "posted")
        self.assertEqual(refund.amount_total, 15.0)
        self.assertEqual(refund.reversed_entry_id, fee.fee_move_id)
        self.assertEqual(fee.fee_move_id.payment_state, "reversed")
        history = self.actions_of(customer, action_type="fee_waived")
        self.assertEqual(len(history), 1)
        self.assertIn("Paid on time by bank", history.note)
        self.assertEqual(history.user_id, self.collector)
        with self.assertRaisesRegex(UserError, "already waived"):
            fee._waive("again")
        # A manager waives the rest in bulk; a waived fee is never charged again.
        self.env["ar.fee.waive"].with_user(self.manager).create(
            {"fee_ids": [Command.set(fees[1].ids)], "reason": "Goodwill"}
        ).action_waive()
        self.assertEqual(set(fees.mapped("state")), {"waived"})
        self.fixed_rule.charge_on = "overdue"  # would charge every overdue invoice
        with freeze_time(self.today + timedelta(days=1)):
            self.run_followup()
        self.assertEqual(
            self.env["ar.fee"].search_count([("move_id", "in", invoices.ids)]), 2
        )

    def test_invoice_preview_explains_without_charging(self):
        self.level_1.fee_rule_ids = self.fixed_rule
        invoice = self.invoice(self.customer("Preview"), 100, days_overdue=20)
        self.assertIn("Reminder fee: fixed fee", invoice.ar_fee_preview)
        preview = self.env["ar.followup.preview"].create(
            self.env["ar.followup.preview"]._prepare_preview_vals(self.company)
        )
        line = preview.line_ids.filtered(lambda pl: pl.move_id == invoice)
        self.assertEqual(line.fee_amount, 15.0)
        self.assertIn("Reminder fee", line.fee_calculation)
        self.assertFalse(self.fees_of(invoice))
        self.run_followup()
        invoice.invalidate_recordset(["ar_fee_preview"])
        self.assertIn("No fee", invoice.ar_fee_preview)

    def test_bad_rules_are_refused_with_the_field_to_fix(self):
        bad = [
            ({"fee_type": "fixed", "amount_fixed": 0}, "Fixed fee"),
            ({"fee_type": "percent", "percent": 150}, "Percentage"),
            (
                {"fee_type": "interest", "annual_rate": 8, "charge_on": "overdue"},
                "Every month",
            ),
            ({"fee_type": "interest", "annual_rate": 0}, "Annual rate"),
            (
                {"amount_fixed": 10, "amount_min": 20, "amount_max": 10},
                "Minimum fee",
            ),
            ({"amount_fixed": 10, "grace_days": -1}, "Grace days"),
            ({"amount_fixed": 10, "charge_on": "monthly"}, "only interest"),
            (
                {"amount_fixed": 10, "compensation": "fixed"},
                "statutory fixed sum",
            ),
        ]
        for values, message in bad:
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
            ):
                self.env["ar.fee.rule"].create(
                    {"name": "Bad", "company_id": self.company.id, **values}
                )
        with self.assertRaisesRegex(ValidationError, "Bad"):
            self.env["ar.fee.rule"].create(
                {"name": "Bad", "fee_type": "percent", "percent": 0}
            )


@tagged("post_install", "-at_install")
class TestStatutoryInterest(ArCollectionsCommon):
    """The EU and UK ready rules on books whose answers are computed by hand."""

    def statutory_rule(self, source):
        self.env["ar.fee.rule"]._install_statutory_rules()
        rule = (
            self.env["ar.fee.rule"]
            .with_context(active_test=False)
            .search(
                [("company_id", "=", self.company.id), ("rate_source", "=", source)]
            )
        )
        rule.active = True
        return rule

    @freeze_time("2025-08-03")
    def test_eu_directive_monthly_interest_and_40_eur(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        rule = self.statutory_rule("eu")
        customer = self.customer("EU buyer")
        invoice = self.invoice(customer, 1000, days_overdue=80, currency_id=eur.id)
        self.assertEqual(invoice.invoice_date_due, date(2025, 5, 15))
        self.pay(invoice, amount=600, days_ago=44)  # paid on 2025-06-20
        self.run_followup()
        self.run_followup()
        fees = self.env["ar.fee"].search([("move_id", "=", invoice.id)], order="id")
        by_key = {fee.period_key: fee for fee in fees}
        # ECB rate in force on 1 Jan 2025: 3.15 %, on 1 Jul 2025: 2.15 %; + 8.
        # May 16-31: 1000 x 11.15 % x 16 / 365 = 4.8877
        self.assertEqual(by_key["month-2025-05"].amount, 4.89)
        # June 1-19: 1000 x 11.15 % x 19 / 365 = 5.8041;
        # June 20-30, on the 400 left: 400 x 11.15 % x 11 / 365 = 1.3441
        self.assertEqual(by_key["month-2025-06"].amount, 7.15)
        # July: 400 x 10.15 % x 31 / 365 = 3.4482
        self.assertEqual(by_key["month-2025-07"].amount, 3.45)
        self.assertEqual(by_key["compensation"].amount, 40.0)  # EUR, per invoice
        self.assertEqual(len(fees), 4)
        self.assertTrue(all(fee.currency_id == eur for fee in fees))
        self.assertEqual(by_key["month-2025-06"].rate, 11.15)
        self.assertIn("11.15", by_key["month-2025-06"].calculation)
        self.assertEqual(rule, fees.rule_id)

    @freeze_time("2026-02-10")
    def test_uk_act_base_rate_of_the_reference_date_and_70_gbp(self):
        gbp = self.setup_other_currency("GBP", rates=[("1900-01-01", 0.5)])
        self.statutory_rule("uk")
        # The base rate table was confirmed after 31 December 2025: January
        # interest is charged (an unconfirmed table holds it back).
        self.env.ref("ar_collections.reference_rate_kind_boe").date_confirmed = date(
            2026, 1, 5
        )
        customer = self.customer("UK buyer")
        invoice = self.invoice(customer, 5000, days_overdue=71, currency_id=gbp.id)
        self.assertEqual(invoice.invoice_date_due, date(2025, 12, 1))
        self.run_followup()
        fees = self.env["ar.fee"].search([("move_id", "=", invoice.id)])
        by_key = {fee.period_key: fee.amount for fee in fees}
        # July-December 2025: base rate of 30 June 2025 (4.25 %) + 8 = 12.25 %;
        # Dec 2-31 (30 days): 5000 x 12.25 % x 30 / 365 = 50.3425
        # January-June 2026: base rate of 31 Dec 2025 (4.00 %) + 8 = 12 %;
        # January (31 days): 5000 x 12 % x 31 / 365 = 50.9589
        # Fixed sum for a debt of 1,000 to 9,999.99 GBP: 70 GBP.
        self.assertEqual(
            by_key,
            {"month-2025-12": 50.34, "month-2026-01": 50.96, "compensation": 70.0},
        )

    @freeze_time("2025-08-03")
    def test_german_consumer_rate_and_no_fixed_sum(self):
        eur = self.setup_other_currency("EUR", rates=[("1900-01-01", 2.0)])
        self.statutory_rule("de")
        consumer = self.customer("Verbraucher", is_company=False, ar_fees_agreed=True)
        invoice = self.invoice(consumer, 1000, days_overdue=34, currency_id=eur.id)
        self.run_followup()
        fees = self.env["ar.fee"].search([("move_id", "=", invoice.id)])
        # Due 2025-06-30; July at base rate 1.27 % + 5 points for consumers:
        # 1000 x 6.27 % x 31 / 365 = 5.3252; no 40 EUR for consumers.
        self.assertEqual(
            {fee.period_key: fee.amount for fee in fees}, {"month-2025-07": 5.33}
        )

    @freeze_time("2025-08-03")
    def test_missing_reference_rate_is_a_clear_error(self):
        self.env["ar.reference.rate"].search([("kind", "=", "boe")]).unlink()
        self.statutory_rule("uk")
        invoice = self.invoice(self.customer("No rate"), 100, days_overdue=60)
        with self.assertRaisesRegex(UserError, "Reference rates"):
            self.env["ar.fee"]._due_charges(invoice, date(2025, 8, 3))
