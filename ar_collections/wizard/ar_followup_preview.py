from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL, format_date

from ..engine import next_action_date
from ..models import receivable_scope as scope
from ..models.level_actions import level_actions


class ArFollowupPreview(models.TransientModel):
    """What today's run would do, computed without writing anything."""

    _name = "ar.followup.preview"
    _description = "Follow-up run preview"

    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Date(readonly=True)
    line_ids = fields.One2many("ar.followup.preview.line", "preview_id", readonly=True)
    customer_count = fields.Integer(compute="_compute_totals")
    invoice_count = fields.Integer(compute="_compute_totals")

    @api.depends("date", "company_id")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for preview in self:
            preview.display_name = self.env._(
                "Preview of %(date)s", date=format_date(self.env, preview.date)
            )

    @api.depends("line_ids")
    def _compute_totals(self):
        for preview in self:
            preview.customer_count = len(preview.line_ids.partner_id)
            preview.invoice_count = len(preview.line_ids.move_id)

    @api.model
    def action_open(self, company=None):
        """Build the preview for ``company`` (default: current) and open it."""
        company = company or self.env.company
        preview = self.create(self._prepare_preview_vals(company))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview of today's follow-up"),
            "res_model": self._name,
            "res_id": preview.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.model
    def _prepare_preview_vals(self, company):
        """Every customer with an overdue invoice, and what the run does for it.

        The run itself only looks at customers with an invoice old enough for
        the company's first level; the preview lists the others too, with
        when their first level comes, so no overdue customer goes unexplained.
        """
        Run = self.env["ar.followup.run"].with_company(company)
        today = Run._company_today(company)
        cutoff = Run._company_cutoff(company, today)
        lines = []
        if cutoff is not None:
            self.env.flush_all()
            self.env.cr.execute(
                Run._candidates_sql(
                    company,
                    cutoff,
                    0,
                    SQL("DISTINCT aml.partner_id"),
                )
            )
            partners = self.env["res.partner"].browse(
                row[0] for row in self.env.cr.fetchall()
            )
            decisions = Run._decide(company, today, partners)
            Run._drop_done_decisions(decisions, company, today)
            Run._hold_by_contact_rules(decisions, company)
            for customer in decisions:
                lines += self._prepare_decision_lines(customer, today)
        lines += self._prepare_excluded_lines(company, today)
        return {"company_id": company.id, "date": today, "line_ids": lines}

    @api.model
    def _prepare_decision_lines(self, customer, today):
        moving = {d.invoice_id for d in customer.moving}
        levels = self.env["ar.followup.level"].browse(
            d.level_id for d in customer.moving
        )
        approval = any(levels.mapped("requires_approval"))
        labels = self.env["ar.followup.action"]._action_type_labels()
        actions = ", ".join(
            labels[action_type]
            for action_type, flag in level_actions(self.env)
            if flag and levels.filtered(flag)
        )
        rows = {row.move_id: row for row in customer.invoices}
        fees = self._preview_fees(customer, today)
        lines = []
        for decision in customer.decisions:
            acts = decision.invoice_id in moving
            reason = decision.skip_reason
            if decision.is_action and not acts:
                # Held back by the contact limit, or dropped by the re-check
                # of the history.
                reason = (
                    "contact_limit" if customer.contact_hold_reason else "done_today"
                )
            row = rows[decision.invoice_id]
            lines.append(
                fields.Command.create(
                    {
                        "partner_id": customer.partner.id,
                        "move_id": decision.invoice_id,
                        "days_overdue": decision.days_overdue,
                        "current_level_id": row.level_id,
                        "new_level_id": decision.level_id if acts else False,
                        "actions": actions if acts else False,
                        "contact_note": acts
                        and "\n".join(text for _v, text in customer.contact_notes)
                        or False,
                        "needs_approval": approval and acts,
                        "skip_reason": reason,
                        "date_next": customer.contact_hold_until
                        if reason == "contact_limit"
                        else decision.date_next,
                        "skip_detail": not acts
                        and self._skip_detail(customer, row, decision, reason, today),
                        "fee_amount": sum(
                            amount
                            for amount, _text in fees.get(decision.invoice_id, [])
                        ),
                        "fee_calculation": "\n".join(
                            text for _amount, text in fees.get(decision.invoice_id, [])
                        )
                        or False,
                    }
                )
            )
        return lines

    @api.model
    def _skip_detail(self, customer, row, decision, reason, today):
        """Why nothing happens to this invoice today (``reason``), in words,
        with dates; a paused invoice says what its chase status says."""
        currency = customer.policy.company_id.currency_id
        if reason == "contact_limit":
            return customer.contact_hold_reason
        if reason == "recent_message":
            return self.env._(
                "Last message on %(last)s; the policy waits %(days)s days between "
                "messages: next on %(date)s",
                last=format_date(self.env, customer.partner.ar_date_last_followup),
                days=customer.spec.min_days_between,
                date=format_date(self.env, decision.date_next),
            )
        status = customer.statuses.get(row.move_id)
        if reason in ("suspended", "handed_over") and status and status.reason:
            return status.reason
        if reason == "snoozed":
            return self.env._(
                "Customer snoozed until %(date)s",
                date=format_date(self.env, customer.snoozed_until),
            )
        if reason == "below_minimum":
            return self.env._(
                "%(amount)s overdue, under the policy's minimum of %(minimum)s",
                amount=currency.format(float(customer.amount_overdue)),
                minimum=currency.format(customer.policy.minimum_amount),
            )
        if reason == "no_net_balance":
            return self.env._(
                "Payments and credit notes not yet matched cover the balance"
            )
        spec = customer.spec
        following = spec.index_of(row.level_id) + 1
        if following >= len(spec.levels):
            if reason == "done_today":
                return self.env._("Already followed up today")
            return self.env._("Last level reached")
        level_spec = spec.levels[following]
        level = self.env["ar.followup.level"].browse(level_spec.level_id)
        # The same rule as the run: days overdue and the cadence.
        next_date = format_date(
            self.env,
            next_action_date(
                row.date_due, row.level_id, spec, today, date_level=row.date_level
            ),
        )
        if reason == "done_today":
            return self.env._(
                "Already followed up today; next level on %(date)s: %(level)s",
                date=next_date,
                level=level.name,
            )
        if reason == "grace":
            return self.env._(
                "In grace period until %(date)s",
                date=format_date(
                    self.env, row.date_due + timedelta(days=spec.grace_days - 1)
                ),
            )
        return self.env._(
            "Next level on %(date)s: %(level)s",
            date=next_date,
            level=level.name,
        )

    @api.model
    def _prepare_excluded_lines(self, company, today):
        """Overdue documents excluded from follow-up: listed, with the reason.

        The lines ``receivable_scope`` would chase but for Odoo's "No
        Follow-Up" flag; the words come from ``ar.chase.status``.
        """
        lines = self.env["account.move.line"].search_fetch(
            [
                ("company_id", "=", company.id),
                *scope.EXCLUDED_DOMAIN,
            ],
            ["move_id", "partner_id", "date_maturity", "date"],
        )
        lines = lines.filtered(lambda line: scope.line_due_date(line) < today)
        statuses = self.env["ar.chase.status"]._of(lines.move_id, today)
        commands = []
        for move, move_lines in lines.grouped("move_id").items():
            oldest = min(scope.line_due_date(line) for line in move_lines)
            commands.append(
                fields.Command.create(
                    {
                        "partner_id": move_lines[:1].partner_id.id,
                        "move_id": move.id,
                        "days_overdue": (today - oldest).days,
                        "current_level_id": move.ar_level_id.id,
                        "skip_reason": "excluded",
                        "skip_detail": statuses[move.id].reason,
                    }
                )
            )
        return commands

    @api.model
    def _preview_fees(self, customer, today):
        """{invoice id: [(amount, explanation)]} of the fees due today."""
        moves = self.env["account.move"].browse(
            row.move_id for row in customer.invoices
        )
        levels = {
            d.invoice_id: self.env["ar.followup.level"].browse(d.level_id)
            for d in customer.moving
        }
        result = {}
        Fee = self.env["ar.fee"]
        for charge, rule, move, _level in Fee._due_charges(moves, today, levels):
            result.setdefault(move.id, []).append(
                (float(charge.amount), Fee._explain(charge, rule, move))
            )
        return result

    def action_run_now(self):
        """Run today's follow-up for real."""
        self.ensure_one()
        return (
            self.env["ar.followup.run"].with_company(self.company_id).action_run_now()
        )


