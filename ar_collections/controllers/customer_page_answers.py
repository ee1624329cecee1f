"""The customer's answers on its collections page: already paid, promise to
pay, payment plan, dispute.

Each form is a POST with Odoo's CSRF token and the page token; the page is
checked first (404 otherwise), then ``ar.customer.answer`` checks every value
again. A refusal is shown on the page and nothing is written; an accepted
answer redirects back to the page with a confirmation.
"""

import base64

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from .customer_page import ArCustomerPageController


def answer_route(path):
    """A form of the page: POST, CSRF-checked by Odoo, no login."""
    return http.route(
        f"/collections/<int:page_id>/{path}",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )


class ArCustomerPageAnswers(ArCustomerPageController):
    def _ar_page_extra_values(self, page):
        values = super()._ar_page_extra_values(page)
        Answer = request.env["ar.customer.answer"].sudo()
        partner, company = page.partner_id, page.company_id
        values.update(
            {
                "offers": Answer._ar_page_offers(partner, company),
                "collector": Answer._ar_collector(partner, company),
                "csrf": request.csrf_token(),
            }
        )
        return values

    @staticmethod
    def _ar_meta():
        httprequest = request.httprequest
        agent = httprequest.user_agent
        return {
            "ip": httprequest.remote_addr,
            "user_agent": agent.string if agent else "",
        }

    @staticmethod
    def _ar_attachment():
        upload = request.httprequest.files.get("attachment")
        if not upload or not upload.filename:
            return None
        return {"name": upload.filename, "data": base64.b64encode(upload.read())}

    @staticmethod
    def _ar_move_ids():
        return request.httprequest.form.getlist("move_ids")

    def _ar_answer(self, page_id, access_token, message, method, *args, **kwargs):
        """The answer service's ``method`` for the page's customer and
        company, with ``args``; on a refusal the page shows it and nothing is
        written, else it redirects to the page with ``message`` (or
        ``message(result)``)."""
        page = self._ar_page_check(page_id, access_token)
        answers = request.env["ar.customer.answer"].sudo()
        try:
            with request.env.cr.savepoint():
                result = getattr(answers, method)(
                    page.partner_id, page.company_id, *args, **kwargs
                )
        except (UserError, ValidationError) as error:
            return self._ar_render_page(page, error=error.args[0])
        if callable(message):
            message = message(result)
        return request.redirect(page._ar_local_url(message=message))

    @answer_route("paid")
    def ar_answer_paid(self, page_id, access_token=None, **post):
        return self._ar_answer(
            page_id,
            access_token,
            "paid_claim",
            "_ar_claim_paid",
            self._ar_move_ids(),
            post.get("payment_date"),
            post.get("amount"),
            post.get("reference"),
            attachment=self._ar_attachment(),
            meta=self._ar_meta(),
        )

    @answer_route("promise")
    def ar_answer_promise(self, page_id, access_token=None, **post):
        return self._ar_answer(
            page_id,
            access_token,
            "promise",
            "_ar_promise",
            self._ar_move_ids(),
            post.get("promise_date"),
            post.get("amount"),
            meta=self._ar_meta(),
        )

    @answer_route("plan/preview")
    def ar_answer_plan_preview(self, page_id, access_token=None, **post):
        page = self._ar_page_check(page_id, access_token)
        move_ids = self._ar_move_ids()
        installments = post.get("installments")
        frequency = post.get("frequency")
        try:
            schedule = (
                request.env["ar.customer.answer"]
                .sudo()
                ._ar_plan_preview(
                    page.partner_id, page.company_id, move_ids, installments, frequency
                )
            )
        except (UserError, ValidationError) as error:
            return self._ar_render_page(page, error=error.args[0])
        moves = page._ar_payable_moves().filtered(lambda move: str(move.id) in move_ids)
        return self._ar_render_page(
            page,
            plan_preview={
                "schedule": schedule,
                "moves": moves,
                "currency": moves.currency_id[:1],
                "installments": installments,
                "frequency": frequency,
            },
        )

    @answer_route("plan/accept")
    def ar_answer_plan_accept(self, page_id, access_token=None, **post):
        return self._ar_answer(
            page_id,
            access_token,
            lambda plan: "plan_active" if plan.state == "active" else "plan_requested",
            "_ar_plan_request",
            self._ar_move_ids(),
            post.get("installments"),
            post.get("frequency"),
            post.get("signer_name"),
            meta=self._ar_meta(),
        )

    @answer_route("dispute")
    def ar_answer_dispute(self, page_id, access_token=None, **post):
        return self._ar_answer(
            page_id,
            access_token,
            "dispute",
            "_ar_dispute",
            post.get("move_id"),
            post.get("reason"),
            post.get("amount"),
            post.get("message"),
            attachment=self._ar_attachment(),
            meta=self._ar_meta(),
        )

    @http.route(
        "/collections/<int:page_id>/plans/<int:plan_id>/agreement",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page_plan_agreement(
        self, page_id, plan_id, access_token=None, **kw
    ):
        """The signed agreement of one of this customer's plans in this company."""
        page = self._ar_page_check(page_id, access_token)
        plan = (
            request.env["ar.payment.plan"]
            .sudo()
            .search(
                [
                    ("id", "=", plan_id),
                    ("partner_id", "=", page.partner_id.id),
                    ("company_id", "=", page.company_id.id),
                    ("state", "!=", "cancelled"),
                ]
            )
        )
        if not plan:
            raise NotFound()
        pdf, _type = (
            request.env["ir.actions.report"]
            .sudo()
            .with_company(page.company_id)
            ._render_qweb_pdf("ar_collections.action_report_payment_plan", plan.ids)
        )
        return self._ar_pdf_response(
            pdf, request.env._("Payment plan %(plan)s.pdf", plan=plan.name)
        )
