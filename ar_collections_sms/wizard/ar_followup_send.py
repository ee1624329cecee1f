from odoo import api, fields, models
from odoo.exceptions import UserError


class ArFollowupSend(models.TransientModel):
    """Send reminder now can text the contact too."""

    _inherit = "ar.followup.send"

    send_sms = fields.Boolean(
        "Send an SMS",
        compute="_compute_send_sms",
        store=True,
        readonly=False,
        help="Text the contact as well; ticked when the level sends an SMS.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        "SMS template",
        compute="_compute_send_sms",
        store=True,
        readonly=False,
        domain=[("model", "=", "ar.followup.action")],
    )
    sms_number = fields.Char("Number to text", compute="_compute_sms_number")
    sms_warning = fields.Char("SMS warning", compute="_compute_sms_number")
    preview_sms = fields.Text("SMS preview", compute="_compute_preview_sms")

    @api.depends("level_id")
    def _compute_send_sms(self):
        for wizard in self:
            wizard.send_sms = wizard.level_id.send_sms
            wizard.sms_template_id = wizard.level_id.sms_template_id

    @api.depends("contact_id.phone", "send_sms")
    def _compute_sms_number(self):
        numbers = self.contact_id._origin._ar_sms_numbers()
        for wizard in self:
            number, why = numbers.get(wizard.contact_id._origin.id, (False, False))
            wizard.sms_number = number
            wizard.sms_warning = wizard.send_sms and why

    @api.depends("send_sms", "sms_template_id", "move_ids", "contact_id", "level_id")
    def _compute_preview_sms(self):
        for wizard in self:
            wizard.preview_sms = False
            if wizard.send_sms and wizard.sms_template_id and wizard.move_ids:
                template = wizard.sms_template_id

                def render(action, template=template):
                    return action._render_sms(template)[action.id]

                wizard.preview_sms = wizard._render_on_throwaway_action("sms", render)

    def _history_entry(self, action_type):
        values = super()._history_entry(action_type)
        values["sms_template_id"] = self.sms_template_id._origin.id
        return values

    def _check_sendable(self):
        if self.move_ids and not (
            self.send_email or self.send_sms or self.print_letter
        ):
            raise UserError(
                self.env._("Tick “Send an email”, “Send an SMS” or “Queue a letter”.")
            )
        super()._check_sendable()
        if not self.send_sms:
            return
        if not self.sms_template_id:
            raise UserError(self.env._("Choose an SMS template or untick the SMS."))
        contact = self.contact_id or self.partner_id
        _number, why = contact._ar_sms_numbers()[contact.id]
        if why:
            raise UserError(
                self.env._(
                    "%(why)s. Choose another contact or untick “Send an SMS”.",
                    why=why,
                )
            )
        # The policy's contact rules: contact window, limits, "do not text".
        partner = self.partner_id.commercial_partner_id
        reason = partner._ar_contact_check("sms", company=self.company_id)
        if reason:
            raise UserError(
                self.env._(
                    "No SMS can be sent now: %(reason)s. Untick “Send an SMS”.",
                    reason=reason,
                )
            )
