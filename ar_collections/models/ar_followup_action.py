from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command

from .ar_followup_action_line import history_line_vals

ACTION_TYPES = [
    ("email", "Email"),
    ("letter", "Letter"),
    ("call", "Call planned"),
    ("call_log", "Call logged"),
    ("hold", "Credit hold set"),
    ("hold_lifted", "Credit hold lifted"),
    ("terms", "Payment terms switched"),
    ("terms_restored", "Payment terms restored"),
    ("handover", "Hand-over"),
    ("exclusion", "Excluded from follow-up"),
    ("snooze", "Snoozed"),
    ("fee", "Late fee charged"),
    ("fee_waived", "Late fee waived"),
    ("promise", "Promise to pay"),
    ("promise_kept", "Promise kept"),
    ("promise_broken", "Promise not kept"),
    ("plan", "Payment plan accepted"),
    ("plan_completed", "Payment plan completed"),
    ("plan_broken", "Payment plan broken"),
    ("dispute", "Dispute opened"),
    ("dispute_accepted", "Dispute accepted"),
    ("dispute_rejected", "Dispute rejected"),
    ("note", "Note"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No answer"),
    ("promised", "Promised to pay"),
    ("disputed", "Disputed"),
]


class ArFollowupAction(models.Model):
    """One entry of the contact history: what was done, to whom, about what.

    The daily run creates at most one action of each type per customer and
    day (a unique index, not only code), and each invoice reaches each level
    once (unique index on the lines), so a crash or a second worker can never
    send or charge twice.
    """

    _name = "ar.followup.action"
    _description = "Follow-up action"
    _order = "date desc, id desc"
    _check_company_auto = True

    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="restrict"
    )
    contact_id = fields.Many2one("res.partner", ondelete="set null")
    date = fields.Date(
        required=True, index=True, default=fields.Date.context_today, readonly=True
    )
    user_id = fields.Many2one(
        "res.users", "Done by", default=lambda self: self.env.user, readonly=True
    )
    action_type = fields.Selection(ACTION_TYPES, "Action", required=True, index=True)
    origin = fields.Selection(
        [("run", "Daily run"), ("manual", "Manual")],
        required=True,
        default="manual",
        readonly=True,
    )
    state = fields.Selection(
        [
            ("proposed", "To approve"),
            ("done", "Done"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        required=True,
        default="done",
        index=True,
    )
    level_id = fields.Many2one("ar.followup.level", ondelete="restrict")
    tone = fields.Selection(related="level_id.tone")
    recipient_lang = fields.Char(
        compute="_compute_recipient_lang",
        help="Language of the message: the contact's, else the customer's "
        "(a contact person without a language of its own reads its company's).",
    )
    date_payment_deadline = fields.Date(
        "Pay by",
        compute="_compute_date_payment_deadline",
        help="The deadline the message gives the customer: its date plus the "
        "level's days given to pay. The next level never comes before it.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        "Email template",
        help="Template used instead of the level's (manual sends).",
        ondelete="set null",
    )
    run_id = fields.Many2one(
        "ar.followup.run", index="btree_not_null", ondelete="set null"
    )
    line_ids = fields.One2many("ar.followup.action.line", "action_id", "Invoices")
    move_ids = fields.Many2many(
        "account.move", string="Invoices list", compute="_compute_move_ids"
    )
    amount_due = fields.Monetary(
        "Amount overdue then", help="The customer's overdue total at that moment."
    )
    outcome = fields.Selection(CALL_OUTCOMES)
    note = fields.Text()
    error = fields.Text(readonly=True)
    mail_message_id = fields.Many2one("mail.message", "Email", ondelete="set null")
    activity_id = fields.Many2one("mail.activity", ondelete="set null")
    attachment_id = fields.Many2one("ir.attachment", "Document", ondelete="set null")
    fee_ids = fields.One2many("ar.fee", "action_id", "Late fees")
    promise_id = fields.Many2one(
        "ar.promise",
        "Promise to pay",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    promise_amount = fields.Monetary(
        "Promised amount",
        related="promise_id.amount_promised",
        currency_field="promise_currency_id",
    )
    promise_currency_id = fields.Many2one(
        "res.currency", "Promise currency", related="promise_id.currency_id"
    )
    promise_date = fields.Date("Promised date", related="promise_id.date_promised")
    promise_state = fields.Selection(
        string="Promise status", related="promise_id.state"
    )
    dispute_id = fields.Many2one(
        "ar.dispute",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
    )
    dispute_amount = fields.Monetary(
        "Amount in dispute",
        related="dispute_id.amount_disputed",
        currency_field="dispute_currency_id",
    )
    dispute_currency_id = fields.Many2one(
        "res.currency", "Dispute currency", related="dispute_id.currency_id"
    )
    dispute_reason_id = fields.Many2one(
        "ar.nonpayment.reason", "Dispute reason", related="dispute_id.reason_id"
    )
    dispute_state = fields.Selection(
        string="Dispute status", related="dispute_id.state"
    )
    amount_fee = fields.Monetary(
        "Fees charged",
        compute="_compute_amount_fee",
        help="Late fees and interest this entry charged, in company currency.",
    )
    letter_state = fields.Selection(
        [("to_print", "To print"), ("printed", "Printed")], index="btree_not_null"
    )
    date_printed = fields.Date("Printed on", readonly=True)
    email_pending = fields.Boolean(
        "Email waiting",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The daily run recorded this email; the scheduled action "
        "“Collections: send follow-up emails” writes and queues it shortly after.",
    )

    _run_action_once_a_day = models.UniqueIndex(
        "(partner_id, company_id, action_type, date) "
        "WHERE origin = 'run' AND state != 'cancelled'",
        "The daily run already did this action for this customer today.",
    )

    @api.depends("contact_id.lang", "partner_id.lang")
    def _compute_recipient_lang(self):
        for action in self:
            action.recipient_lang = (
                action.contact_id.lang
                or action.partner_id.commercial_partner_id.lang
                or action.company_id.partner_id.lang
                or False
            )

    @api.depends("date", "level_id.payment_days")
    def _compute_date_payment_deadline(self):
        for action in self:
            days = action.level_id.payment_days
            action.date_payment_deadline = (
                action.date + timedelta(days=days) if days and action.date else False
            )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for action in self:
            action.move_ids = action.line_ids.move_id

    @api.depends("fee_ids.amount", "fee_ids.currency_id", "fee_ids.date")
    def _compute_amount_fee(self):
        for action in self:
            action.amount_fee = sum(
                fee.currency_id._convert(
                    fee.amount, action.currency_id, action.company_id, fee.date
                )
                for fee in action.fee_ids
            )

    @api.model
    def _action_type_labels(self):
        """Translated label of each action type."""
        return dict(self._fields["action_type"]._description_selection(self.env))

    @api.depends("action_type", "partner_id", "level_id")
    def _compute_display_name(self):
        types = self._action_type_labels()
        for action in self:
            parts = [types.get(action.action_type, ""), action.partner_id.name or ""]
            if action.level_id:
                parts.insert(1, action.level_id.name)
            action.display_name = " · ".join(p for p in parts if p)

    # ------------------------------------------------------------------
    # Buttons
    # ------------------------------------------------------------------

    def action_approve(self):
        """Carry out proposed actions (review mode levels)."""
        self._check_manager_or_collector()
        proposed = self.filtered(lambda a: a.state == "proposed")
        if not proposed:
            raise UserError(self.env._("Select actions that are waiting for approval."))
        locked = proposed.try_lock_for_update()
        if locked != proposed:
            raise UserError(
                self.env._(
                    "Some of these actions are being processed by someone else: "
                    "try again in a moment."
                )
            )
        # Re-check after the lock: another user may have approved meanwhile.
        locked.invalidate_recordset(["state"])
        locked = locked.filtered(lambda a: a.state == "proposed")
        for company, actions in locked.grouped("company_id").items():
            actions.with_company(company)._execute()
        return True

    def action_cancel(self):
        """Drop proposed actions: the next run may propose them again."""
        for action in self:
            if action.state != "proposed":
                raise UserError(
                    self.env._(
                        "Only actions waiting for approval can be cancelled; "
                        "“%(action)s” is %(state)s.",
                        action=action.display_name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[action.state],
                    )
                )
        self.state = "cancelled"
        return True

    def action_print_letters(self):
        """Print the selected letters in one PDF and mark them printed."""
        letters = self.filtered(
            lambda a: a.action_type == "letter" and a.state == "done"
        )
        if not letters:
            raise UserError(self.env._("Select letters to print."))
        letters.write(
            {"letter_state": "printed", "date_printed": fields.Date.context_today(self)}
        )
        report = self.env.ref("ar_collections.action_report_followup_letter")
        # Render now: the report keeps one PDF per letter (attachment_use), which
        # the history links to and the download below reuses.
        self.env["ir.actions.report"]._render_qweb_pdf(report, letters.ids)
        attachments = self.env["ir.attachment"].search(
            [("res_model", "=", self._name), ("res_id", "in", letters.ids)],
            order="id desc",
        )
        for letter in letters.filtered(lambda a: not a.attachment_id):
            letter.attachment_id = attachments.filtered(
                lambda att, letter=letter: att.res_id == letter.id
            )[:1]
        return report.report_action(letters)

    def action_open_partner(self):
        self.ensure_one()
        return self.partner_id._get_records_action()

    def _check_manager_or_collector(self):
        if not self.env.user.has_group("ar_collections.ar_collections_group_user"):
            raise UserError(self.env._("Only collections users can approve actions."))

    # ------------------------------------------------------------------
    # Execution
    # ------------------------------------------------------------------

    def _execute(self, apply_levels=True):
        """Carry out actions in one company (current company context).

        ``apply_levels=False``: the caller (the daily run) moves the invoices
        to their levels itself, with their next dates, in one statement.
        """
        for action_type, actions in self.grouped("action_type").items():
            executor = getattr(actions, f"_execute_{action_type}", None)
            if executor:
                executor()
        self.filtered(lambda a: a.state == "proposed").state = "done"
        if apply_levels:
            self._apply_levels()

    def _apply_levels(self):
        """Move the triggering invoices to their new level, one write per level."""
        # A failed email still counts as the level reached: the failure is in
        # the history and the run's errors, and resending is a manual action.
        lines = self.filtered(
            lambda a: a.state in ("done", "failed")
        ).line_ids.filtered("is_trigger")
        today = fields.Date.context_today(self)
        # Only our own fields change (none tracked): skip the invoice's line
        # re-synchronisation, balance check and tracking, and do not flag the
        # invoice as edited by hand.
        moves = self.env["account.move"].with_context(
            skip_invoice_sync=True,
            check_move_validity=False,
            skip_is_manually_modified=True,
            tracking_disable=True,
        )
        lines.move_id.fetch(["ar_level_id"])
        for level, level_lines in lines.grouped("level_id").items():
            moves.browse(level_lines.move_id.ids).filtered(
                lambda m, level=level: m.ar_level_id != level
            ).write(
                {
                    "ar_level_id": level.id,
                    "ar_date_last_action": today,
                    "ar_escalate": False,
                }
            )

    def _execute_fee(self):
        """Charge the fees due today on the action's invoices, once."""
        for action in self:
            today = self.env["ar.followup.run"]._company_today(action.company_id)
            levels = {
                line.move_id.id: line.level_id
                for line in action.line_ids
                if line.is_trigger and line.level_id.fee_rule_ids
            }
            charges = self.env["ar.fee"]._due_charges(
                action.line_ids.move_id, today, levels
            )
            fees = self.env["ar.fee"]._charge(charges, today, action)
            if not fees:
                action.note = self.env._("Nothing left to charge.")

    def _execute_letter(self):
        self.filtered(lambda a: not a.letter_state).letter_state = "to_print"
        for action in self.filtered(lambda a: not a.contact_id):
            action.contact_id = action.partner_id._ar_get_contact()

    def _execute_call(self):
        activity_type = self.env.ref(
            "ar_collections.mail_activity_type_collection_call"
        )
        # A call the contact rules cancelled (the customer opted out) is not
        # planned; one they put later is due on the day they allow.
        for action in self.filtered(lambda a: a.state != "cancelled"):
            partner = action.partner_id.with_company(action.company_id)
            user = partner.ar_collector_id or partner.user_id or self.env.user
            # Collectors plan calls without needing the right to edit partners.
            activity = partner.sudo().activity_schedule(
                activity_type_id=activity_type.id,
                date_deadline=action._ar_call_date(),
                summary=self.env._(
                    "%(level)s: call about %(count)s overdue invoice(s)",
                    level=action.level_id.name or "",
                    count=len(action.line_ids),
                ),
                user_id=user.id,
            )
            action.activity_id = activity

    def _execute_terms(self):
        """Switch the customer to the level's (prepayment) payment terms."""
        for action in self:
            partner = action.partner_id.with_company(action.company_id)
            level = action.level_id
            try:
                action.note = partner._ar_switch_payment_terms(
                    level.payment_term_id,
                    self.env._("level “%(level)s”", level=level.name),
                    level._payment_terms_setting(),
                )
            except UserError as error:
                action.write({"state": "failed", "error": str(error)})

    def _execute_hold(self):
        self.partner_id.with_company(self.env.company).sudo().ar_credit_hold = True

    def _execute_handover(self):
        moves = self.line_ids.filtered("is_trigger").move_id
        moves.write(
            {
                "ar_handover_state": "handed_over",
                "ar_date_handover": fields.Date.context_today(self),
            }
        )

    # ------------------------------------------------------------------
    # Recording: the one writer of history entries (the daily run inserts
    # its own in bulk, run_history_sql.py)
    # ------------------------------------------------------------------

    @api.model
    def _record(self, action_type, partner, **values):
        """Record one entry of ``partner``'s history; the new entry.

        Takes the arguments of :meth:`_prepare_entry_vals`.
        """
        return self._record_many(
            [dict(values, action_type=action_type, partner=partner)]
        )

    @api.model
    def _record_many(self, entries):
        """Record several entries in one create; the new entries, in order.

        ``entries``: dicts of :meth:`_prepare_entry_vals`'s arguments.
        """
        return self.create([self._prepare_entry_vals(**entry) for entry in entries])

    @api.model
    def _prepare_entry_vals(
        self, action_type, partner, company=None, moves=None, note=None, **values
    ):
        """Values of a history entry about ``partner`` (its commercial entity).

        Filled in: the company (``company``, else the invoices', else the
        current one), the user, the company's today, origin manual, and a line
        per invoice of ``moves`` as it stands now (level, amount due, days
        overdue, due date). ``values``: any other field (``amount_due``,
        ``origin``, ``line_ids`` to record other lines than ``moves``', ...).
        """
        moves = moves or self.env["account.move"]
        company = (company or moves.company_id[:1] or self.env.company)._origin
        vals = {
            "company_id": company.id,
            "partner_id": partner.commercial_partner_id._origin.id,
            "action_type": action_type,
            "origin": "manual",
            "user_id": self.env.uid,
            "date": self.env["ar.followup.run"]._company_today(company),
            "line_ids": self._line_commands(moves),
        }
        if note is not None:
            vals["note"] = note
        vals.update(values)
        return vals

    @api.model
    def _line_commands(self, moves):
        """History lines recording ``moves`` as they are now."""
        return [Command.create(self._line_vals(move)) for move in moves]

    @api.model
    def _line_vals(self, move, **values):
        """A history line recording ``move`` as it is now; ``values`` override."""
        return dict(
            history_line_vals(
                move._origin.id,
                move.ar_level_id._origin.id,
                move._ar_amount_open(),
                move.ar_days_overdue,
                move.ar_date_due,
            ),
            **values,
        )
