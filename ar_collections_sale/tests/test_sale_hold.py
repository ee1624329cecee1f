from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from odoo.addons.ar_collections.tests.common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestSaleCreditHold(ArCollectionsCommon):
    """Quotations of a customer on credit hold: shown, refused, and confirmed
    only by a collections manager giving a reason (in the history)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        salesman = cls.env.ref("sales_team.group_sale_salesman")
        cls.salesperson = cls.env["res.users"].create(
            {
                "name": "Sally Seller",
                "login": "sally",
                "company_id": cls.company.id,
                "company_ids": [Command.set(cls.company.ids)],
                "group_ids": [Command.set([salesman.id])],
            }
        )
        cls.manager.group_ids |= cls.env.ref("sales_team.group_sale_salesman_all_leads")
        cls.env.user.group_ids |= cls.env.ref("sales_team.group_sale_manager")
        cls.partner = cls.customer("Held Buyer Ltd")
        cls.contact = cls.person(cls.partner, "Bea Buyer")
        cls.order = cls.quotation(cls.contact)

    @classmethod
    def quotation(cls, partner, price=500):
        return cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "user_id": cls.salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product_a.id,
                            "product_uom_qty": 1,
                            "price_unit": price,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )

    def hold(self, partner=None):
        (partner or self.partner).with_company(self.company).ar_credit_hold = True

    def history_notes(self):
        return self.actions_of(self.partner, action_type="note").mapped("note")

    def test_quotation_of_held_customer_is_refused(self):
        self.hold()
        with self.assertRaises(UserError) as caught:
            self.order.with_user(self.salesperson).action_confirm()
        message = str(caught.exception)
        self.assertIn(self.order.name, message)
        self.assertIn("Held Buyer Ltd is on credit hold", message)
        self.assertIn("Collections Manager", message)
        self.assertEqual(self.order.state, "draft")
        self.assertFalse(self.history_notes())
        # The form's button does not let a salesperson through either.
        with self.assertRaises(UserError):
            self.order.with_user(self.salesperson).with_context(
                ar_hold_ask=True, ar_hold_override_reason="I say so"
            ).action_confirm()
        self.assertEqual(self.order.state, "draft")

    def test_other_customers_confirm_as_usual(self):
        other = self.quotation(self.customer("Good Payer Ltd"))
        self.hold()
        other.with_user(self.salesperson).action_confirm()
        self.assertEqual(other.state, "sale")
        self.assertFalse(other.ar_credit_hold_warning)

    def test_manager_overrides_through_the_question(self):
        self.hold()
        result = (
            self.order.with_user(self.manager)
            .with_context(ar_hold_ask=True)
            .action_confirm()
        )
        self.assertEqual(result["res_model"], "ar.sale.hold.confirm")
        self.assertEqual(self.order.state, "draft")
        wizard = (
            self.env["ar.sale.hold.confirm"]
            .with_user(self.manager)
            .with_context(**result["context"])
            .create({})
        )
        self.assertEqual(wizard.partner_names, "Held Buyer Ltd")
        with self.assertRaisesRegex(UserError, "Give the reason"):
            wizard.action_confirm_anyway()
        self.assertEqual(self.order.state, "draft")
        wizard.reason = "Cash on delivery agreed with the owner"
        wizard.action_confirm_anyway()
        self.assertEqual(self.order.state, "sale")
        (note,) = self.history_notes()
        self.assertIn(self.order.name, note)
        self.assertIn("Collections Manager", note)
        self.assertIn("Cash on delivery agreed with the owner", note)
        entry = self.actions_of(self.partner, action_type="note")
        self.assertEqual(entry.company_id, self.company)
        self.assertEqual(entry.user_id, self.manager)

    def test_manager_overrides_by_context_flag(self):
        self.hold()
        with self.assertRaisesRegex(UserError, "credit hold"):
            # By code, without a reason, nothing is confirmed silently.
            self.order.with_user(self.manager).action_confirm()
        self.order.with_user(self.manager).with_context(
            ar_hold_override_reason="Prepaid by bank transfer"
        ).action_confirm()
        self.assertEqual(self.order.state, "sale")
        self.assertIn("Prepaid by bank transfer", self.history_notes()[0])
        self.assertTrue(
            any("Prepaid by bank transfer" in m.body for m in self.order.message_ids)
        )

    def test_quotation_paid_in_full_online_is_confirmed(self):
        """Paying up front is what the hold asks: the payment confirms it."""
        self.hold()
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Test provider",
                "code": "none",
                "state": "test",
                "company_id": self.company.id,
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        method.active = True
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": self.order.amount_total,
                "currency_id": self.order.currency_id.id,
                "partner_id": self.partner.id,
                "reference": "HELD-PREPAID",
                "operation": "online_redirect",
                "state": "done",
                "sale_order_ids": [Command.set(self.order.ids)],
            }
        )
        tx.with_user(self.salesperson).sudo()._check_amount_and_confirm_order()
        self.assertEqual(self.order.state, "sale")

    def test_form_shows_the_hold(self):
        self.hold()
        order = self.order.with_user(self.salesperson)
        views = order.get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        banner = arch.xpath(
            "//div[contains(@class, 'alert')][field[@name='ar_credit_hold_warning']]"
        )
        self.assertTrue(banner, "the quotation form has the hold banner")
        self.assertEqual(banner[0].get("invisible"), "not ar_credit_hold_warning")
        form = Form(order)
        self.assertIn("Held Buyer Ltd is on credit hold", form.ar_credit_hold_warning)
        self.assertIn("Collections Manager", form.ar_credit_hold_warning)
        # Confirm buttons ask managers instead of refusing them.
        buttons = arch.xpath("//header/button[@name='action_confirm']")
        self.assertTrue(buttons)
        for button in buttons:
            self.assertIn("ar_hold_ask", button.get("context"))
        # A customer not on hold: no banner.
        other = self.quotation(self.customer("Good Payer Ltd"))
        self.assertFalse(Form(other.with_user(self.salesperson)).ar_credit_hold_warning)

    def test_hold_per_company(self):
        company_2 = self.setup_other_company(name="Second Co")["company"]
        self.partner.with_company(company_2).ar_credit_hold = True
        self.assertFalse(self.order.ar_credit_hold_warning)
        self.order.with_user(self.salesperson).action_confirm()
        self.assertEqual(self.order.state, "sale")
