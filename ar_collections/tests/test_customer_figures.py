"""Customers to follow up: the stored figures stay those of the books.

Each step changes the books the way a user does (post, pay, reconcile,
unreconcile, credit note, dispute, exclusion, credit hold, a run, a new day)
and the list, read as the web client reads it, shows the new figures, equal
to what the lines say at that moment (``_figures_sql``).
"""

from datetime import timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import SQL

from ..models.ar_followup_customer_refresh import COLUMNS
from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestCustomerFigures(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.customer("Figures Acme")
        cls.invoice_1 = cls.invoice(cls.acme, 100, days_overdue=10)
        cls.reason = cls.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")

    def list_rows(self, domain=None):
        """web_search_read of the list view's fields, as the web client reads it."""
        model = "ar.followup.customer"
        records = self.env[model].with_user(self.collector)
        views = records.get_views([(False, "list")])
        arch = etree.fromstring(views["views"]["list"]["arch"])
        fields_info = views["models"][model]["fields"]
        spec = {
            node.get("name"): {"fields": {"display_name": {}}}
            if fields_info[node.get("name")]["type"] == "many2one"
            else {}
            for node in arch.xpath("//field")
        }
        return records.web_search_read(
            domain or [], spec, limit=80, order="amount_overdue desc"
        )["records"]

    def row(self, partner=None):
        partner = partner or self.acme
        rows = [
            row
            for row in self.list_rows([("partner_id", "=", partner.id)])
            if row["partner_id"]["id"] == partner.id
        ]
        self.assertLessEqual(len(rows), 1)
        return rows[0] if rows else None

    def assert_in_step(self):
        """Every stored row is what the lines say now, and nothing is missing."""
        model = self.env["ar.followup.customer"]
        model._ar_refresh()
        names = ", ".join(COLUMNS)
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM (%s) f ORDER BY id",
                SQL(names),  # constant column names
                model._figures_sql(),
            )
        )
        live = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL("SELECT %s FROM ar_followup_customer ORDER BY id", SQL(names))
        )
        self.assertEqual(self.env.cr.fetchall(), live)

    def receivable(self, move):
        return move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )

    def test_posting_paying_reconciling(self):
        row = self.row()
        self.assertEqual((row["amount_due"], row["amount_overdue"]), (100, 100))
        self.assertEqual(row["days_overdue"], 10)
        # A second invoice, posted: listed at once.
        invoice_2 = self.invoice(self.acme, 50, days_overdue=40)
        row = self.row()
        self.assertEqual((row["amount_due"], row["invoice_count"]), (150, 2))
        self.assertEqual(row["days_overdue"], 40)
        self.assert_in_step()
        # A partial payment: a partial reconciliation.
        self.pay(invoice_2, amount=20)
        self.assertEqual(self.row()["amount_overdue"], 130)
        self.assert_in_step()
        # Undone.
        self.receivable(invoice_2).remove_move_reconcile()
        self.assertEqual(self.row()["amount_overdue"], 150)
        self.assert_in_step()
        # Paid in full: the oldest overdue is now the first invoice; the
        # unreconciled payment of 20 still counts in what the customer owes.
        self.pay(invoice_2)
        row = self.row()
        self.assertEqual((row["amount_due"], row["days_overdue"]), (80, 10))
        self.assertEqual((row["amount_overdue"], row["invoice_count"]), (100, 1))
        self.pay(self.invoice_1, amount=80)
        self.assertIsNone(self.row(), "nothing due, not listed")
        self.assert_in_step()

    def test_credit_note(self):
        refund = self.invoice(self.acme, 30, move_type="out_refund")
        row = self.row()
        # Owed net of the credit note; overdue is what the customer must pay.
        self.assertEqual((row["amount_due"], row["amount_overdue"]), (70, 100))
        (self.receivable(refund) | self.receivable(self.invoice_1)).reconcile()
        row = self.row()
        self.assertEqual((row["amount_due"], row["amount_overdue"]), (70, 70))
        self.assert_in_step()

    def test_dispute_exclusion_hold(self):
        dispute = self.env["ar.dispute"].create(
            {
                "move_id": self.invoice_1.id,
                "reason_id": self.reason.id,
                "amount_disputed": 40,
            }
        )
        row = self.row()
        self.assertEqual((row["amount_due"], row["amount_overdue"]), (100, 60))
        self.assertEqual(row["commitment"], "dispute")
        dispute.amount_disputed = 25
        self.assertEqual(self.row()["amount_overdue"], 75)
        self.assert_in_step()
        self.acme.with_company(self.company).ar_credit_hold = True
        self.assertTrue(self.row()["credit_hold"])
        self.invoice_1.no_followup = True
        self.assertIsNone(self.row(), "excluded from follow-up")
        self.assert_in_step()

    def test_run_and_next_day(self):
        self.run_followup()
        row = self.row()
        self.assertEqual(row["level_id"]["id"], self.invoice_1.ar_level_id.id)
        self.assertTrue(row["level_id"]["id"])
        self.assertEqual(row["date_next_action"], self.invoice_1.ar_date_next_action)
        self.assert_in_step()
        with freeze_time(self.today + timedelta(days=3)):
            self.assertEqual(self.row()["days_overdue"], 13)
            self.assert_in_step()

    def test_first_page_reads_stored_rows(self):
        """Once in step, the first page is the rows and a count: no recompute."""
        for index in range(5):
            self.invoice(self.customer(f"Figures {index}"), 10 + index, days_overdue=5)
        self.list_rows()
        self.env.invalidate_all()
        with self.assertQueryCount(14):
            rows = self.list_rows()
        self.assertEqual(rows[0]["partner_id"]["id"], self.acme.id)
        self.assertEqual(
            [row["amount_overdue"] for row in rows],
            sorted((row["amount_overdue"] for row in rows), reverse=True),
        )
        self.assert_in_step()

    def test_document_fields_and_state(self):
        """A document's own follow-up fields, written by hand, and its state:
        the list follows each (the run refreshes itself, a collector's edit
        only reaches the list through the database's marks)."""
        self.run_followup()
        first, second = self.env["ar.followup.level"].search(
            [("company_id", "=", self.company.id)], order="sequence", limit=2
        )
        self.invoice_1.sudo().write({"ar_level_id": second.id})
        self.assertEqual(self.row()["level_id"]["id"], second.id)
        self.assert_in_step()
        later = self.today + timedelta(days=9)
        self.invoice_1.sudo().write({"ar_date_next_action": later})
        self.assertEqual(self.row()["date_next_action"], later)
        self.assert_in_step()
        self.invoice_1.sudo().write({"ar_handover_state": "handed_over"})
        self.assert_in_step()
        self.invoice_1.sudo().write(
            {"ar_handover_state": False, "ar_level_id": first.id}
        )
        self.assertEqual(self.row()["level_id"]["id"], first.id)
        # Back to draft: no longer owed, gone from the list.
        self.invoice_1.button_draft()
        self.assertIsNone(self.row())
        self.assert_in_step()
        self.invoice_1.action_post()
        self.assertEqual(self.row()["amount_due"], 100)
        self.assert_in_step()

    def test_journal_entry_of_two_customers(self):
        """An opening balance entered as one journal entry for two customers:
        its follow-up fields, set by hand, reach both customers' rows."""
        other = self.customer("Figures Other")
        receivable = self.receivable(self.invoice_1).account_id
        income = self.env["account.account"].search(
            [("company_ids", "in", self.company.ids), ("account_type", "=", "income")],
            limit=1,
        )
        journal = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "general")], limit=1
        )
        due = self.today - timedelta(days=40)
        entry = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": due,
                "line_ids": [
                    Command.create(
                        {
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "debit": amount,
                            "date_maturity": due,
                        }
                    )
                    for partner, amount in ((self.acme, 30), (other, 20))
                ]
                + [Command.create({"account_id": income.id, "credit": 50})],
            }
        )
        entry.action_post()
        entry.line_ids.filtered("partner_id").no_followup = False
        self.assertEqual(self.row(other)["amount_due"], 20)
        level = self.env["ar.followup.level"].search(
            [("company_id", "=", self.company.id)], order="sequence", limit=1
        )
        entry.sudo().write({"ar_level_id": level.id})
        for partner in (self.acme, other):
            self.assertEqual(self.row(partner)["level_id"]["id"], level.id)
        self.assert_in_step()
