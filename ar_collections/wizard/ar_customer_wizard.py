from odoo import api, fields, models
from odoo.fields import Command


class ArCustomerWizardMixin(models.AbstractModel):
    """A collections wizard about one customer and some of its open invoices.

    Opened from invoices (the selection, its customer and company) or from a
    customer (the invoices overdue in the current company).
    """

    _name = "ar.customer.wizard.mixin"
    _description = "Collections wizard about a customer's invoices"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), "
        "('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), "
        "('company_id', '=', company_id)]",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        company = self.env["res.company"].browse(
            values.get("company_id") or self.env.company.id
        )
        partner, moves = self._ar_customer_from_context(company)
        if partner:
            values["partner_id"] = partner.id
        if moves:
            values["company_id"] = moves.company_id[:1].id
            values["move_ids"] = [Command.set(moves.ids)]
        return values

    @api.model
    def _ar_customer_from_context(self, company):
        """(customer, invoices) the wizard opens on: the invoices selected,
        else everything of the selected customer overdue in ``company``."""
        return self.env["res.partner"].with_company(company)._ar_invoices_from_context()
