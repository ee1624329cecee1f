from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Command
from odoo.tools import SQL, format_date


class AccountMove(models.Model):
    """Follow-up state of customer invoices."""

    _inherit = "account.move"

    ar_level_id = fields.Many2one(
        "ar.followup.level",
        "Follow-up level",
        copy=False,
        index="btree_not_null",
        readonly=True,
        help="The last level this invoice was brought to.",
    )
    ar_date_last_action = fields.Date("Last follow-up", copy=False, readonly=True)
    ar_date_next_action = fields.Date(
        "Next follow-up",
        copy=False,
        readonly=True,
        help="When the next level is due, as of the last daily run. Empty while "
        "the follow-up is paused.",
    )
    ar_followup_paused = fields.Boolean(
        "Follow-up paused",
        copy=False,
        readonly=True,
        help="Set by the daily run while nothing is sent for this invoice: it is "
        "disputed, under a promise to pay or a payment plan, has a non-payment "
        "reason that suspends chasing, is excluded or was handed over.",
    )
    ar_date_due = fields.Date(
        "Oldest unpaid due date",
        compute="_compute_ar_date_due",
        store=True,
        help="Due date of the oldest installment not fully paid. Invoices with "
        "installment terms are chased for the installments that are late.",
    )
    ar_days_overdue = fields.Integer(
        "Days overdue",
        compute="_compute_ar_days_overdue",
        store=True,
        aggregator="max",
        help="Days since the oldest unpaid installment fell due, refreshed by the "
        "daily run. Negative: days until it falls due.",
    )
    ar_amount_overdue = fields.Monetary(
        "Amount overdue",
        compute="_compute_ar_amount_overdue",
        currency_field="currency_id",
        help="Unpaid amount of the installments already due.",
    )
    ar_exclusion_reason = fields.Char("Exclusion reason", copy=False, tracking=True)
    ar_excluded_by_id = fields.Many2one("res.users", "Excluded by", copy=False)
    ar_date_excluded = fields.Date("Excluded on", copy=False)
    ar_handover_state = fields.Selection(
        [("handed_over", "Handed over")],
        "Hand-over",
        copy=False,
        tracking=True,
        help="Invoices handed over to a collection agency or legal are no longer "
        "chased automatically.",
    )
    ar_date_handover = fields.Date("Handed over on", copy=False)
    ar_escalate = fields.Boolean(
        "Escalate at next run",
        copy=False,
        readonly=True,
        help="A promise to pay or a payment plan covering this invoice was "
        "broken: the next run brings it one level up.",
    )
    ar_plan_id = fields.Many2one(
        "ar.payment.plan", "Payment plan", compute="_compute_ar_commitments"
    )
    ar_promise_id = fields.Many2one(
        "ar.promise", "Promise to pay", compute="_compute_ar_commitments"
    )
    ar_action_line_ids = fields.One2many(
        "ar.followup.action.line", "move_id", "Follow-up history"
    )

    @api.depends(
        "move_type",
        "state",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.reconciled",
    )
    def _compute_ar_date_due(self):
        for move in self:
            dates = [
                line.date_maturity
                for line in move._ar_open_receivable_lines()
                if line.date_maturity
            ]
            move.ar_date_due = min(dates) if dates else False

    @api.depends("ar_date_due")
    def _compute_ar_days_overdue(self):
        for move in self:
            if move.ar_date_due:
                today = fields.Date.context_today(move)
                move.ar_days_overdue = (today - move.ar_date_due).days
            else:
                move.ar_days_overdue = 0

    @api.depends("line_ids.amount_residual_currency", "line_ids.date_maturity")
    def _compute_ar_amount_overdue(self):
        for move in self:
            today = fields.Date.context_today(move)
            move.ar_amount_overdue = sum(
                line.amount_residual_currency
                for line in move._ar_open_receivable_lines()
                if line.date_maturity and line.date_maturity < today
            )

    def _ar_open_receivable_lines(self):
        """Unpaid receivable lines of a posted customer invoice."""
        self.ensure_one()
        if self.state != "posted" or self.move_type != "out_invoice":
            return self.env["account.move.line"]
        return self.line_ids.filtered(
            lambda line: (
                line.account_type == "asset_receivable"
                and not line.reconciled
                and line.company_currency_id.compare_amounts(line.amount_residual, 0)
                > 0
            )
        )

    @api.model
    def _ar_refresh_days_overdue(self, company, today):
        """Set days overdue of the company's open invoices as of ``today``.

        One statement: the stored figure is what lists sort and group on.
        """
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move
                   SET ar_days_overdue = %(today)s - ar_date_due
                 WHERE company_id = %(company)s
                   AND ar_date_due IS NOT NULL
                   AND ar_days_overdue IS DISTINCT FROM %(today)s - ar_date_due
                """,
                today=today,
                company=company.id,
            )
        )
        self.invalidate_model(["ar_days_overdue"])

    def _compute_ar_commitments(self):
        plans = self.env["ar.payment.plan"].search(
            [("state", "in", ("draft", "active")), ("move_ids", "in", self.ids)]
        )
        promises = self.env["ar.promise"].search(
            [("state", "=", "open"), ("move_ids", "in", self.ids)]
        )
        for move in self:
            move.ar_plan_id = plans.filtered(lambda p, m=move: m in p.move_ids)[:1]
            move.ar_promise_id = promises.filtered(lambda p, m=move: m in p.move_ids)[
                :1
            ]

    def _ar_get_suspended_ids(self, today):
        """Ids among these invoices whose chasing is suspended today.

        Each source of suspension adds its own line.
        """
        suspended = set()
        suspended |= self._ar_suspended_by_commitments(today)
        suspended |= self._ar_suspended_by_disputes_and_reasons(today)
        return suspended

    def _ar_refresh_pause(self):
        """Show a suspension at once, not at the next run: the invoices a
        promise, plan or dispute now suspends lose their next follow-up date."""
        if not self:
            return
        today = self.env["ar.followup.run"]._company_today(self.company_id[:1])
        paused = self.browse(self._ar_get_suspended_ids(today))
        paused.sudo().write({"ar_followup_paused": True, "ar_date_next_action": False})

    def _ar_escalate_at_next_run(self, today):
        """A broken promise or plan: the next run brings these invoices one
        level up, whatever the spacing; the screens say so."""
        self.sudo().write(
            {
                "ar_escalate": True,
                "ar_followup_paused": False,
                "ar_date_next_action": today,
            }
        )

    def _ar_get_suspension_reasons(self, today):
        """{invoice id: why its chasing is suspended today}, in words.

        The invoices are exactly those of ``_ar_get_suspended_ids``; each
        source that suspends one (the same providers, asked the same way)
        adds what it is: "Promise to pay by <date>", "Payment plan PLAN/1",
        "Open dispute: <reason>", "Non-payment reason: <name>".
        """
        suspended = self.browse(self._ar_get_suspended_ids(today))
        if not suspended:
            return {}
        texts = {}

        def add(move_ids, describe):
            for move in suspended.browse(move_ids):
                texts.setdefault(move.id, []).append(describe(move))

        promises = {}
        for promise in (
            self.env["ar.promise"]
            .sudo()
            .search(
                [("state", "=", "open"), ("move_ids", "in", suspended.ids)],
                order="date_promised",
            )
        ):
            for move in promise.move_ids:
                promises.setdefault(move.id, promise)
        add(
            self.env["ar.promise"]._suspended_move_ids(suspended, today),
            lambda move: self.env._(
                "Promise to pay by %(date)s",
                date=format_date(self.env, promises[move.id].date_promised),
            ),
        )
        plans = {}
        for plan in (
            self.env["ar.payment.plan"]
            .sudo()
            .search([("state", "=", "active"), ("move_ids", "in", suspended.ids)])
        ):
            for move in plan.move_ids:
                plans.setdefault(move.id, plan)
        add(
            self.env["ar.payment.plan"]._suspended_move_ids(suspended, today),
            lambda move: self.env._("Payment plan %(plan)s", plan=plans[move.id].name),
        )
        disputes = {
            dispute.move_id.id: dispute
            for dispute in self.env["ar.dispute"]
            .sudo()
            .search([("state", "=", "open"), ("move_id", "in", suspended.ids)])
        }
        add(
            self.env["ar.dispute"]._suspended_move_ids(suspended, today),
            lambda move: self.env._(
                "Open dispute: %(reason)s", reason=disputes[move.id].reason_id.name
            ),
        )
        add(
            self.env["ar.nonpayment.reason"]._suspended_move_ids(suspended, today),
            lambda move: self._ar_reason_text(move, today),
        )
        fallback = self.env._("Suspended")
        return {
            move.id: "; ".join(texts.get(move.id) or [fallback]) for move in suspended
        }

    @api.model
    def _ar_reason_text(self, move, today):
        """The non-payment reason suspending ``move``: its own, else its customer's."""
        reason, date_set = move.ar_reason_id, move.ar_date_reason
        if not (reason and reason._suspends_on(date_set, today)):
            partner = move.commercial_partner_id
            reason, date_set = partner.ar_reason_id, partner.ar_date_reason
        if reason.suspend_days and date_set:
            end = date_set + timedelta(days=reason.suspend_days)
            return self.env._(
                "Non-payment reason: %(reason)s (until %(date)s)",
                reason=reason.name,
                date=format_date(self.env, end),
            )
        return self.env._("Non-payment reason: %(reason)s", reason=reason.name)

    def _ar_suspended_by_commitments(self, today):
        """Invoices covered by an open promise to pay or a plan in good standing."""
        if not self:
            return set()
        return self.env["ar.promise"]._suspended_move_ids(self, today) | self.env[
            "ar.payment.plan"
        ]._suspended_move_ids(self, today)

    def action_ar_include(self):
        """Chase excluded invoices again, and say so in the history."""
        excluded = self.filtered("no_followup")
        if not excluded:
            raise UserError(
                self.env._("These invoices are not excluded from follow-up.")
            )
        notes = {
            move: self.env._(
                "Chased again (was excluded: %(reason)s)",
                reason=move.ar_exclusion_reason or "-",
            )
            for move in excluded
        }
        excluded.write(
            {
                "no_followup": False,
                "ar_exclusion_reason": False,
                "ar_excluded_by_id": False,
                "ar_date_excluded": False,
                # Chased again: due for the next run's decision.
                "ar_followup_paused": False,
                "ar_date_next_action": fields.Date.context_today(self),
            }
        )
        self.env["ar.followup.action"].create(
            [
                move._ar_prepare_history_vals("note", note=notes[move])
                for move in excluded
            ]
        )
        return True

    def _ar_prepare_history_vals(self, action_type, **values):
        """A manual history entry about this invoice."""
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "partner_id": self.commercial_partner_id.id,
            "action_type": action_type,
            "origin": "manual",
            "line_ids": self._ar_history_line_commands(),
            **values,
        }

    def _ar_history_line_commands(self):
        """History lines recording these invoices as they are now."""
        return [
            Command.create(
                {
                    "move_id": move.id,
                    "level_id": move.ar_level_id.id,
                    "amount_residual": move.amount_residual,
                    "days_overdue": move.ar_days_overdue,
                    "date_due": move.ar_date_due,
                }
            )
            for move in self
        ]

    def action_ar_open_history(self):
        """Follow-up history of this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_followup_action_action"
        )
        action["domain"] = [("line_ids.move_id", "=", self.id)]
        action["context"] = {}
        return action
