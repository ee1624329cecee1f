from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from . import receivable_scope as scope


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
        "state",
        "line_ids.date_maturity",
        "line_ids.amount_residual",
        "line_ids.reconciled",
    )
    def _compute_ar_date_due(self):
        for move in self:
            dates = [
                scope.line_due_date(line) for line in move._ar_open_receivable_lines()
            ]
            move.ar_date_due = min(dates) if dates else False

    @api.depends("ar_date_due")
    def _compute_ar_days_overdue(self):
        for move in self:
            if move.ar_date_due:
                today = scope.company_today(self.env, move.company_id)
                move.ar_days_overdue = (today - move.ar_date_due).days
            else:
                move.ar_days_overdue = 0

    @api.depends("line_ids.amount_residual_currency", "line_ids.date_maturity")
    def _compute_ar_amount_overdue(self):
        for move in self:
            today = scope.company_today(self.env, move.company_id)
            move.ar_amount_overdue = sum(
                line.amount_residual_currency
                for line in move._ar_open_receivable_lines()
                if scope.line_due_date(line) < today
            )

    def _ar_amount_open(self):
        """What is left to pay on this document, in its currency: Odoo's
        amount due for an invoice, the unpaid receivable lines for an entry
        (an opening balance), whose own amount due Odoo leaves at zero."""
        self.ensure_one()
        if self.is_invoice(include_receipts=True):
            return self.amount_residual
        return sum(self._ar_open_receivable_lines().mapped("amount_residual_currency"))

    def _ar_open_receivable_lines(self):
        """Unpaid receivable lines of this posted document, whatever its type
        (``receivable_scope.is_unpaid_line``): excluded ones included, so that
        an excluded invoice still says how late it is."""
        self.ensure_one()
        if self.state != "posted":
            return self.env["account.move.line"]
        return self.line_ids.filtered(scope.is_unpaid_line)

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

    def _ar_refresh_pause(self):
        """Show a suspension at once, not at the next run: the invoices a
        promise, plan or dispute now suspends lose their next follow-up date."""
        if not self:
            return
        today = scope.company_today(self.env, self.company_id[:1])
        paused = self.browse(self.env["ar.chase.status"]._paused_ids(self, today))
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
                "ar_date_next_action": scope.company_today(
                    self.env, self.company_id[:1]
                ),
            }
        )
        self.env["ar.followup.action"]._record_many(
            [
                {
                    "action_type": "note",
                    "partner": move.commercial_partner_id,
                    "moves": move,
                    "note": notes[move],
                }
                for move in excluded
            ]
        )
        return True

    def action_ar_open_history(self):
        """Follow-up history of this invoice."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_collections.ar_followup_action_action"
        )
        action["domain"] = [("line_ids.move_id", "=", self.id)]
        action["context"] = {}
        return action
