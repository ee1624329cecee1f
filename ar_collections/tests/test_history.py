"""The contact history: every entry says who, when (the company's day), for
which customer and which invoices as they stood then."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import tagged

from .common import ArCollectionsCommon

# 18:30 for a collector in New York is already the next day in Kiribati
# (UTC+14), where the company is.
NOW = datetime(2024, 6, 10, 22, 30)
COMPANY_DAY = date(2024, 6, 11)


@tagged("post_install", "-at_install")
class TestHistoryWriter(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Pacific/Kiritimati"
        cls.collector.tz = "America/New_York"
        cls.customer_co = cls.customer("History Ltd")
        cls.buyer = cls.person(cls.customer_co, "Hanna Buyer")

    def book(self):
        """Two overdue invoices, one addressed to a contact person."""
        late = self.invoice(self.buyer, 100, days_overdue=20)
        later = self.invoice(self.customer_co, 250, days_overdue=40)
        late.ar_level_id = self.level_1
        return late, later

    def assert_entry(self, entry, action_type):
        """Made by the collector, on the company's day, about the customer."""
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.action_type, action_type)
        self.assertEqual(entry.company_id, self.company)
        self.assertEqual(entry.partner_id, self.customer_co)
        self.assertEqual(entry.user_id, self.collector)
        self.assertEqual(entry.origin, "manual")
        self.assertEqual(entry.state, "done")
        self.assertEqual(entry.date, COMPANY_DAY)

    def assert_line(self, line, move):
        """The invoice as it stood: level, amount due, days overdue, due date."""
        self.assertEqual(line.move_id, move)
        self.assertEqual(line.level_id, move.ar_level_id)
        self.assertEqual(line.amount_residual, move.amount_residual)
        self.assertEqual(line.days_overdue, move.ar_days_overdue)
        self.assertEqual(line.date_due, move.ar_date_due)
        self.assertFalse(line.is_trigger)

    @freeze_time(NOW)
    def test_excluding_an_invoice(self):
        late, _later = self.book()
        self.env["ar.followup.exclude"].with_user(self.collector).with_context(
            active_model="account.move", active_ids=late.ids
        ).create({"reason": "Credit note coming"}).action_exclude()
        entry = self.actions_of(self.customer_co, action_type="exclusion")
        self.assert_entry(entry, "exclusion")
        self.assertEqual(entry.note, "Credit note coming")
        self.assertFalse(entry.amount_due)
        self.assert_line(entry.line_ids, late)
        self.assertEqual(entry.line_ids.level_id, self.level_1)
        self.assertEqual(entry.line_ids.amount_residual, 100)
        self.assertEqual(
            entry.line_ids.days_overdue, (COMPANY_DAY - late.ar_date_due).days
        )

    @freeze_time(NOW)
    def test_logging_a_call(self):
        late, later = self.book()
        self.env["ar.followup.log.call"].with_user(self.collector).with_context(
            active_model="res.partner", active_id=self.buyer.id
        ).create(
            {
                "outcome": "reached",
                "contact_id": self.buyer.id,
                "note": "Pays next week",
                "move_ids": [Command.set((late | later).ids)],
            }
        ).action_log()
        entry = self.actions_of(self.customer_co, action_type="call_log")
        self.assert_entry(entry, "call_log")
        self.assertEqual(entry.contact_id, self.buyer)
        self.assertEqual(entry.outcome, "reached")
        self.assertEqual(entry.note, "Pays next week")
        self.assertEqual(entry.amount_due, 350, "the customer's overdue total then")
        self.assertEqual(len(entry.line_ids), 2)
        for line in entry.line_ids:
            self.assert_line(line, line.move_id)
        self.assertEqual(entry.line_ids.move_id, late | later)

    @freeze_time(NOW)
    def test_writer_defaults(self):
        """Without invoices: the current company, no lines; origin when given."""
        Action = self.env["ar.followup.action"].with_user(self.collector)
        note = Action._record("note", self.buyer, note="Asked for a copy")
        self.assert_entry(note, "note")
        self.assertFalse(note.line_ids)
        held = Action._record_many(
            [{"action_type": "hold", "partner": self.customer_co, "origin": "run"}]
        )
        self.assertEqual(held.origin, "run")
        self.assertEqual(held.date, COMPANY_DAY)


@tagged("post_install", "-at_install")
class TestCustomerWizards(ArCollectionsCommon):
    """The promise, plan, send and log-call wizards open on the same customer
    and invoices, from a customer or from a selection of invoices."""

    WIZARDS = ("ar.promise.record", "ar.payment.plan.create", "ar.followup.send")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_co = cls.customer("Wizard Ltd")
        cls.late = cls.invoice(cls.customer_co, 100, days_overdue=20)
        cls.not_due = cls.invoice(cls.customer_co, 50, days_overdue=-10)

    def defaults(self, model, **context):
        return (
            self.env[model]
            .with_context(**context)
            .default_get(["company_id", "partner_id", "move_ids"])
        )

    def test_from_a_customer(self):
        for model in self.WIZARDS:
            with self.subTest(model=model):
                values = self.defaults(
                    model, active_model="res.partner", active_id=self.customer_co.id
                )
                self.assertEqual(values["partner_id"], self.customer_co.id)
                self.assertEqual(values["company_id"], self.company.id)
                self.assertEqual(values["move_ids"], [Command.set(self.late.ids)])
        call = self.defaults(
            "ar.followup.log.call",
            active_model="res.partner",
            active_id=self.customer_co.id,
        )
        self.assertEqual(call["partner_id"], self.customer_co.id)
        self.assertNotIn("move_ids", call, "the collector picks what was discussed")

    def test_from_invoices(self):
        selection = self.late | self.not_due
        for model in self.WIZARDS:
            with self.subTest(model=model):
                values = self.defaults(
                    model, active_model="account.move", active_ids=selection.ids
                )
                self.assertEqual(values["partner_id"], self.customer_co.id)
                self.assertEqual(values["move_ids"], [Command.set(selection.ids)])
