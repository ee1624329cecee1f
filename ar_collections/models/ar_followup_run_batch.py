from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..engine import (
    Decision,
    InvoiceState,
    PartnerState,
    PolicySpec,
    decide_partner,
)
from . import receivable_scope as scope
from .ar_chase_status import HANDED_OVER, SUSPENDED


@dataclass
class InvoiceRow:
    """An open customer invoice as read for the run.

    ``amount_residual_currency`` is in the invoice currency (what the message
    shows); ``amount_overdue`` in company currency (what the policy compares).
    """

    move_id: int
    date_due: date
    level_id: int | None
    amount_residual_currency: Decimal
    amount_overdue: Decimal
    escalate: bool = False
    date_level: date | None = None


@dataclass
class CustomerDecision:
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
    # Contact rules (ar_followup_run_batch_contact): the customer's day its
    # contact limit allows it again, when the limit holds it back today, and
    # why; what the rules change in today's contacts: (verdict, in words).
    contact_hold_until: date | None = None
    contact_hold_reason: str | None = None
    contact_notes: list[tuple] = field(default_factory=list)
    # {invoice id: ChaseStatus} of its invoices today (``ar.chase.status``).
    statuses: dict = field(default_factory=dict)

    def __post_init__(self):
        self.moving = [d for d in self.decisions if d.is_action]


