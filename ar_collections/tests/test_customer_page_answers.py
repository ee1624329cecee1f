import re
from datetime import timedelta

from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_customer_page_security import CustomerPageCommon

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@tagged("post_install", "-at_install")
class TestCustomerPageAnswers(CustomerPageCommon):
    """The answer forms of the page, through real HTTP: each accepted answer
    and each refusal (nothing written, a message on the page)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alpha.with_company(cls.company).ar_collector_id = cls.collector

    def csrf(self):
        page = self.url_open(self.page_path())
        self.assertEqual(page.status_code, 200)
        return CSRF.search(page.text).group(1)

    def post(self, path, data, files=None, csrf=True, page=None):
        page = page or self.page
        form = {"access_token": page.access_token, **data}
        if csrf:
            form["csrf_token"] = self.csrf()
        return self.url_open(
            f"/collections/{page.id}/{path}",
            data=form,
            files=files,
            allow_redirects=False,
        )

    def counts(self):
        return {
            model: self.env[model].search_count(
                [("partner_id", "in", (self.alpha | self.beta).ids)]
            )
            for model in (
                "ar.payment.notice",
                "ar.promise",
                "ar.payment.plan",
                "ar.dispute",
            )
        }

    def assertRefused(self, response, text, before):
        self.assertEqual(response.status_code, 200)
        self.assertIn('id="ar_page_error"', response.text)
        self.assertIn(text, response.text)
        self.assertEqual(self.counts(), before, "nothing written")

    def assertAccepted(self, response, message):
        refusal = re.search(r'id="ar_page_error"[^>]*>([^<]*)<', response.text)
        self.assertEqual(response.status_code, 303, refusal and refusal.group(1))
        self.assertIn(f"message={message}", response.headers["Location"])
        landing = self.url_open(response.headers["Location"])
        self.assertIn('id="ar_page_message"', landing.text)

    def promise_data(self, move=None, days=10, amount="400"):
        return {
            "move_ids": str((move or self.alpha_invoice).id),
            "promise_date": str(self.today + timedelta(days=days)),
            "amount": amount,
        }

    # ------------------------------------------------------------------

    def test_page_offers_the_forms_with_csrf(self):
        response = self.url_open(self.page_path())
        for form in ("paid", "promise", "plan/preview", "dispute"):
            self.assertIn(f'action="/collections/{self.page.id}/{form}"', response.text)
        self.assertEqual(response.text.count('name="csrf_token"'), 4)

    @mute_logger("odoo.http")
    def test_missing_csrf_is_refused(self):
        before = self.counts()
        response = self.post("promise", self.promise_data(), csrf=False)
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.counts(), before)

    def test_already_paid(self):
        response = self.post(
            "paid",
            {
                "move_ids": str(self.alpha_invoice.id),
                "payment_date": str(self.today - timedelta(days=1)),
                "amount": "1000",
                "reference": "TRF-991",
            },
            files={"attachment": ("remittance.pdf", b"%PDF-1.4 remittance")},
        )
        self.assertAccepted(response, "paid_claim")
        notice = self.env["ar.payment.notice"].search(
            [("partner_id", "=", self.alpha.id)]
        )
        self.assertEqual(len(notice), 1)
        self.assertIn(self.alpha_invoice, notice.move_ids)

    def test_promise_and_its_refusals(self):
        before = self.counts()
        for data, text in (
            (self.promise_data(amount="-5"), "Amount"),
            (self.promise_data(amount="5000"), "Amount"),
            (self.promise_data(days=400), "date"),
            (self.promise_data(move=self.beta_invoice), "not among your open"),
            (
                self.promise_data(move=self.alpha_other_company),
                "not among your open",
            ),
        ):
            with self.subTest(data=data):
                self.assertRefused(self.post("promise", data), text, before)
        response = self.post("promise", self.promise_data())
        self.assertAccepted(response, "promise")
        promise = self.env["ar.promise"].search([("partner_id", "=", self.alpha.id)])
        self.assertEqual(promise.channel, "portal")
        self.assertEqual(promise.move_ids, self.alpha_invoice)

    def test_paid_invoice_refused(self):
        self.pay(self.alpha_invoice)
        before = self.counts()
        self.assertRefused(
            self.post("promise", self.promise_data()), "already paid", before
        )

    def test_rate_limit(self):
        self.policy.page_rate_limit = 1
        self.assertAccepted(self.post("promise", self.promise_data()), "promise")
        before = self.counts()
        response = self.post(
            "dispute",
            {
                "move_id": str(self.alpha_current.id),
                "reason": "wrong_amount",
                "amount": "50",
                "message": "Price differs from the quote",
            },
        )
        self.assertRefused(response, "hour", before)

    def test_plan_preview_then_accept_and_agreement(self):
        data = {
            "move_ids": str(self.alpha_invoice.id),
            "installments": "3",
            "frequency": "monthly",
        }
        preview = self.post("plan/preview", data)
        self.assertEqual(preview.status_code, 200)
        self.assertIn('id="ar_plan_preview"', preview.text)
        self.assertEqual(
            self.counts()["ar.payment.plan"], 0, "a preview writes nothing"
        )
        response = self.post("plan/accept", {**data, "signer_name": "Anna Alpha"})
        self.assertIn(response.status_code, (303,))
        plan = self.env["ar.payment.plan"].search([("partner_id", "=", self.alpha.id)])
        self.assertEqual(len(plan.installment_ids), 3)
        self.assertEqual(plan.signed_by, "Anna Alpha")
        self.assertTrue(plan.signed_ip)
        page = self.url_open(self.page_path())
        link = f"/collections/{self.page.id}/plans/{plan.id}/agreement"
        self.assertIn(link, page.text)
        pdf = self.url_open(f"{link}?access_token={self.page.access_token}")
        self.assertEqual(pdf.status_code, 200)
        self.assertIn(plan.name, pdf.text)  # tests render reports as HTML
        with mute_logger("odoo.http"):
            other = self.url_open(
                f"/collections/{self.beta_page.id}/plans/{plan.id}/agreement"
                f"?access_token={self.beta_page.access_token}"
            )
        self.assertEqual(other.status_code, 404)

    def test_plan_out_of_bounds_refused(self):
        before = self.counts()
        response = self.post(
            "plan/accept",
            {
                "move_ids": str(self.alpha_invoice.id),
                "installments": "60",
                "frequency": "monthly",
                "signer_name": "Anna Alpha",
            },
        )
        self.assertRefused(response, "nstallments", before)

    def test_dispute_and_its_refusals(self):
        before = self.counts()
        for move in (self.beta_invoice, self.alpha_other_company):
            response = self.post(
                "dispute",
                {
                    "move_id": str(move.id),
                    "reason": "wrong_amount",
                    "amount": "10",
                    "message": "x",
                },
            )
            self.assertRefused(response, "not among your open", before)
        response = self.post(
            "dispute",
            {
                "move_id": str(self.alpha_invoice.id),
                "reason": "wrong_amount",
                "amount": "100",
                "message": "We were quoted 900",
            },
            files={"attachment": ("quote.pdf", b"%PDF-1.4 quote")},
        )
        self.assertAccepted(response, "dispute")
        dispute = self.env["ar.dispute"].search([("partner_id", "=", self.alpha.id)])
        self.assertEqual(dispute.move_id, self.alpha_invoice)
        page = self.url_open(self.page_path())
        self.assertIn('id="ar_disputes"', page.text)

    def test_forms_with_a_wrong_token_are_404(self):
        before = self.counts()
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/collections/{self.page.id}/promise",
                data={
                    "access_token": self.beta_page.access_token,
                    "csrf_token": self.csrf(),
                    **self.promise_data(),
                },
                allow_redirects=False,
            )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.counts(), before)

    def test_blocked_promises_show_the_collector(self):
        self.policy.page_promise_max_open = 1
        self.assertAccepted(self.post("promise", self.promise_data()), "promise")
        page = self.url_open(self.page_path())
        self.assertIn('id="ar_contact_collector"', page.text)
        self.assertIn(self.collector.name, page.text)
        self.assertIn(self.collector.email, page.text)
