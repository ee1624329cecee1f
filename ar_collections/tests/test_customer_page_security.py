import uuid

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ArCollectionsCommon


class CustomerPageCommon(ArCollectionsCommon, HttpCase):
    """Two customers in one company, the first also in a second company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.setup_other_company(name="Page Company 2")["company"]
        cls.alpha = cls.customer("Alpha Page Ltd")
        cls.beta = cls.customer("Beta Secret Ltd")
        cls.alpha_invoice = cls.invoice(cls.alpha, 1000, days_overdue=20)
        cls.alpha_current = cls.invoice(cls.alpha, 300, days_overdue=-10)
        cls.beta_invoice = cls.invoice(cls.beta, 777, days_overdue=25)
        cls.alpha_other_company = cls.invoice(
            cls.alpha, 555, days_overdue=30, company=cls.company_2
        )
        Page = cls.env["ar.customer.page"]
        cls.page = Page._ar_page_for(cls.alpha, cls.company)
        cls.beta_page = Page._ar_page_for(cls.beta, cls.company)

    def page_path(self, page=None, token=None, suffix=""):
        page = page or self.page
        token = page.access_token if token is None else token
        return f"/collections/{page.id}{suffix}?access_token={token}"

    def get(self, url, **kwargs):
        return self.url_open(url, allow_redirects=False, **kwargs)

    def assertReveals_nothing(self, response, *records):
        """The answer shows none of ``records``: no customer's name, no
        invoice's id or amount (invoice numbers repeat across companies)."""
        for record in records:
            if record._name == "res.partner":
                self.assertNotIn(record.name, response.text)
                continue
            for text in (
                f"{record.amount_total:,.2f}",
                f"/invoices/{record.id}/",
                f'value="{record.id}"',
            ):
                self.assertNotIn(text, response.text, record.name)


