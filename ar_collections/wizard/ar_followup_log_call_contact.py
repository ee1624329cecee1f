from odoo import api, fields, models


class ArFollowupLogCall(models.TransientModel):
    """Log a call within the policy's contact rules: the form warns when a
    call is not allowed now (the customer opted out of calls, its contact
    hours, a weekend or holiday, its call limit), and when it is allowed
    again. The call is still logged: the history keeps what happened."""

    # One file per job: the wizard is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.log.call"

    contact_warning = fields.Text("Contact rules", compute="_compute_contact_warning")

    @api.depends("partner_id", "company_id")
    def _compute_contact_warning(self):
        for wizard in self:
            partner = wizard.partner_id.commercial_partner_id._origin
            reason = partner and partner._ar_contact_check(
                "call", company=wizard.company_id._origin or self.env.company
            )
            wizard.contact_warning = reason and self.env._(
                "Calling is not allowed now: %(reason)s Log the call only if it "
                "took place.",
                reason=reason,
            )
