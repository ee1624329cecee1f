import re

from odoo.fields import Command
from odoo.tests import HttpCase, tagged

from .common import ArCollectionsCommon

PAGE_LINK = re.compile(r"(/collections/\d+\?access_token=[0-9a-f-]{36})")


class CustomerPagePaymentCommon(ArCollectionsCommon, HttpCase):
    """A customer the daily run put on credit hold, and Odoo's demo provider."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = cls.env["payment.provider"].search(
            [("code", "=", "demo"), ("company_id", "=", cls.company.id)], limit=1
        ) or cls.env.ref("payment.payment_provider_demo").copy(
            {"company_id": cls.company.id}
        )
        cls.method = cls.env.ref("payment_demo.payment_method_demo")
        cls.provider.write(
            {
                "state": "test",
                "is_published": True,
                "payment_method_ids": [Command.link(cls.method.id)],
            }
        )
        cls.customer_held = cls.customer("Held Payer Ltd")
        cls.old = cls.invoice(cls.customer_held, 1000, days_overdue=40)
        cls.recent = cls.invoice(cls.customer_held, 500, days_overdue=10)
        cls.old.ar_level_id = cls.level_2

    def assertPaidAndFree(self, moves):
        """The invoices are paid, no longer chased, and the run's hold lifted."""
        for move in moves:
            self.assertTrue(move.currency_id.is_zero(move.amount_residual))
            self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertFalse(self.customer_held._ar_overdue_moves(self.company))
        self.assertFalse(self.customer_held.with_company(self.company).ar_credit_hold)
        self.assertTrue(self.actions_of(self.customer_held, action_type="hold_lifted"))


@tagged("post_install", "-at_install")
class TestCustomerPagePayment(CustomerPagePaymentCommon):
    def test_pay_several_invoices_without_login(self):
        self.run_followup()
        self.assertTrue(self.customer_held.with_company(self.company).ar_credit_hold)
        page = self.env["ar.customer.page"]._ar_page_for(
            self.customer_held, self.company
        )
        moves = self.old | self.recent
        ids = ",".join(str(i) for i in moves.ids)

        self.assertEqual(self.url_open(page._ar_local_url()).status_code, 200)
        pay = self.url_open(
            f"/collections/{page.id}/pay?access_token={page.access_token}"
            f"&invoice_ids={self.old.id}&invoice_ids={self.recent.id}"
        )
        self.assertEqual(pay.status_code, 200)
        self.assertIn(f'data-provider-id="{self.provider.id}"', pay.text)
        self.assertIn(f"/collections/{page.id}/transaction/{ids}", pay.text)

        processing = self.make_jsonrpc_request(
            f"/collections/{page.id}/transaction/{ids}",
            {
                "access_token": page.access_token,
                "provider_id": self.provider.id,
                "payment_method_id": self.method.id,
                "token_id": None,
                "amount": 1.0,  # tampered with in the browser: not used
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": page._ar_local_url(message="paid"),
                "is_validation": False,
                "payment_reference": "whatever",
            },
        )
        tx = self.env["payment.transaction"].search(
            [("reference", "=", processing["reference"])]
        )
        self.assertEqual(tx.invoice_ids, moves)
        self.assertEqual(tx.partner_id, self.customer_held)
        self.assertEqual(tx.currency_id.compare_amounts(tx.amount, 1500), 0)

        self.make_jsonrpc_request(
            "/payment/demo/simulate_payment",
            {
                "reference": tx.reference,
                "payment_details": "4242",
                "simulated_state": "done",
            },
        )
        status = self.make_jsonrpc_request("/payment/status/poll", {})
        self.assertEqual(status["state"], "done")
        self.assertEqual(tx.state, "done")
        self.assertTrue(tx.payment_id)
        self.assertNotEqual(tx.payment_id.state, "draft")
        self.assertPaidAndFree(moves)

        landing = self.url_open(status["landing_route"])
        self.assertIn("your payment is being processed", landing.text)
        self.assertIn("Nothing is left to pay", landing.text)


@tagged("post_install", "-at_install")
class TestCustomerPageTour(CustomerPagePaymentCommon):
    def test_customer_pays_from_the_reminder_email(self):
        self.level_1.mail_template_id = self.env.ref(
            "ar_collections.mail_template_followup_reminder"
        )
        self.old.ar_level_id = False
        self.recent.ar_level_id = False
        middle = self.invoice(self.customer_held, 600, days_overdue=20)
        self.run_followup()
        mail = self.mails_to(self.customer_held)
        self.assertEqual(len(mail), 1)
        link = PAGE_LINK.search(mail.body_html)
        self.assertTrue(link, "the reminder has a Pay now link to the page")

        self.start_tour(link.group(1), "ar_collections_customer_page_tour")

        tx = self.env["payment.transaction"].search(
            [("partner_id", "=", self.customer_held.id)]
        )
        self.assertEqual(tx.state, "done")
        for move in self.old | self.recent | middle:
            self.assertTrue(move.currency_id.is_zero(move.amount_residual))
        self.assertFalse(self.customer_held._ar_overdue_moves(self.company))
        scoped = [("partner_id", "=", self.customer_held.id)]
        promise = self.env["ar.promise"].search(scoped)
        self.assertEqual((promise.move_ids, promise.channel), (self.recent, "portal"))
        dispute = self.env["ar.dispute"].search(scoped)
        self.assertEqual(dispute.move_id, self.old)
        plan = self.env["ar.payment.plan"].search(scoped)
        self.assertEqual((plan.move_ids, plan.signed_by), (middle, "Tour Signer"))
