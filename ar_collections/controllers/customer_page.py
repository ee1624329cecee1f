"""The customer's collections page: reached through its signed link, or at
``/my/collections`` by a logged-in portal user.

Every route checks the page token first (``consteq``) and answers 404 on a
wrong, missing or revoked token, then reads with sudo, always filtered to the
page's commercial partner and company. Document ids coming from the browser
are accepted only when they belong to that scope; anything else is a 404 that
says nothing about the document.

Paying reuses Odoo's payment stack (``account_payment``): the payment form,
``_create_transaction`` with the invoices linked, the provider's own flow and
the post-processing that posts and reconciles the payment. Only the two entry
points are the page's own, because Odoo's overdue-invoices payment asks for a
login and the page works without one.
"""

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request
from odoo.tools import consteq

from odoo.addons.account_payment.controllers.payment import (
    PaymentPortal as AccountPaymentPortal,
)
from odoo.addons.account_payment.controllers.portal import PortalAccount

TOKEN_LENGTH = 36  # str(uuid.uuid4())


class ArCustomerPageController(PortalAccount, AccountPaymentPortal):
    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------

    def _ar_page_check(self, page_id, access_token):
        """The page if the token opens it, else 404 (wrong, missing, revoked)."""
        page = request.env["ar.customer.page"].sudo().browse(page_id).exists()
        if (
            not page
            or not isinstance(access_token, str)
            or not page.access_token
            or not consteq(page.access_token, access_token)
        ):
            raise NotFound()
        return self._ar_page_env(page)

    def _ar_page_env(self, page):
        """Read and render in the customer's language and the page's company."""
        lang = page.partner_id.lang or page.company_id.partner_id.lang
        if lang:
            request.update_context(lang=lang)
        return page.with_context(lang=lang).with_company(page.company_id)

    @staticmethod
    def _ar_ids(values):
        """Integers out of a list of strings ('12', '12,13'); 404 on anything else."""
        ids = []
        for value in values:
            for part in str(value).split(","):
                if not part.strip().isdigit():
                    raise NotFound()
                ids.append(int(part))
        if not ids:
            raise NotFound()
        return ids

    def _ar_payable(self, page, move_ids):
        """The page's open invoices among ``move_ids``; 404 if any is not one."""
        moves = page._ar_payable_moves()
        if not set(move_ids) <= set(moves.ids):
            raise NotFound()
        return moves.filtered(lambda move: move.id in move_ids)

    # ------------------------------------------------------------------
    # Pages
    # ------------------------------------------------------------------

    def _ar_page_extra_values(self, page):
        """More values for the page template (the answer forms add theirs)."""
        return {}

    def _ar_render_page(self, page, message=None, error=None, **extra):
        values = self._prepare_portal_layout_values()
        values.update(page._ar_content())
        values.update(self._ar_page_extra_values(page))
        values.update(
            {
                "page": page,
                "page_name": "ar_customer_page",
                "access_token": page.access_token,
                "message": message,
                "error": error,
                **extra,
            }
        )
        return request.render("ar_collections.customer_page", values)

    @http.route(
        "/collections/<int:page_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page(self, page_id, access_token=None, message=None, **kw):
        page = self._ar_page_check(page_id, access_token)
        return self._ar_render_page(page, message=page._ar_message(message))

    @http.route(
        "/c/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page_short(self, token, **kw):
        if len(token) != TOKEN_LENGTH:
            raise NotFound()
        page = (
            request.env["ar.customer.page"]
            .sudo()
            .search([("access_token", "=", token)], limit=1)
        )
        if not page:
            raise NotFound()
        return request.redirect(page._ar_page_url(), local=False)

    @http.route(
        "/my/collections", type="http", auth="user", methods=["GET"], website=True
    )
    def ar_my_collections(self, message=None, **kw):
        partner = request.env.user.partner_id.commercial_partner_id
        page = request.env["ar.customer.page"]._ar_page_for(
            partner, request.env.company
        )
        page = self._ar_page_env(page)
        return self._ar_render_page(page, message=page._ar_message(message))

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ar_open_document_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            page = request.env["ar.customer.page"].sudo()
            values["ar_open_document_count"] = len(
                page.new(
                    {"partner_id": partner.id, "company_id": request.env.company.id}
                )
                ._ar_open_lines()
                .move_id
            )
        return values

    # ------------------------------------------------------------------
    # Documents
    # ------------------------------------------------------------------

    @http.route(
        "/collections/<int:page_id>/statement",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page_statement(self, page_id, access_token=None, **kw):
        page = self._ar_page_check(page_id, access_token)
        return self._ar_pdf_response(
            page._ar_statement_pdf(), page._ar_statement_filename()
        )

    @staticmethod
    def _ar_pdf_response(pdf, filename):
        return request.make_response(
            pdf,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", len(pdf)),
                ("Content-Disposition", http.content_disposition(filename)),
            ],
        )

    @http.route(
        "/collections/<int:page_id>/invoices/<int:move_id>/pdf",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page_invoice_pdf(self, page_id, move_id, access_token=None, **kw):
        """The invoice's own portal PDF (its portal.mixin token), once the page
        token shows it is one of this customer's documents in this company."""
        page = self._ar_page_check(page_id, access_token)
        move = page._ar_documents().filtered(lambda doc: doc.id == move_id)
        if not move:
            raise NotFound()
        return request.redirect(
            move.get_portal_url(report_type="pdf", download=True), local=True
        )

    # ------------------------------------------------------------------
    # Pay now (Odoo's payment form and transaction flow)
    # ------------------------------------------------------------------

    @http.route(
        "/collections/<int:page_id>/pay",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def ar_customer_page_pay(self, page_id, access_token=None, **kw):
        page = self._ar_page_check(page_id, access_token)
        move_ids = request.httprequest.args.getlist("invoice_ids")
        if not move_ids:
            return request.redirect(page._ar_local_url(message="select"))
        moves = self._ar_payable(page, self._ar_ids(move_ids))
        if len(moves.currency_id) > 1:
            return request.redirect(page._ar_local_url(message="currency"))
        currency = moves.currency_id
        total = currency.round(sum(moves.mapped("amount_residual")))
        reference = (
            moves.name
            if len(moves) == 1
            else page.company_id.get_next_batch_payment_communication()
        )
        values = self._prepare_portal_layout_values()
        values.update(
            self._get_common_page_view_values(
                invoices_data={
                    "partner": page.partner_id,
                    "company": page.company_id,
                    "total_amount": total,
                    "currency": currency,
                    "amount_residual": total,
                    "payment_reference": reference,
                    "landing_route": page._ar_local_url(message="paid"),
                    "transaction_route": (
                        f"/collections/{page.id}/transaction/"
                        f"{','.join(str(i) for i in moves.ids)}"
                    ),
                },
                access_token=page.access_token,
            )
        )
        values.update(
            {
                "page": page,
                "page_name": "ar_customer_page",
                "moves": moves,
                "amount": total,
                "reference": reference,
            }
        )
        return request.render("ar_collections.customer_page_pay", values)

    @http.route(
        "/collections/<int:page_id>/transaction/<string:move_ids>",
        type="jsonrpc",
        auth="public",
    )
    def ar_customer_page_transaction(
        self, page_id, move_ids, access_token=None, payment_reference=None, **kwargs
    ):
        """Create the transaction for the selected invoices: the amount is what
        they still owe, read here, never what the browser sent."""
        page = self._ar_page_check(page_id, access_token)
        moves = self._ar_payable(page, self._ar_ids([move_ids]))
        if len(moves.currency_id) > 1:
            raise NotFound()
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = moves.currency_id.round(sum(moves.mapped("amount_residual")))
        logged_in = not request.env.user._is_public()
        partner = request.env.user.partner_id if logged_in else page.partner_id
        return self._process_transaction(
            partner.id,
            moves.currency_id.id,
            moves.ids,
            payment_reference if len(moves) > 1 else moves.name,
            **kwargs,
        )
