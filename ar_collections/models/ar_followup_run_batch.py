import logging
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from psycopg2 import errors as pg_errors

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import (
    Decision,
    InvoiceState,
    PartnerState,
    PolicySpec,
    decide_partner,
    next_action_date,
    quiet_until,
)
from ..engine.levels import SKIP_EXCLUDED, SKIP_HANDED_OVER, SKIP_SUSPENDED
from .run_history_sql import insert_run_actions

_logger = logging.getLogger(__name__)

# Decisions that pause an invoice's follow-up: it gets no next date.
PAUSED_REASONS = {SKIP_EXCLUDED, SKIP_HANDED_OVER, SKIP_SUSPENDED}

# (action type, level flag) in the order actions are carried out.
LEVEL_ACTIONS = [
    ("fee", None),  # first: the message then shows the fees just charged
    ("email", "send_email"),
    ("letter", "print_letter"),
    ("call", "schedule_call"),
    ("hold", "set_credit_hold"),
    ("handover", "hand_over"),
]


@dataclass
class InvoiceRow:
    """An open customer invoice as read for the run.

    ``amount_residual_currency`` is in the invoice currency (what the message
    shows); ``amount_overdue`` in company currency (what the policy compares).
    """

    move_id: int
    date_due: date
    level_id: int | None
    handed_over: bool
    amount_residual_currency: Decimal
    amount_overdue: Decimal
    escalate: bool = False
    date_level: date | None = None


@dataclass
class PartnerPlan:
    """What today's run decides for one customer."""

    partner: models.BaseModel
    policy: models.BaseModel
    spec: PolicySpec
    invoices: list[InvoiceRow]
    decisions: list[Decision]
    amount_overdue: Decimal
    snoozed_until: date | None = None
    moving: list[Decision] = field(default_factory=list)
    fee_move_ids: set[int] = field(default_factory=set)
    # Set once the actions are recorded: reached today (the invoices move to
    # their levels) or proposed for approval (they wait).
    levels_reached: bool = False

    def __post_init__(self):
        self.moving = [d for d in self.decisions if d.is_action]