class ArFollowupPreviewLine(models.TransientModel):
    _name = "ar.followup.preview.line"
    _description = "Follow-up run preview line"
    _order = "partner_id, days_overdue desc"

    preview_id = fields.Many2one(
        "ar.followup.preview", required=True, ondelete="cascade"
    )
    partner_id = fields.Many2one("res.partner", "Customer")
    move_id = fields.Many2one("account.move", "Invoice")
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary("Amount Due", compute="_compute_amount_residual")
    days_overdue = fields.Integer()
    current_level_id = fields.Many2one("ar.followup.level", "Current level")
    new_level_id = fields.Many2one("ar.followup.level", "New level")
    actions = fields.Char()
    needs_approval = fields.Boolean()
    fee_amount = fields.Monetary("Fee today")
    fee_calculation = fields.Text("Fee calculation")
    skip_reason = fields.Selection(
        [
            ("excluded", "Excluded"),
            ("handed_over", "Handed over"),
            ("suspended", "Suspended"),
            ("not_due", "No level due yet"),
            ("grace", "Within grace days"),
            ("up_to_date", "Level already reached"),
            ("snoozed", "Customer snoozed"),
            ("below_minimum", "Below minimum amount"),
            ("no_net_balance", "No net balance"),
            ("done_today", "Already followed up today"),
            ("cadence", "Too soon after the last level"),
            ("recent_message", "Customer contacted recently"),
            ("contact_limit", "Contact limit reached"),
        ],
        "Why nothing",
    )
    date_next = fields.Date(
        "Next level on",
        help="When the spacing between levels (or between messages to this "
        "customer) lets the next level come.",
    )
    skip_detail = fields.Char(
        "Why nothing happens",
        help="What keeps the run from acting on this invoice today, and until when.",
    )
    contact_note = fields.Char(
        "Contact rules",
        help="What the policy's contact rules change in today's contacts: an "
        "email held until the customer's contact window opens, a call planned "
        "for a later day or not at all.",
    )

    @api.depends("move_id")
    def _compute_amount_residual(self):
        # An opening balance entry's amount due is on its lines, not Odoo's field.
        for line in self:
            line.amount_residual = line.move_id._ar_amount_open() if line.move_id else 0
