import uuid

from odoo import api, fields, models


class ArCustomerPage(models.Model):
    """A customer's collections page: one per commercial partner and company.

    Its ``access_token`` (``portal.mixin``, a random UUID4) signs the link put
    in every reminder: whoever holds the link sees this customer's receivables
    in this company and nothing else. Revoking draws a new token, so every
    link sent before stops working.
    """

    _name = "ar.customer.page"
    _inherit = ["portal.mixin"]
    _description = "Customer collections page"
    _order = "id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        ondelete="cascade",
        domain=[("parent_id", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date_revoked = fields.Datetime("Link revoked on", readonly=True, copy=False)
    revoked_by_id = fields.Many2one(
        "res.users", "Link revoked by", readonly=True, copy=False
    )

    _partner_company_uniq = models.Constraint(
        "UNIQUE(partner_id, company_id)",
        "A customer has one collections page per company.",
    )

    def _compute_access_url(self):
        for page in self:
            page.access_url = f"/collections/{page.id}"

    def _compute_display_name(self):
        for page in self:
            page.display_name = self.env._(
                "Collections page of %(partner)s (%(company)s)",
                partner=page.partner_id.display_name,
                company=page.company_id.name,
            )

    @api.model
    def _ar_page_for(self, partner, company):
        """The page of ``partner``'s commercial entity in ``company``, created
        (with its token) on first use."""
        return self._ar_pages_for(partner, company)[partner.commercial_partner_id.id]

    @api.model
    def _ar_pages_for(self, partners, company):
        """The pages of ``partners``' commercial entities in ``company`` by
        commercial partner id, the missing ones created with their tokens:
        one search and one create for a batch of reminders."""
        commercial = partners.commercial_partner_id
        Page = self.sudo()
        pages = Page.search(
            [("partner_id", "in", commercial.ids), ("company_id", "=", company.id)]
        )
        missing = commercial - pages.partner_id
        pages |= Page.create(
            [
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "access_token": str(uuid.uuid4()),
                }
                for partner in missing
            ]
        )
        for page in pages.filtered(lambda page: not page.access_token):
            page._portal_ensure_token()
        return {page.partner_id.id: page for page in pages}

    def _ar_page_url(self):
        """The full signed link of the page, on the company's base URL."""
        self.ensure_one()
        token = self.sudo()._portal_ensure_token()
        return f"{self.get_base_url()}{self.access_url}?access_token={token}"

    def _ar_short_url(self):
        """A short link for letters (typed by hand or read from the QR code)."""
        self.ensure_one()
        return f"{self.get_base_url()}/c/{self.sudo()._portal_ensure_token()}"

    def action_revoke(self):
        """Give the page a new token: every link sent before answers 404."""
        for page in self.sudo():
            page.write(
                {
                    "access_token": str(uuid.uuid4()),
                    "date_revoked": fields.Datetime.now(),
                    "revoked_by_id": self.env.user.id,
                }
            )
            page.partner_id.message_post(
                body=self.env._(
                    "Customer page link revoked for %(company)s: the links sent "
                    "before no longer open it.",
                    company=page.company_id.name,
                ),
                author_id=self.env.user.partner_id.id,
            )
        return True
