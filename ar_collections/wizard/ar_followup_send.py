from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command


class ArFollowupSend(models.TransientModel):
    """Send a reminder now, outside the daily run, with a preview."""

    _name = "ar.followup.send"
    _description = "Send a follow-up reminder now"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one("res.partner", "Customer", required=True)
    contact_id = fields.Many2one(
        "res.partner",
        "Send to",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        store=True,
        readonly=False,
        domain="[('commercial_partner_id', '=', partner_id), ('move_type', '=', "
        "'out_invoice'), ('state', '=', 'posted'), ('payment_state', 'in', "
        "('not_paid', 'partial')), ('company_id', '=', company_id)]",
    )
    level_id = fields.Many2one(
        "ar.followup.level",
        compute="_compute_level_id",
        store=True,
        readonly=False,
        domain="[('company_id', '=', company_id)]",
    )
    send_email = fields.Boolean(default=True)
    mail_template_id = fields.Many2one(
        "mail.template",
        "Email template",
        compute="_compute_mail_template_id",
        store=True,
        readonly=False,
        domain=[("model", "=", "ar.followup.action")],
    )
    print_letter = fields.Boolean("Queue a letter")
    preview_subject = fields.Char(compute="_compute_preview", readonly=True)
    preview_body = fields.Html(
        compute="_compute_preview", readonly=True, sanitize=False
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") == "account.move" and context.get("active_ids"):
            moves = self.env["account.move"].browse(context["active_ids"])
            partners = moves.commercial_partner_id
            if len(partners) != 1:
                raise UserError(
                    self.env._(
                        "Select invoices of a single customer to send a reminder "
                        "(the selection has %(count)s customers).",
                        count=len(partners),
                    )
                )
            values.update(partner_id=partners.id, company_id=moves.company_id[:1].id)
            values["move_ids"] = [Command.set(moves.ids)]
        elif context.get("active_model") in ("res.partner", "ar.followup.customer"):
            record = self.env[context["active_model"]].browse(context.get("active_id"))
            partner = record if record._name == "res.partner" else record.partner_id
            values["partner_id"] = partner.commercial_partner_id.id
        return values

    @api.depends("partner_id")
    def _compute_contact_id(self):
        for wizard in self:
            wizard.contact_id = (
                wizard.partner_id and wizard.partner_id._ar_get_contact()
            )

    @api.depends("partner_id", "company_id")
    def _compute_move_ids(self):
        for wizard in self:
            if wizard.move_ids or not wizard.partner_id:
                continue
            wizard.move_ids = self.env["account.move"].search(
                [
                    ("commercial_partner_id", "=", wizard.partner_id.id),
                    ("company_id", "=", wizard.company_id.id),
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ("not_paid", "partial")),
                    ("ar_days_overdue", ">", 0),
                ]
            )

    @api.depends("move_ids", "partner_id")
    def _compute_level_id(self):
        for wizard in self:
            policy = wizard.partner_id and wizard.partner_id._ar_get_policy(
                wizard.company_id
            )
            if not policy:
                wizard.level_id = False
                continue
            levels = policy._get_levels()
            reached = wizard.move_ids.ar_level_id & levels
            highest = max(reached, key=lambda lv: (lv.sequence, lv.id), default=None)
            if highest is None:
                wizard.level_id = levels[:1]
            else:
                index = list(levels).index(highest)
                wizard.level_id = levels[min(index + 1, len(levels) - 1)]

    @api.depends("level_id")
    def _compute_mail_template_id(self):
        for wizard in self:
            wizard.mail_template_id = wizard.level_id.mail_template_id

    @api.depends("mail_template_id", "move_ids", "contact_id", "level_id")
    def _compute_preview(self):
        for wizard in self:
            wizard.preview_subject = wizard.preview_body = False
            if not (wizard.mail_template_id and wizard.partner_id and wizard.move_ids):
                continue
            # Render on a throwaway action: the savepoint is always rolled back.
            with self.env.cr.savepoint() as savepoint:
                action = self.env["ar.followup.action"].create(
                    wizard._prepare_action_vals("email")
                )
                template = wizard.mail_template_id.with_context(
                    lang=(wizard.contact_id or wizard.partner_id).lang
                )
                subject = template._render_field("subject", action.ids)[action.id]
                body = template._render_field("body_html", action.ids)[action.id]
                savepoint.rollback()
            wizard.preview_subject = subject
            wizard.preview_body = body

    def _prepare_action_vals(self, action_type):
        self.ensure_one()
        levels = self.level_id.policy_id._get_levels()
        position = {level.id: index for index, level in enumerate(levels)}
        new_index = position.get(self.level_id.id, -1)
        today = fields.Date.context_today(self)
        lines = []
        for move in self.move_ids:
            raises = position.get(move.ar_level_id.id, -1) < new_index
            lines.append(
                Command.create(
                    {
                        "move_id": move.id,
                        "level_id": self.level_id.id if raises else move.ar_level_id.id,
                        "is_trigger": raises,
                        "amount_residual": move.amount_residual,
                        "days_overdue": move.ar_days_overdue,
                        "date_due": move.ar_date_due or move.invoice_date_due,
                    }
                )
            )
        return {
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "contact_id": self.contact_id.id,
            "action_type": action_type,
            "origin": "manual",
            "state": "done",
            "date": today,
            "level_id": self.level_id.id,
            "mail_template_id": self.mail_template_id.id,
            "amount_due": sum(self.move_ids.mapped("ar_amount_overdue")),
            "line_ids": lines,
        }

    def _check_sendable(self):
        self.ensure_one()
        if not self.move_ids:
            raise UserError(self.env._("Choose at least one invoice to remind."))
        if not (self.send_email or self.print_letter):
            raise UserError(self.env._("Tick “Send an email” or “Queue a letter”."))
        if self.send_email and not self.mail_template_id:
            raise UserError(self.env._("Choose an email template or untick the email."))
        if self.send_email and not self.contact_id.email:
            raise UserError(
                self.env._(
                    "%(contact)s has no email address: add one, choose another "
                    "contact, or queue a letter instead.",
                    contact=self.contact_id.display_name
                    or self.partner_id.display_name,
                )
            )
        others = (
            self.move_ids.commercial_partner_id - self.partner_id.commercial_partner_id
        )
        if others:
            raise UserError(
                self.env._(
                    "All invoices must belong to %(partner)s.",
                    partner=self.partner_id.display_name,
                )
            )

    def action_send(self):
        """Create the history entries and send/queue now."""
        self.ensure_one()
        self._check_sendable()
        partner = self.partner_id.commercial_partner_id.with_company(self.company_id)
        if not partner.try_lock_for_update(allow_referencing=True):
            raise UserError(
                self.env._(
                    "%(partner)s is being followed up right now (daily run or another "
                    "user): try again in a minute.",
                    partner=partner.display_name,
                )
            )
        vals_list = []
        if self.send_email:
            vals_list.append(self._prepare_action_vals("email"))
        if self.print_letter:
            vals_list.append(self._prepare_action_vals("letter"))
        actions = self.env["ar.followup.action"].with_company(self.company_id)
        actions = actions.create(vals_list)
        actions._execute()
        # Writing the partner row makes a concurrent run that read it before
        # this commit fail to lock it, instead of sending a second reminder.
        partner.sudo().ar_date_last_followup = fields.Date.context_today(self)
        failed = actions.filtered(lambda a: a.state == "failed")
        if failed:
            raise UserError(failed[0].error)
        return {"type": "ir.actions.act_window_close"}
