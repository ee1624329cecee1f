from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    ar_fee_journal_id = fields.Many2one(
        "account.journal",
        "Late fee journal",
        domain="[('type', '=', 'sale'), ('company_id', 'in', [id, False])]",
        help="Sales journal of the late fee invoices; the first sales journal "
        "when empty.",
    )
    ar_fee_product_id = fields.Many2one(
        "product.product",
        "Late fee product",
        help="Its income account and taxes apply to late fee invoices.",
    )
    ar_fee_grouping = fields.Selection(
        [
            ("invoice", "One fee invoice per overdue invoice"),
            ("partner", "One fee invoice per customer and run"),
        ],
        "Late fee invoices",
        default="invoice",
        required=True,
    )
    ar_hold_payment_term_id = fields.Many2one(
        "account.payment.term",
        "Payment terms while on hold",
        domain="[('company_id', 'in', [id, False])]",
        ondelete="restrict",
        help="Customers put on credit hold get these terms (e.g. immediate "
        "payment: they pay before delivery); their own terms come back when "
        "the hold is lifted. Empty: a hold leaves payment terms alone.",
    )

    @api.constrains("ar_hold_payment_term_id")
    def _check_ar_hold_payment_term(self):
        partners = self.env["res.partner"]
        for company in self:
            problem = partners._ar_payment_term_problem(
                company.ar_hold_payment_term_id,
                company,
                partners._ar_hold_terms_setting(),
            )
            if problem:
                raise ValidationError(problem)

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._ar_setup_collections()
        return companies

    def _ar_setup_collections(self):
        """Give each company what the first one gets at install.

        A default follow-up policy with the shipped policy's levels and email
        templates (the templates are shared by every company), and the
        statutory interest rules, archived. Used by the install hook and when
        a company is created; a company that already has a default policy or
        statutory rules keeps its own.
        """
        Policy = self.env["ar.followup.policy"].sudo().with_context(active_test=False)
        shipped = self.env.ref(
            "ar_collections.ar_followup_policy_default", raise_if_not_found=False
        )
        for company in self:
            if shipped and not Policy.search_count(
                [("company_id", "=", company.id), ("is_default", "=", True)], limit=1
            ):
                shipped.sudo()._copy_to_company(company)
        self.env["ar.fee.rule"]._install_statutory_rules(self)

    def _ar_fee_journal_and_product(self):
        """Where late fees are posted; a clear error when it cannot be found."""
        self.ensure_one()
        journal = self.ar_fee_journal_id or self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        product = self.ar_fee_product_id or self.env.ref(
            "ar_collections.product_late_fee", raise_if_not_found=False
        )
        if not journal:
            raise UserError(
                self.env._(
                    "%(company)s has no sales journal for late fees: set “Late fee "
                    "journal” in Invoicing settings.",
                    company=self.name,
                )
            )
        if not product:
            raise UserError(
                self.env._(
                    "Set a “Late fee product” in Invoicing settings for %(company)s.",
                    company=self.name,
                )
            )
        return journal, product
