from odoo import models
from odoo.exceptions import UserError


class ResPartner(models.Model):
    """The collections page link of a customer: revoked by a collector."""

    # One file per job: res.partner is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "res.partner"

    def action_ar_revoke_customer_page(self):
        """Revoke the customer's page link in the current company."""
        if not self.env.user.has_group("ar_collections.ar_collections_group_user"):
            raise UserError(
                self.env._("Only collectors can revoke a customer page link.")
            )
        Page = self.env["ar.customer.page"].sudo()
        for partner in self.commercial_partner_id:
            page = Page.search(
                [
                    ("partner_id", "=", partner.id),
                    ("company_id", "=", self.env.company.id),
                ],
                limit=1,
            )
            if not page:
                raise UserError(
                    self.env._(
                        "%(partner)s has no customer page link yet: nothing to revoke.",
                        partner=partner.display_name,
                    )
                )
            page.action_revoke()
        return True