class ArFollowupRunBatch(models.AbstractModel):
    """Gathering, deciding and carrying out the follow-up of customer batches.

    Shared by the daily run and its preview. Reads are grouped per batch (a
    few queries whatever the number of invoices); rules are in ``engine``.
    """

    _name = "ar.followup.run.batch"
    _description = "Follow-up run batch processing"

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------

    @api.model
    def _open_invoice_lines_sql(self, company, cutoff, partners):
        """FROM and WHERE of the open receivable lines of customer invoices
        due on or before ``cutoff``, for the customers ``partners`` selects."""
        return SQL(
            """
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account account ON account.id = aml.account_id
             WHERE aml.company_id = %(company)s
               AND %(partners)s
               AND aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual > 0
               AND aml.no_followup IS NOT TRUE
               AND move.move_type = 'out_invoice'
               AND aml.date_maturity <= %(cutoff)s
            """,
            company=company.id,
            partners=partners,
            cutoff=cutoff,
        )

    @api.model
    def _candidates_sql(self, company, cutoff, cursor, select):
        """Customers with an open invoice installment due on or before ``cutoff``."""
        return SQL(
            "SELECT %s %s",
            select,
            self._open_invoice_lines_sql(
                company, cutoff, SQL("aml.partner_id > %s", cursor)
            ),
        )

    @api.model
    def _company_cutoff(self, company, today):
        """Latest maturity date any active policy of the company looks at today.

        Every overdue invoice at least (due yesterday or before), even one not
        late enough for a first level yet: the run gives it the date its first
        level comes, so that no list shows it as due for action today.
        """
        [(min_delay,)] = (
            self.env["ar.followup.level"]
            .sudo()
            ._read_group(
                [("company_id", "=", company.id), ("policy_id.active", "=", True)],
                [],
                ["delay:min"],
            )
        )
        if min_delay is None or min_delay is False:
            return None
        return today - timedelta(days=min(min_delay, 1))

    @api.model
    def _read_invoices(self, company, today, cutoff, partner_ids):
        """Open invoices in scope, per customer, in one grouped query."""
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.partner_id, aml.move_id,
                       MIN(aml.date_maturity),
                       move.ar_level_id,
                       move.ar_handover_state IS NOT NULL,
                       move.ar_escalate IS TRUE,
                       move.ar_date_last_action,
                       SUM(aml.amount_residual_currency),
                       COALESCE(SUM(aml.amount_residual)
                                FILTER (WHERE aml.date_maturity < %(today)s), 0),
                       SUM(aml.amount_residual)
                %(lines)s
                 GROUP BY aml.partner_id, aml.move_id, move.ar_level_id,
                          move.ar_handover_state, move.ar_escalate,
                          move.ar_date_last_action
                 ORDER BY MIN(aml.date_maturity), aml.move_id
                """,
                today=today,
                lines=self._open_invoice_lines_sql(
                    company, cutoff, SQL("aml.partner_id IN %s", tuple(partner_ids))
                ),
            )
        )
        rows = self.env.cr.fetchall()
        # Amounts in open dispute are not chased: only the undisputed rest is.
        disputed = self.env["ar.dispute"]._open_amounts({row[1] for row in rows})
        result = {}
        for (
            partner_id,
            move_id,
            due,
            level_id,
            handed_over,
            escalate,
            date_level,
            *amounts,
        ) in rows:
            # Odoo reads numeric columns as floats: back to exact decimals.
            residual_currency, overdue, residual = (
                Decimal(str(amount or 0)) for amount in amounts
            )
            if disputed.get(move_id):
                left = max(residual_currency - disputed[move_id], Decimal(0))
                # The company-currency overdue shrinks in the same proportion.
                if residual_currency:
                    overdue = max(
                        overdue - disputed[move_id] * residual / residual_currency,
                        Decimal(0),
                    ).quantize(Decimal("0.01"))
                residual_currency = left
            result.setdefault(partner_id, []).append(
                InvoiceRow(
                    move_id,
                    due,
                    level_id,
                    handed_over,
                    residual_currency,
                    overdue,
                    escalate,
                    date_level,
                )
            )
        return result

    @api.model
    def _read_net_balances(self, company, partner_ids):
        """Net open receivable per customer: invoices less payments and credits."""
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.partner_id, SUM(aml.amount_residual)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND aml.partner_id IN %(partners)s
                   AND aml.parent_state = 'posted'
                   AND account.account_type = 'asset_receivable'
                   AND aml.reconciled IS NOT TRUE
                 GROUP BY aml.partner_id
                """,
                company=company.id,
                partners=tuple(partner_ids),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _plan(self, company, today, partners):
        """Decide today's levels for ``partners`` (commercial partners)."""
        if not partners:
            return []
        self.env.flush_all()
        cutoff = self._company_cutoff(company, today)
        if cutoff is None:
            return []
        # Every overdue invoice is listed in the message, even one that has
        # not reached a level yet; courtesy levels look ahead of the due date.
        yesterday = today - timedelta(days=1)
        invoices = self._read_invoices(company, today, cutoff, partners.ids)
        balances = self._read_net_balances(company, partners.ids)
        moves = self.env["account.move"].browse(
            row.move_id for rows in invoices.values() for row in rows
        )
        suspended = moves._ar_get_suspended_ids(today)
        default_policy = self.env["ar.followup.policy"]._get_company_default(company)
        specs = {}
        plans = []
        partners = partners.with_company(company)
        # Only what the run reads of the customers, not all their columns.
        partners.fetch(["ar_policy_id", "ar_snooze_until", "ar_date_last_followup"])
        for partner in partners:
            policy = partner.ar_policy_id if partner.ar_policy_id.active else None
            policy = policy or default_policy
            rows = invoices.get(partner.id)
            if not policy or not rows:
                continue
            spec = specs.get(policy.id) or specs.setdefault(
                policy.id, policy._to_spec()
            )
            scope = max(today - timedelta(days=spec.levels[0].delay), yesterday)
            rows = [row for row in rows if row.date_due <= scope]
            if not rows:
                continue
            overdue = sum((row.amount_overdue for row in rows), Decimal(0))
            state = PartnerState(
                partner.id,
                amount_overdue=overdue,
                amount_net_due=Decimal(str(balances.get(partner.id) or 0)),
                snoozed_until=partner.ar_snooze_until or None,
                date_last_message=partner.ar_date_last_followup or None,
            )
            states = [
                InvoiceState(
                    row.move_id,
                    row.date_due,
                    row.level_id,
                    date_level=row.date_level,
                    handed_over=row.handed_over,
                    suspended=row.move_id in suspended,
                    escalate=row.escalate,
                )
                for row in rows
            ]
            plans.append(
                PartnerPlan(
                    partner,
                    policy,
                    spec,
                    rows,
                    decide_partner(state, states, spec, today),
                    overdue,
                    state.snoozed_until,
                )
            )
        return plans

    # ------------------------------------------------------------------
    # Writing
    # ------------------------------------------------------------------

    def _process_batch(self, partners):
        """Lock, decide and carry out one batch of customers for this run."""
        self.ensure_one()
        locked = partners.try_lock_for_update(allow_referencing=True)
        busy = partners - locked
        if busy:
            self._log(
                self.env._(
                    "%(count)s customer(s) were being followed up by someone else "
                    "and are left for the next run: %(names)s",
                    count=len(busy),
                    names=", ".join(busy.mapped("display_name")),
                )
            )
        plans = self._plan(self.company_id, self.date, locked)
        self._drop_done_decisions(plans, self.company_id, self.date)
        self._plan_fees(plans)
        self._execute_plans([p for p in plans if p.moving or p.fee_move_ids])
        self._write_invoice_states(plans)

    @api.model
    def _drop_done_decisions(self, plans, company, today):
        """Re-check after locking: forget what the history already holds.

        An invoice that already reached (or was proposed) a level by a run,
        or a customer already followed up today (by a run or by hand), is not
        done again.
        The unique indexes enforce the same rule in the database.
        """
        moving = [d for plan in plans for d in plan.moving]
        if not moving:
            return
        done_lines = self.env["ar.followup.action.line"].search_fetch(
            [
                ("move_id", "in", [d.invoice_id for d in moving]),
                ("is_trigger", "=", True),
                ("origin", "=", "run"),
                ("state", "!=", "cancelled"),
            ],
            ["move_id", "level_id"],
        )
        reached = {(line.move_id.id, line.level_id.id) for line in done_lines}
        done_today = set(
            self.env["ar.followup.action"]
            .search_fetch(
                [
                    ("partner_id", "in", [plan.partner.id for plan in plans]),
                    ("company_id", "=", company.id),
                    ("date", "=", today),
                    ("origin", "=", "run"),
                    ("state", "!=", "cancelled"),
                    ("action_type", "!=", "fee"),
                ],
                ["partner_id"],
            )
            .partner_id.ids
        )
        # A reminder sent by hand today also counts: one message a day.
        done_today.update(
            plan.partner.id
            for plan in plans
            if plan.partner.ar_date_last_followup == today
        )
        for plan in plans:
            if plan.partner.id in done_today:
                plan.moving = []
            else:
                plan.moving = [
                    d for d in plan.moving if (d.invoice_id, d.level_id) not in reached
                ]

    def _plan_fees(self, plans):
        """Note, for each plan, the invoices that owe a late fee today.

        One computation for the whole batch. Only to decide whether the run
        records a fee action: the action computes the fees itself when it is
        carried out (after approval, for levels that need one). Nothing is
        charged while the customer is snoozed.
        """
        plans = [
            plan
            for plan in plans
            if not (plan.snoozed_until and plan.snoozed_until > self.date)
        ]
        moves = self.env["account.move"].browse(
            row.move_id for plan in plans for row in plan.invoices
        )
        levels = {
            d.invoice_id: self.env["ar.followup.level"].browse(d.level_id)
            for plan in plans
            for d in plan.moving
        }
        holds = []  # statutory interest waiting for a confirmed rate table
        try:
            charges = self.env["ar.fee"]._due_charges(moves, self.date, levels, holds)
        except UserError:
            # A rule that cannot be computed (a missing reference rate) must
            # not stop the follow-up: those customers' fees wait, the rest go.
            charges = []
            holds = []
            for plan in plans:
                plan_moves = moves.browse(row.move_id for row in plan.invoices)
                try:
                    charges += self.env["ar.fee"]._due_charges(
                        plan_moves, self.date, levels, holds
                    )
                except UserError as error:
                    self._log(
                        self.env._(
                            "%(partner)s: late fees not charged: %(error)s",
                            partner=plan.partner.display_name,
                            error=error.args[0],
                        ),
                        error=True,
                    )
        charged = {move.id for _c, _r, move, _l in charges}
        for plan in plans:
            plan.fee_move_ids = {row.move_id for row in plan.invoices} & charged
        self._warn_stale_rates(holds)

    def _execute_plans(self, plans):
        """Carry out the plans of a batch together, or one by one on failure.

        The whole batch is one savepoint: a few grouped statements instead of
        a handful per customer. If anything in it fails (a customer followed
        up by another worker meanwhile, a fee document that cannot be posted),
        it is rolled back and each customer is done alone, so one customer's
        problem is logged against that customer and stops nobody else.
        """
        if not plans:
            return
        try:
            with self.env.cr.savepoint():
                reached = self._carry_out(plans)
            for plan in plans:
                plan.levels_reached = plan.partner.id in reached
            return
        except Exception:  # noqa: BLE001 - retried customer by customer below
            _logger.info(
                "Follow-up batch of run %s retried customer by customer",
                self.id,
                exc_info=True,
            )
        for plan in plans:
            self._execute_plan(plan)

    def _carry_out(self, plans):
        """Create the actions of ``plans`` and carry out those not to approve.

        Returns the ids of the customers whose invoices reached their levels
        (not waiting for approval); ``_write_invoice_states`` moves them.
        """
        vals_list = []
        for plan in plans:
            levels = self.env["ar.followup.level"].browse(
                {d.level_id for d in plan.moving}
            )
            vals_list += self._prepare_action_vals(plan, levels)
        actions = insert_run_actions(self.env, vals_list)
        done = actions.filtered(lambda a: a.state == "done")
        # The run records its emails; they are written by their own job.
        done.with_context(ar_queue_emails=True)._execute(apply_levels=False)
        partners = self.env["res.partner"].browse(
            plan.partner.id for plan in plans if plan.moving
        )
        if partners:
            partners.with_company(self.company_id).with_context(
                tracking_disable=True
            ).ar_date_last_followup = self.date
        return set(done.partner_id.ids)

    def _execute_plan(self, plan):
        """Create and carry out the actions of one customer, all or nothing."""
        try:
            with self.env.cr.savepoint():
                plan.levels_reached = bool(self._carry_out([plan]))
        except pg_errors.UniqueViolation:
            # Another worker or an earlier attempt already did it: the unique
            # indexes are the last guard against sending twice.
            self._log(
                self.env._(
                    "%(partner)s: already followed up today, nothing sent again.",
                    partner=plan.partner.display_name,
                )
            )
        except Exception as error:  # noqa: BLE001 - one customer must not stop the run
            _logger.exception("Follow-up of partner %s failed", plan.partner.id)
            self._log(
                self.env._(
                    "%(partner)s: %(error)s",
                    partner=plan.partner.display_name,
                    error=error,
                ),
                error=True,
            )

    def _prepare_action_vals(self, plan, levels):
        """One action per action type of the levels reached, plus the fees."""
        state = "proposed" if any(levels.mapped("requires_approval")) else "done"
        new_level = {d.invoice_id: d.level_id for d in plan.moving}
        days = {d.invoice_id: d.days_overdue for d in plan.decisions}
        level_by_id = {level.id: level for level in levels}

        def line_vals(rows):
            return [
                {
                    "move_id": row.move_id,
                    "level_id": new_level.get(row.move_id, row.level_id),
                    "is_trigger": row.move_id in new_level,
                    "amount_residual": row.amount_residual_currency,
                    "days_overdue": days[row.move_id],
                    "date_due": row.date_due,
                }
                for row in rows
            ]

        common = {
            "company_id": self.company_id.id,
            "partner_id": plan.partner.id,
            "date": self.date,
            "origin": "run",
            "state": state,
            "run_id": self.id,
            "amount_due": plan.amount_overdue,
            "user_id": self.env.uid,
        }
        vals_list = []
        for action_type, flag in LEVEL_ACTIONS:
            if action_type == "fee":
                if plan.fee_move_ids:
                    rows = [r for r in plan.invoices if r.move_id in plan.fee_move_ids]
                    fee_levels = levels.filtered("fee_rule_ids")
                    vals_list.append(
                        dict(
                            common,
                            action_type="fee",
                            level_id=max(fee_levels, key=lambda lv: lv.sequence).id
                            if fee_levels
                            else False,
                            lines=line_vals(rows),
                        )
                    )
                continue
            with_flag = levels.filtered(flag)
            if not with_flag:
                continue
            if action_type == "hold" and plan.partner.ar_credit_hold:
                continue
            rows = plan.invoices
            if action_type == "handover":
                rows = [
                    row
                    for row in rows
                    if row.move_id in new_level
                    and level_by_id[new_level[row.move_id]].hand_over
                ]
            top = max(with_flag, key=lambda lv: (lv.sequence, lv.id))
            vals_list.append(
                dict(
                    common,
                    action_type=action_type,
                    level_id=top.id,
                    lines=line_vals(rows),
                )
            )
        if levels and not any(v["action_type"] != "fee" for v in vals_list):
            # A level without actions still has to be recorded as reached.
            top = max(levels, key=lambda lv: (lv.sequence, lv.id))
            vals_list.append(
                dict(
                    common,
                    action_type="note",
                    level_id=top.id,
                    note=self.env._("Level reached; it has no action."),
                    lines=line_vals(plan.invoices),
                )
            )
        return vals_list

    def _write_invoice_states(self, plans):
        """Store each invoice's level reached today, next follow-up date and
        whether its follow-up is paused.

        One statement for the batch. An invoice whose level is proposed for
        approval, or whose customer could not be followed up, is due again
        today. A paused invoice (suspended, excluded, handed over) has no next
        date: nothing will happen to it until the pause ends.
        """
        values = []
        for plan in plans:
            moving = {d.invoice_id: d.level_id for d in plan.moving}
            reached = moving if plan.levels_reached else {}
            decisions = {d.invoice_id: d for d in plan.decisions}
            quiet = quiet_until(plan.partner.ar_date_last_followup or None, plan.spec)
            for row in plan.invoices:
                level_id = reached.get(row.move_id, row.level_id)
                decision = decisions.get(row.move_id)
                paused = bool(decision and decision.skip_reason in PAUSED_REASONS)
                if row.move_id in moving and row.move_id not in reached:
                    next_date = self.date
                elif paused:
                    next_date = None
                else:
                    next_date = next_action_date(
                        row.date_due,
                        level_id,
                        plan.spec,
                        self.date,
                        date_level=self.date
                        if row.move_id in reached
                        else row.date_level,
                    )
                    later = [plan.snoozed_until, quiet]
                    if next_date:
                        next_date = max([next_date, *filter(None, later)])
                values += [row.move_id, level_id, row.move_id in reached]
                values += [next_date, paused]
        if not values:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move move
                   SET ar_level_id = v.level_id,
                       ar_date_last_action = CASE WHEN v.reached THEN %(today)s
                                             ELSE move.ar_date_last_action END,
                       ar_escalate = move.ar_escalate AND NOT v.reached,
                       ar_date_next_action = v.next_date,
                       ar_followup_paused = v.paused
                  FROM (VALUES %(values)s)
                       AS v(id, level_id, reached, next_date, paused)
                 WHERE move.id = v.id
                   AND (v.reached
                        OR move.ar_date_next_action IS DISTINCT FROM v.next_date
                        OR move.ar_followup_paused IS DISTINCT FROM v.paused)
                """,
                today=self.date,
                values=SQL(
                    ", ".join(["(%s, %s::int, %s, %s::date, %s)"] * (len(values) // 5)),
                    *values,
                ),
            )
        )
        self._align_fee_documents([plan.partner.id for plan in plans])
        self.env["account.move"].invalidate_model(
            [
                "ar_level_id",
                "ar_date_last_action",
                "ar_escalate",
                "ar_date_next_action",
                "ar_followup_paused",
            ]
        )

    def _align_fee_documents(self, partner_ids):
        """A new fee invoice starts at the level of the invoice it charges for
        (the highest, for one grouping several) and from the same day, so it is
        chased with it: no fresh friendly reminder about a fee sent to a
        customer already at the final notice."""
        if not partner_ids:
            return
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move doc
                   SET ar_level_id = src.level_id,
                       ar_date_last_action = src.date_level
                  FROM (SELECT DISTINCT ON (fee.fee_move_id)
                               fee.fee_move_id AS doc_id,
                               source.ar_level_id AS level_id,
                               source.ar_date_last_action AS date_level
                          FROM ar_fee fee
                          JOIN account_move source ON source.id = fee.move_id
                          JOIN ar_followup_level level
                            ON level.id = source.ar_level_id
                         WHERE fee.partner_id IN %(partners)s
                           AND fee.fee_move_id IS NOT NULL
                         ORDER BY fee.fee_move_id, level.sequence DESC,
                                  level.id DESC) src
                 WHERE doc.id = src.doc_id
                   AND doc.ar_level_id IS NULL
                """,
                partners=tuple(partner_ids),
            )
        )
