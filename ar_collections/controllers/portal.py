from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ArPaymentPlanPortal(CustomerPortal):
    """Customers see their own payment plans and pay the invoices online."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "ar_payment_plan_count" in counters:
            Plan = request.env["ar.payment.plan"]
            values["ar_payment_plan_count"] = (
                Plan.search_count([("state", "!=", "cancelled")])
                if Plan.has_access("read")
                else 0
            )
        return values

    @http.route(["/my/payment_plans"], type="http", auth="user", website=True)
    def portal_my_payment_plans(self, **kw):
        values = self._prepare_portal_layout_values()
        plans = request.env["ar.payment.plan"].search(
            [("state", "!=", "cancelled")], order="id desc"
        )
        values.update({"plans": plans, "page_name": "ar_payment_plan"})
        return request.render("ar_collections.portal_my_payment_plans", values)

    @http.route(
        ["/my/payment_plans/<int:plan_id>"], type="http", auth="public", website=True
    )
    def portal_my_payment_plan(self, plan_id, access_token=None, **kw):
        try:
            plan = self._document_check_access("ar.payment.plan", plan_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            plan,
            access_token,
            {"plan": plan, "page_name": "ar_payment_plan"},
            "my_payment_plans_history",
            False,
        )
        return request.render("ar_collections.portal_my_payment_plan", values)
