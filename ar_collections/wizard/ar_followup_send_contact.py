from odoo import api, fields, models
from odoo.exceptions import UserError


class ArFollowupSend(models.TransientModel):
    """Send reminder now within the policy's contact rules.

    At the customer's contact limit the reminder is refused, saying until
    when; outside its contact window the form says that the email waits in
    the outgoing queue until the window opens (it is queued that way when
    sent, ``ar.followup.action._ar_schedule_contacts``).
    """

    # One file per job: the wizard is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.send"

    contact_warning = fields.Text("Contact rules", compute="_compute_contact_warning")
    contact_refused = fields.Boolean(
        "Refused by the contact rules", compute="_compute_contact_warning"
    )

    @api.depends("partner_id", "company_id", "send_email", "print_letter")
    def _compute_contact_warning(self):
        Partner = self.env["res.partner"]
        for wizard in self:
            verdicts = wizard._contact_verdicts()
            refused = [v for v in verdicts if v.held_by_cap]
            wizard.contact_refused = bool(refused)
            if refused:
                wizard.contact_warning = self.env._(
                    "No reminder can be sent now: %(reason)s",
                    reason=Partner._ar_contact_reason(refused[0]),
                )
            elif verdicts:
                wizard.contact_warning = self.env._(
                    "The email will wait in the outgoing queue until the customer's "
                    "contact window opens. %(reason)s",
                    reason=Partner._ar_contact_reason(verdicts[0]),
                )
            else:
                wizard.contact_warning = False

    def _contact_verdicts(self):
        """The verdicts of the channels ticked that do not allow a contact now."""
        self.ensure_one()
        channels = [
            channel
            for channel, ticked in (
                ("email", self.send_email),
                ("letter", self.print_letter),
            )
            if ticked
        ]
        partner = self.partner_id.commercial_partner_id._origin
        if not (partner and channels):
            return []
        company = self.company_id._origin or self.env.company
        found = partner._ar_contact_verdicts(company, channels)[partner.id]
        return [found[channel] for channel in channels if not found[channel].allowed]

    def _check_sendable(self):
        result = super()._check_sendable()
        refused = [v for v in self._contact_verdicts() if v.held_by_cap]
        if refused:
            raise UserError(
                self.env._(
                    "No reminder sent to %(partner)s: %(reason)s",
                    partner=self.partner_id.commercial_partner_id.display_name,
                    reason=self.env["res.partner"]._ar_contact_reason(refused[0]),
                )
            )
        return result
