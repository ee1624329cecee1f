from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .level_actions import LEVEL_ACTIONS, LEVEL_FLAGS, flagged_action_types

TONES = [
    ("reminder", "Reminder"),
    ("firm", "Firm reminder"),
    ("formal_notice", "Formal notice"),
    ("final_notice", "Final notice"),
    ("handover", "Hand-over"),
]


class ArFollowupLevel(models.Model):
    """One step of a policy: when it triggers and what it does."""

    _name = "ar.followup.level"
    _description = "Follow-up level"
    _order = "policy_id, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "ar.followup.policy", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        related="policy_id.company_id", store=True, index=True, precompute=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    delay = fields.Integer(
        "Days overdue",
        required=True,
        help="Days after the due date that trigger this level. A negative number "
        "sends a courtesy reminder before the due date.",
    )
    tone = fields.Selection(TONES, required=True, default="reminder")
    payment_days = fields.Integer(
        "Days given to pay",
        help="The level's message asks the customer to pay within this many days "
        "and states the date. The next level never comes before that date has "
        "passed. 0: the message gives no deadline.",
    )
    requires_approval = fields.Boolean(
        "Needs approval",
        help="The daily run only proposes this level's actions; a collector "
        "approves them before anything is sent.",
    )
    send_email = fields.Boolean("Send an email")
    mail_template_id = fields.Many2one(
        "mail.template",
        "Email template",
        domain=[("model", "=", "ar.followup.action")],
    )
    attach_invoices = fields.Boolean(
        "Attach invoice PDFs", help="Attach the PDF of every overdue invoice."
    )
    copy_escalation_contacts = fields.Boolean(
        "Copy escalation contacts",
        help="Also send to the customer's escalation contacts (e.g. the finance "
        "director or the owner), set on the customer's Collections tab.",
    )
    print_letter = fields.Boolean(
        "Print a letter", help="Queue a letter in the Letters to print list."
    )
    schedule_call = fields.Boolean(
        "Schedule a call", help="Plan a phone call activity for the collector."
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        "Switch to payment terms",
        check_company=True,
        ondelete="restrict",
        help="Prepayment for chronic late payers: the customer gets these terms "
        "(e.g. immediate payment) when an invoice reaches this level; its own "
        "terms come back when the credit hold is lifted, or with “Restore "
        "payment terms”.",
    )
    set_credit_hold = fields.Boolean("Put on credit hold")
    hand_over = fields.Boolean(
        "Hand over",
        help="Hand the invoices over to a collection agency or legal: all "
        "automation stops for them.",
    )
    fee_rule_ids = fields.Many2many(
        "ar.fee.rule",
        "ar_followup_level_fee_rule_rel",
        "level_id",
        "rule_id",
        "Late fees",
        check_company=True,
        domain="[('charge_on', '=', 'level')]",
        help="Fees and interest charged on each invoice that reaches this level.",
    )
    action_summary = fields.Char(compute="_compute_action_summary")

    @api.depends(*LEVEL_FLAGS, "fee_rule_ids", "requires_approval")
    def _compute_action_summary(self):
        labels = self._action_labels()
        for level in self:
            parts = [labels[action_type] for action_type in flagged_action_types(level)]
            if level.fee_rule_ids:
                parts.append(self.env._("late fee"))
            if level.requires_approval:
                parts.append(self.env._("needs approval"))
            level.action_summary = ", ".join(parts)

    @api.model
    def _get_level_actions(self):
        """(action type, level flag) pairs in the order the run carries them
        out: ``LEVEL_ACTIONS``. Glue addons override it to add theirs."""
        return list(LEVEL_ACTIONS)

    def _action_labels(self):
        """The summary's word for each action type a level flag makes."""
        return {
            "email": self.env._("email"),
            "letter": self.env._("letter"),
            "call": self.env._("call"),
            "terms": self.env._("prepayment terms"),
            "hold": self.env._("credit hold"),
            "handover": self.env._("hand-over"),
        }

    @api.constrains("send_email", "mail_template_id")
    def _check_email_template(self):
        for level in self:
            if level.send_email and not level.mail_template_id:
                raise ValidationError(
                    self.env._(
                        "The level “%(level)s” sends an email but has no email "
                        "template: choose a template or untick “Send an email”.",
                        level=level.name,
                    )
                )

    @api.constrains("payment_term_id")
    def _check_payment_term(self):
        for level in self:
            problem = self.env["res.partner"]._ar_payment_term_problem(
                level.payment_term_id, level.company_id, level._payment_terms_setting()
            )
            if problem:
                raise ValidationError(problem)

    def _payment_terms_setting(self):
        """Where the level's payment terms are chosen, for messages."""
        return self.env._("the level “%(level)s”", level=self.name)

    @api.constrains("payment_days")
    def _check_payment_days(self):
        for level in self:
            if level.payment_days < 0:
                raise ValidationError(
                    self.env._(
                        "The level “%(level)s” gives %(days)s days to pay: the days "
                        "given to pay cannot be negative (0 means no deadline).",
                        level=level.name,
                        days=level.payment_days,
                    )
                )

    @api.constrains("delay", "sequence")
    def _check_policy_order(self):
        self.policy_id._check_levels()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_last_level(self):
        for policy in self.policy_id:
            if policy.active and not (policy.level_ids - self):
                raise UserError(
                    self.env._(
                        "The follow-up policy “%(policy)s” needs at least one level: "
                        "archive the policy instead of deleting its last level.",
                        policy=policy.name,
                    )
                )
