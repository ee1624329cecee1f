from odoo import api, fields, models
from odoo.tools import html2plaintext

SMS_STATES = [
    ("queued", "In queue"),
    ("processing", "Processing"),
    ("sent", "Sent"),
    ("delivered", "Delivered"),
    ("error", "Not delivered"),
    ("cancelled", "Cancelled"),
]
# The status Odoo's SMS keeps on the message's notification, in our words.
NOTIFICATION_SMS_STATE = {
    "ready": "queued",
    "process": "processing",
    "pending": "sent",
    "sent": "delivered",
    "bounce": "error",
    "exception": "error",
    "canceled": "cancelled",
}


class ArFollowupAction(models.Model):
    """SMS entries of the history: the text, the number and its delivery.

    The SMS is an Odoo SMS posted on the customer (it shows in its chatter)
    and recorded as the entry's message; its delivery state is the one Odoo
    keeps on the message's notification, updated by the gateway's reports.
    """

    _inherit = "ar.followup.action"

    action_type = fields.Selection(
        selection_add=[("email",), ("sms", "SMS")],
        # Uninstalling keeps the history: the SMS entries become notes.
        ondelete={"sms": lambda actions: actions.write({"action_type": "note"})},
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        "SMS template",
        help="Template used instead of the level's (manual sends).",
        ondelete="set null",
    )
    sms_number = fields.Char("Texted number", readonly=True)
    sms_body = fields.Text("SMS text", compute="_compute_sms_delivery")
    sms_state = fields.Selection(
        SMS_STATES,
        "SMS status",
        compute="_compute_sms_delivery",
        help="Delivery of the SMS as the SMS gateway reports it: queued until "
        "Odoo's scheduled action sends it, sent, then delivered (or not).",
    )
    sms_failure = fields.Char("SMS failure", compute="_compute_sms_delivery")

    @api.depends("action_type", "mail_message_id")
    def _compute_sms_delivery(self):
        messages = self.filtered(lambda a: a.action_type == "sms").mail_message_id
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", messages.ids),
                    ("notification_type", "=", "sms"),
                ]
            )
        )
        of_message = {n.mail_message_id.id: n for n in notifications}
        failures = dict(
            notifications._fields["failure_type"]._description_selection(self.env)
        )
        for action in self:
            notification = of_message.get(action.mail_message_id.id)
            action.sms_body = (
                action.action_type == "sms"
                and action.mail_message_id
                and html2plaintext(action.mail_message_id.sudo().body or "")
            )
            action.sms_state = notification and NOTIFICATION_SMS_STATE.get(
                notification.notification_status
            )
            failure = notification and notification.failure_type
            action.sms_failure = failure and ", ".join(
                filter(None, [failures.get(failure), notification.failure_reason])
            )

    def _execute_sms(self):
        """Text each action's collections contact, through Odoo's SMS.

        The SMS is posted on the customer and queued: Odoo's scheduled action
        sends it once this transaction is committed, so a run that is rolled
        back or retried never texts twice. An action that cannot text (no
        template, no valid number, a number on the phone blacklist) fails
        with the reason and texts nothing.
        """
        # Held back by the policy's contact rules (``_ar_schedule_contacts``):
        # cancelled with why, not texted.
        sendable = self.filtered(lambda a: a.state != "cancelled")
        for action in sendable.filtered(lambda a: not a.contact_id):
            action.contact_id = action.partner_id._ar_get_contact()
        numbers = sendable.contact_id._ar_sms_numbers()
        to_text = self.browse()
        for action in sendable:
            number, why = numbers.get(action.contact_id.id, (False, False))
            if not action._sms_template():
                why = self.env._("the level has no SMS template")
            if why:
                action.write(
                    {
                        "state": "failed",
                        "sms_number": number,
                        "error": self.env._("No SMS sent: %(why)s.", why=why),
                    }
                )
            else:
                to_text |= action
        for template, actions in to_text.grouped(lambda a: a._sms_template()).items():
            bodies = actions._render_sms(template)
            for action in actions:
                contact = action.contact_id
                number = numbers[contact.id][0]
                message = action.partner_id.sudo()._message_sms(
                    bodies[action.id],
                    partner_ids=contact.ids,
                    sms_pid_to_number={contact.id: number},
                    put_in_queue=True,
                )
                action.write({"mail_message_id": message.id, "sms_number": number})

    def _sms_template(self):
        self.ensure_one()
        return self.sms_template_id or self.level_id.sms_template_id

    def _render_sms(self, template):
        """The text of each action's SMS, in the language of its reader."""
        langs = template._render_lang(self.ids) if template.lang else {}
        return template._render_field(
            "body",
            self.ids,
            res_ids_lang={
                action.id: langs.get(action.id)
                or action.recipient_lang
                or self.env.lang
                for action in self
            },
        )
