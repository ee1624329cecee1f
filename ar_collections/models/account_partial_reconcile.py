from odoo import api, models

from . import receivable_scope as scope


class AccountPartialReconcile(models.Model):
    """Payments lift the credit holds the daily run set, once nothing is overdue."""

    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        lines = partials.debit_move_id.filtered(
            lambda line: line.account_type == "asset_receivable" and line.partner_id
        )
        partners = self.env["res.partner"]
        for company, company_lines in lines.grouped("company_id").items():
            held = company_lines.partner_id.commercial_partner_id.with_company(
                company
            ).filtered("ar_credit_hold")
            if held:
                today = scope.company_today(self.env, company)
                partners._ar_lift_cleared_holds(company, today, held.ids)
        return partials