class ArFollowupRunBatch(models.AbstractModel):
    """Gathering and deciding the follow-up of customer batches.

    Shared by the daily run and its preview. Reads are grouped per batch (a
    few queries whatever the number of invoices); rules are in ``engine``.
    Carrying the decisions out is in ``ar_followup_run_batch_carry_out``.
    """

    _name = "ar.followup.run.batch"
    _description = "Follow-up run batch processing"

    # ------------------------------------------------------------------
    # Reading
    # ------------------------------------------------------------------

    @api.model
    def _candidates_sql(self, company, cutoff, cursor, select):
        """Customers with something chased due on or before ``cutoff``
        (``receivable_scope``), after ``cursor`` in id order."""
        return SQL(
            """
            SELECT %(select)s
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
             WHERE aml.company_id = %(company)s
               AND aml.partner_id > %(cursor)s
               AND %(chased)s
               AND %(due)s <= %(cutoff)s
            """,
            select=select,
            company=company.id,
            cursor=cursor,
            chased=scope.chased_sql(),
            due=scope.due_date_sql(),
            cutoff=cutoff,
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
        """Documents with something chased due by ``cutoff``, per customer.

        One grouped query over ``receivable_scope.open_lines_sql``: the same
        lines, disputes and today as every list and report. What is in open
        dispute is not chased, only the undisputed rest; a handed-over
        document is read (its status says why nothing happens) with nothing
        chased.
        """
        self.env.cr.execute(
            SQL(
                """
                SELECT line.partner_id, line.move_id,
                       MIN(line.date_due),
                       move.ar_level_id,
                       move.ar_escalate IS TRUE,
                       move.ar_date_last_action,
                       SUM(line.amount_chased_currency),
                       COALESCE(SUM(line.amount_chased)
                                FILTER (WHERE line.is_overdue), 0)
                  FROM %(lines)s line
                  JOIN account_move move ON move.id = line.move_id
                 WHERE line.amount_residual > 0
                   AND line.date_due <= %(cutoff)s
                 GROUP BY line.partner_id, line.move_id, move.ar_level_id,
                          move.ar_escalate,
                          move.ar_date_last_action
                 ORDER BY MIN(line.date_due), line.move_id
                """,
                cutoff=cutoff,
                lines=scope.open_lines_sql(
                    self.env,
                    SQL(
                        "aml.company_id = %s AND aml.partner_id IN %s",
                        company.id,
                        tuple(partner_ids),
                    ),
                    today=today,
                ),
            )
        )
        result = {}
        for (
            partner_id,
            move_id,
            due,
            level_id,
            escalate,
            date_level,
            *amounts,
        ) in self.env.cr.fetchall():
            # Odoo reads numeric columns as floats: back to exact decimals.
            chased_currency, overdue = (Decimal(str(amount or 0)) for amount in amounts)
            result.setdefault(partner_id, []).append(
                InvoiceRow(
                    move_id,
                    due,
                    level_id,
                    chased_currency,
                    overdue,
                    escalate,
                    date_level,
                )
            )
        return result

    @api.model
    def _read_net_balances(self, company, partner_ids):
        """What each customer owes in all: invoices less payments and credits."""
        self.env.cr.execute(
            SQL(
                """
                SELECT aml.partner_id, SUM(aml.amount_residual)
                  FROM account_move_line aml
                  JOIN account_account account ON account.id = aml.account_id
                 WHERE aml.company_id = %(company)s
                   AND aml.partner_id IN %(partners)s
                   AND %(open)s
                 GROUP BY aml.partner_id
                """,
                company=company.id,
                partners=tuple(partner_ids),
                open=scope.open_sql(),
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _decide(self, company, today, partners):
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
        statuses = self.env["ar.chase.status"]._of(moves, today)
        default_policy = self.env["ar.followup.policy"]._get_company_default(company)
        specs = {}
        decisions = []
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
            horizon = max(today - timedelta(days=spec.levels[0].delay), yesterday)
            rows = [row for row in rows if row.date_due <= horizon]
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
                    handed_over=statuses[row.move_id].code == HANDED_OVER,
                    suspended=statuses[row.move_id].code == SUSPENDED,
                    escalate=row.escalate,
                )
                for row in rows
            ]
            decisions.append(
                CustomerDecision(
                    partner,
                    policy,
                    spec,
                    rows,
                    decide_partner(state, states, spec, today),
                    overdue,
                    state.snoozed_until,
                    statuses={row.move_id: statuses[row.move_id] for row in rows},
                )
            )
        return decisions

    # ------------------------------------------------------------------
    # Deciding
    # ------------------------------------------------------------------

    @api.model
    def _drop_done_decisions(self, decisions, company, today):
        """Re-check after locking: forget what the history already holds.

        An invoice that already reached (or was proposed) a level by a run,
        or a customer already followed up today (by a run or by hand), is not
        done again.
        The unique indexes enforce the same rule in the database.
        """
        moving = [d for customer in decisions for d in customer.moving]
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
                    (
                        "partner_id",
                        "in",
                        [customer.partner.id for customer in decisions],
                    ),
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
            customer.partner.id
            for customer in decisions
            if customer.partner.ar_date_last_followup == today
        )
        for customer in decisions:
            if customer.partner.id in done_today:
                customer.moving = []
            else:
                customer.moving = [
                    d
                    for d in customer.moving
                    if (d.invoice_id, d.level_id) not in reached
                ]

    def _note_fees_due(self, decisions):
        """Note, for each customer, the invoices that owe a late fee today.

        One computation for the whole batch. Only to decide whether the run
        records a fee action: the action computes the fees itself when it is
        carried out (after approval, for levels that need one). What is not
        chased today (``ar.chase.status``: snoozed, suspended...) owes none.
        """
        moves = self.env["account.move"].browse(
            row.move_id for customer in decisions for row in customer.invoices
        )
        levels = {
            d.invoice_id: self.env["ar.followup.level"].browse(d.level_id)
            for customer in decisions
            for d in customer.moving
        }
        holds = []  # statutory interest waiting for a confirmed rate table
        try:
            charges = self.env["ar.fee"]._due_charges(moves, self.date, levels, holds)
        except UserError:
            # A rule that cannot be computed (a missing reference rate) must
            # not stop the follow-up: those customers' fees wait, the rest go.
            charges = []
            holds = []
            for customer in decisions:
                customer_moves = moves.browse(row.move_id for row in customer.invoices)
                try:
                    charges += self.env["ar.fee"]._due_charges(
                        customer_moves, self.date, levels, holds
                    )
                except UserError as error:
                    self._log(
                        self.env._(
                            "%(partner)s: late fees not charged: %(error)s",
                            partner=customer.partner.display_name,
                            error=error.args[0],
                        ),
                        error=True,
                    )
        charged = {move.id for _c, _r, move, _l in charges}
        for customer in decisions:
            customer.fee_move_ids = {row.move_id for row in customer.invoices} & charged
        self._warn_stale_rates(holds)
