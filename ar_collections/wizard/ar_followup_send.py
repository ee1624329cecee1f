from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from ..engine import InvoiceState, decide_invoice
from ..models import receivable_scope as scope
from ..models.level_actions import flagged_action_types


class ArFollowupSend(models.TransientModel):
    """Send a reminder now, outside the daily run, with a preview."""

    _name = "ar.followup.send"
    _inherit = "ar.customer.wizard.mixin"
    _description = "Send a follow-up reminder now"

    contact_id = fields.Many2one(
        "res.partner",
        "Send to",
        compute="_compute_contact_id",
        store=True,
        readonly=False,
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
    paused_move_ids = fields.Many2many(
        "account.move",
        "ar_followup_send_paused_move_rel",
        string="Left out",
        compute="_compute_paused_move_ids",
        help="Invoices under an open promise to pay, a payment plan in good "
        "standing, a dispute or a non-payment reason that suspends chasing.",
    )
    paused_warning = fields.Text(compute="_compute_paused_move_ids")
    preview_subject = fields.Char(compute="_compute_preview", readonly=True)
    preview_body = fields.Html(
        compute="_compute_preview", readonly=True, sanitize=False
    )

    @api.model
    def _ar_customer_from_context(self, company):
        """The selected invoices of one customer, else the customer's overdue
        invoices that are not suspended."""
        partner, moves = super()._ar_customer_from_context(company)
        if self.env.context.get("active_model") == "account.move":
            if moves and len(moves.commercial_partner_id) != 1:
                raise UserError(
                    self.env._(
                        "Select invoices of a single customer to send a reminder "
                        "(the selection has %(count)s customers).",
                        count=len(moves.commercial_partner_id),
                    )
                )
        elif moves:
            today = self.env["ar.followup.run"]._company_today(company)
            paused = self.env["ar.chase.status"]._paused_ids(moves, today)
            moves -= moves.browse(paused)
        return partner, moves

    @api.depends("partner_id")
    def _compute_contact_id(self):
        for wizard in self:
            wizard.contact_id = (
                wizard.partner_id and wizard.partner_id._ar_get_contact()
            )

    @api.depends("move_ids", "partner_id")
    def _compute_level_id(self):
        """The highest of the levels the invoices are due for by the cadence."""
        for wizard in self:
            proposed = wizard._proposed_levels()
            wizard.level_id = max(
                proposed.values(),
                key=lambda lv: (lv.sequence, lv.id),
                default=self.env["ar.followup.level"],
            )

    def _proposed_levels(self):
        """{invoice: level} each invoice would get if sent now.

        The level the daily run would bring it to today (one step, the
        cadence, the policy's skip option), else the level it already has (a
        reminder of the same level), else the policy's first level.
        """
        self.ensure_one()
        policy = self.partner_id and self.partner_id._ar_get_policy(self.company_id)
        if not policy:
            return {}
        spec = policy._to_spec()
        levels = {level.id: level for level in policy._get_levels()}
        today = self.env["ar.followup.run"]._company_today(self.company_id)
        proposed = {}
        for move in self.move_ids:
            current = move.ar_level_id._origin
            state = InvoiceState(
                move._origin.id,
                move.ar_date_due or move.invoice_date_due or today,
                current.id or None,
                date_level=move.ar_date_last_action or None,
            )
            decision = decide_invoice(state, spec, today)
            level_id = decision.level_id or current.id or spec.levels[0].level_id
            proposed[move] = levels.get(level_id, current)
        return proposed

    @api.depends("move_ids", "partner_id", "company_id")
    def _compute_paused_move_ids(self):
        for wizard in self:
            company = wizard.company_id or self.env.company
            moves = wizard.move_ids._origin
            if wizard.partner_id:
                moves |= wizard.partner_id._ar_overdue_moves(company)
            today = self.env["ar.followup.run"]._company_today(company)
            reasons = {
                move_id: status.reason
                for move_id, status in self.env["ar.chase.status"]
                ._of(moves, today)
                .items()
                if status.paused
            }
            paused = moves.browse(reasons)
            wizard.paused_move_ids = paused
            wizard.paused_warning = paused and self.env._(
                "Not chased now: %(invoices)s. A reminder would contradict what "
                "was agreed with the customer; send the statement of account "
                "instead if they need the figures.",
                invoices="; ".join(
                    f"{move.name} ({reasons[move.id]})" for move in paused
                ),
            )

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
            wizard.preview_subject, wizard.preview_body = wizard._render_preview()

    def _render_preview(self):
        """Subject and body the email would have, rendered on a throwaway action."""
        template = self.mail_template_id.with_context(
            lang=self.contact_id.lang or self.partner_id.commercial_partner_id.lang
        )

        def render(action):
            subject = template._render_field("subject", action.ids)[action.id]
            body = template._render_field("body_html", action.ids)[action.id]
            return subject, body

        return self._render_on_throwaway_action("email", render)

    def _render_on_throwaway_action(self, action_type, render):
        """``render(action)`` on the action sending now would record, then
        forgotten: what a message would say, without recording anything.

        The savepoint is always rolled back. It must not clear the whole
        cache (a flushing savepoint does): that would wipe what the user is
        typing in this dialog. Only the throwaway records are forgotten.
        """
        with self.env.cr.savepoint(flush=False) as savepoint:
            action = self.env["ar.followup.action"]._record_many(
                [self._history_entry(action_type)]
            )
            result = render(action)
            self.env["ar.followup.action.line"].flush_model()
            self.env["ar.followup.action"].flush_model()
            savepoint.rollback()
        self.env["ar.followup.action.line"].invalidate_model()
        self.env["ar.followup.action"].invalidate_model()
        self.env["account.move"].invalidate_model(["ar_action_line_ids"])
        return result

    def _line_levels(self):
        """{invoice: (level, raised)}: the level each invoice is brought to.

        The level it is due for (:meth:`_proposed_levels`: one step at a
        time, at the cadence), capped by the level chosen for the message: an
        invoice that only had the friendly reminder is never sent straight to
        the final notice, and one reminded last week does not climb again.
        """
        self.ensure_one()
        levels = self.level_id.policy_id._get_levels()
        position = {level.id: index for index, level in enumerate(levels)}
        chosen = position.get(self.level_id._origin.id, -1)
        proposed = self._proposed_levels()
        result = {}
        for move in self.move_ids:
            current = position.get(move.ar_level_id._origin.id, -1)
            due_for = proposed.get(move, move.ar_level_id._origin)
            target = min(chosen, position.get(due_for.id, -1))
            if target > current:
                result[move] = (levels[target], True)
            else:
                result[move] = (move.ar_level_id._origin, False)
        return result

    def _history_entry(self, action_type):
        """The history entry of ``action_type`` this reminder makes: the
        arguments of ``ar.followup.action._record``."""
        self.ensure_one()
        Action = self.env["ar.followup.action"]
        return {
            "action_type": action_type,
            "partner": self.partner_id,
            "company": self.company_id,
            "contact_id": self.contact_id._origin.id,
            "state": "done",
            "level_id": self.level_id._origin.id,
            "mail_template_id": self.mail_template_id._origin.id,
            "amount_due": sum(self.move_ids.mapped("ar_amount_overdue")),
            "line_ids": [
                Command.create(
                    Action._line_vals(
                        move,
                        level_id=level.id,
                        is_trigger=raises,
                        date_due=move.ar_date_due or move.invoice_date_due,
                    )
                )
                for move, (level, raises) in self._line_levels().items()
            ],
        }

    def _check_sendable(self):
        self.ensure_one()
        if not self.move_ids:
            raise UserError(self.env._("Choose at least one invoice to remind."))
        if not flagged_action_types(self):
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
        paused = self.move_ids & self.paused_move_ids
        if paused:
            raise UserError(
                self.env._(
                    "%(invoices)s: chasing is suspended (open promise to pay, "
                    "payment plan, dispute or a reason that suspends chasing). "
                    "Remove them from the reminder, or send the statement of "
                    "account from the customer's Collections tab.",
                    invoices=", ".join(paused.mapped("name")),
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
        actions = (
            self.env["ar.followup.action"]
            .with_company(self.company_id)
            ._record_many(
                [
                    self._history_entry(action_type)
                    for action_type in flagged_action_types(self)
                ]
            )
        )
        actions._execute()
        # Writing the partner row makes a concurrent run that read it before
        # this commit fail to lock it, instead of sending a second reminder.
        partner.sudo().ar_date_last_followup = scope.company_today(
            self.env, self.company_id
        )
        failed = actions.filtered(lambda a: a.state == "failed")
        if failed:
            raise UserError(failed[0].error)
        return {"type": "ir.actions.act_window_close"}

    def action_send_statement(self):
        """The neutral message: the statement of account, with no demand."""
        self.ensure_one()
        return self.partner_id.commercial_partner_id.with_company(
            self.company_id
        ).action_ar_send_statement()