@tagged("post_install", "-at_install")
class TestCustomerPageSecurity(CustomerPageCommon):
    def test_token_opens_one_customer_in_one_company(self):
        response = self.get(self.page_path())
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertIn(self.alpha_current.name, response.text)
        # Neither another customer's invoices nor this customer's in another company.
        self.assertReveals_nothing(
            response, self.beta_invoice, self.beta, self.alpha_other_company
        )

    @mute_logger("odoo.http")
    def test_bad_missing_or_foreign_token_is_404(self):
        for url in (
            f"/collections/{self.page.id}",
            self.page_path(token=""),
            self.page_path(token=str(uuid.uuid4())),
            self.page_path(token=self.page.access_token[:-1]),
            self.page_path(token=self.beta_page.access_token),
            self.page_path(page=self.beta_page, token=self.page.access_token),
            f"/collections/999999?access_token={self.page.access_token}",
            self.page_path(suffix="/statement", token=str(uuid.uuid4())),
            f"/collections/{self.page.id}/pay?invoice_ids={self.alpha_invoice.id}",
        ):
            response = self.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertReveals_nothing(
                response, self.alpha, self.alpha_invoice, self.beta
            )

    @mute_logger("odoo.http")
    def test_revoked_link_is_404_and_new_link_works(self):
        old_token = self.page.access_token
        old_short = f"/c/{old_token}"
        self.assertEqual(self.get(old_short).status_code, 303)

        self.alpha.with_user(self.collector).action_ar_revoke_customer_page()

        self.assertNotEqual(self.page.access_token, old_token)
        self.assertEqual(self.get(self.page_path(token=old_token)).status_code, 404)
        self.assertEqual(self.get(old_short).status_code, 404)
        response = self.get(self.page_path())
        self.assertEqual(response.status_code, 200)
        short = self.get(f"/c/{self.page.access_token}")
        self.assertEqual(short.status_code, 303)
        self.assertTrue(short.headers["Location"].endswith(self.page_path()))
        self.assertIn(
            "link revoked", self.alpha.message_ids[:1].body.lower(), "in the chatter"
        )

    @mute_logger("odoo.http")
    def test_other_customers_invoice_ids_are_404(self):
        for move in (self.beta_invoice, self.alpha_other_company):
            for url in (
                self.page_path(suffix=f"/invoices/{move.id}/pdf"),
                self.page_path(suffix="/pay") + f"&invoice_ids={move.id}",
                self.page_path(suffix="/pay")
                + f"&invoice_ids={self.alpha_invoice.id},{move.id}",
                self.page_path(suffix="/pay") + "&invoice_ids=1 OR 1=1",
            ):
                response = self.get(url)
                self.assertEqual(response.status_code, 404, url)
                self.assertReveals_nothing(response, move, move.partner_id)

    @mute_logger("odoo.http")
    def test_paid_invoice_cannot_be_paid_again(self):
        self.pay(self.alpha_invoice)
        response = self.get(
            self.page_path(suffix="/pay") + f"&invoice_ids={self.alpha_invoice.id}"
        )
        self.assertEqual(response.status_code, 404)

    def test_own_invoice_pdf_uses_the_invoice_token(self):
        response = self.get(
            self.page_path(suffix=f"/invoices/{self.alpha_invoice.id}/pdf")
        )
        self.assertEqual(response.status_code, 303)
        location = response.headers["Location"]
        self.assertIn(f"/my/invoices/{self.alpha_invoice.id}", location)
        self.assertIn(f"access_token={self.alpha_invoice.access_token}", location)
        # The invoice link works without login.
        self.assertEqual(self.url_open(location).status_code, 200)

    @mute_logger("odoo.http")
    def test_transaction_for_another_customers_invoice_is_refused(self):
        self.url_open(self.page_path())  # a public session
        for move in (self.beta_invoice, self.alpha_other_company):
            response = self.url_open(
                f"/collections/{self.page.id}/transaction/{move.id}",
                json={
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "access_token": self.page.access_token,
                        "provider_id": 1,
                        "payment_method_id": 1,
                        "token_id": None,
                        "amount": 1.0,
                        "flow": "direct",
                        "tokenization_requested": False,
                        "landing_route": "/",
                        "is_validation": False,
                    },
                },
            )
            error = response.json()["error"]
            self.assertEqual(error["code"], 404)
            self.assertNotIn(move.name, response.text)
        self.assertFalse(
            self.env["payment.transaction"].search(
                [
                    (
                        "invoice_ids",
                        "in",
                        (self.beta_invoice | self.alpha_other_company).ids,
                    )
                ]
            )
        )

    def test_statement_is_the_pages_customer_and_company(self):
        response = self.get(self.page_path(suffix="/statement"))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        # Tests render reports as HTML: the statement's content can be read.
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertReveals_nothing(
            response, self.beta_invoice, self.beta, self.alpha_other_company
        )

    def test_token_is_long_random_and_unique(self):
        pages = self.env["ar.customer.page"]
        for index in range(20):
            pages |= pages._ar_page_for(
                self.customer(f"Token Customer {index}"), self.company
            )
        tokens = pages.mapped("access_token")
        self.assertEqual(len(set(tokens)), 20)
        for token in tokens:
            self.assertEqual(len(token), 36)
            self.assertEqual(uuid.UUID(token).version, 4)  # 122 random bits
        self.assertEqual(self.get(f"/c/{tokens[0][:8]}").status_code, 404)

    def test_one_page_per_customer_and_company(self):
        Page = self.env["ar.customer.page"]
        contact = self.person(self.alpha, "Anna Alpha")
        self.assertEqual(Page._ar_page_for(contact, self.company), self.page)
        other = Page._ar_page_for(self.alpha, self.company_2)
        self.assertNotEqual(other, self.page)
        self.assertNotEqual(other.access_token, self.page.access_token)
        response = self.get(self.page_path(page=other))
        self.assertIn(self.alpha_other_company.name, response.text)
        self.assertReveals_nothing(response, self.alpha_invoice, self.beta_invoice)

    def test_access_rights(self):
        page = self.page.with_user(self.collector)
        self.assertTrue(page.partner_id)
        with self.assertRaises(AccessError):
            page.write({"access_token": "guessable"})
        portal = new_test_user(
            self.env, login="page_portal", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.page.with_user(portal).read(["access_token"])
        # Collectors of another company don't see the page.
        other_collector = self._create_user(
            "collector_2", "ar_collections.ar_collections_group_user", self.company_2
        )
        with self.assertRaises(AccessError):
            self.page.with_user(other_collector).read(["partner_id"])


@tagged("post_install", "-at_install")
class TestCustomerPagePortalUser(CustomerPageCommon):
    def test_portal_user_sees_only_own_commercial_partner(self):
        contact = self.person(self.alpha, "Paula Portal")
        new_test_user(
            self.env,
            login="alpha_portal",
            password="alpha_portal_pw",
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=self.company.id,
            company_ids=self.company.ids,
        )
        self.authenticate("alpha_portal", "alpha_portal_pw")
        response = self.get("/my/collections")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.alpha_invoice.name, response.text)
        self.assertReveals_nothing(
            response, self.beta_invoice, self.beta, self.alpha_other_company
        )
        # Another customer's page is still closed without its token.
        with mute_logger("odoo.http"):
            response = self.get(f"/collections/{self.beta_page.id}")
        self.assertEqual(response.status_code, 404)
        self.assertReveals_nothing(response, self.beta_invoice)
        home = self.get("/my/home")
        self.assertIn("/my/collections", home.text)

    def test_public_user_is_sent_to_login(self):
        response = self.get("/my/collections")
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
