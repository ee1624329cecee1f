from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ArFollowupLevel(models.Model):
    """A level can also text the customer's collections contact."""

    _inherit = "ar.followup.level"

    send_sms = fields.Boolean(
        "Send an SMS",
        help="Text the customer's collections contact (its mobile number, else "
        "its phone number) through Odoo's SMS, once per customer and run. A "
        "number on the phone blacklist gets nothing.",
    )
    sms_template_id = fields.Many2one(
        "sms.template",
        "SMS template",
        domain=[("model", "=", "ar.followup.action")],
    )

    @api.model
    def _get_level_actions(self):
        """The SMS goes right after the email."""
        actions = super()._get_level_actions()
        types = [action_type for action_type, _flag in actions]
        position = types.index("email") + 1 if "email" in types else len(actions)
        actions.insert(position, ("sms", "send_sms"))
        return actions

    @api.depends("send_sms")
    def _compute_action_summary(self):
        return super()._compute_action_summary()

    def _action_labels(self):
        return {**super()._action_labels(), "sms": self.env._("SMS")}

    @api.constrains("send_sms", "sms_template_id")
    def _check_sms_template(self):
        for level in self:
            if level.send_sms and not level.sms_template_id:
                raise ValidationError(
                    self.env._(
                        "The level “%(level)s” sends an SMS but has no SMS "
                        "template: choose a template or untick “Send an SMS”.",
                        level=level.name,
                    )
                )
