import logging

from psycopg2 import errors as pg_errors

from odoo import models
from odoo.tools import SQL

from ..engine import next_action_date, quiet_until
from ..engine.levels import SKIP_EXCLUDED, SKIP_HANDED_OVER, SKIP_SUSPENDED
from .ar_followup_action_line import history_line_vals
from .level_actions import level_actions
from .run_history_sql import insert_run_actions

_logger = logging.getLogger(__name__)


# Decisions that pause an invoice's follow-up: it gets no next date.
PAUSED_REASONS = {SKIP_EXCLUDED, SKIP_HANDED_OVER, SKIP_SUSPENDED}


class ArFollowupRunBatch(models.AbstractModel):
    """Carrying out the decisions of a customer batch: the history actions,
    the invoices' levels and next dates, in a few grouped statements."""

    _inherit = "ar.followup.run.batch"

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
        decisions = self._decide(self.company_id, self.date, locked)
        self._drop_done_decisions(decisions, self.company_id, self.date)
        self._hold_by_contact_rules(decisions, self.company_id)
        self._note_fees_due(decisions)
        self._carry_out_decisions([c for c in decisions if c.moving or c.fee_move_ids])
        self._write_invoice_states(decisions)
        self._log_contact_rules(decisions)

    def _carry_out_decisions(self, decisions):
        """Carry out the decisions of a batch together, or one by one on failure.

        The whole batch is one savepoint: a few grouped statements instead of
        a handful per customer. If anything in it fails (a customer followed
        up by another worker meanwhile, a fee document that cannot be posted),
        it is rolled back and each customer is done alone, so one customer's
        problem is logged against that customer and stops nobody else.
        """
        if not decisions:
            return
        try:
            with self.env.cr.savepoint():
                reached = self._carry_out(decisions)
            for customer in decisions:
                customer.levels_reached = customer.partner.id in reached
            return
        except Exception:  # noqa: BLE001 - retried customer by customer below
            _logger.info(
                "Follow-up batch of run %s retried customer by customer",
                self.id,
                exc_info=True,
            )
        for customer in decisions:
            self._carry_out_one(customer)

    def _carry_out(self, decisions):
        """Create the actions of ``decisions`` and carry out those not to approve.

        Returns the ids of the customers whose invoices reached their levels
        (not waiting for approval); ``_write_invoice_states`` moves them.
        """
        vals_list = []
        for customer in decisions:
            levels = self.env["ar.followup.level"].browse(
                {d.level_id for d in customer.moving}
            )
            vals_list += self._prepare_action_vals(customer, levels)
        actions = insert_run_actions(self.env, vals_list)
        done = actions.filtered(lambda a: a.state == "done")
        # The run records its emails; they are written by their own job.
        done.with_context(ar_queue_emails=True)._execute(apply_levels=False)
        partners = self.env["res.partner"].browse(
            customer.partner.id for customer in decisions if customer.moving
        )
        if partners:
            partners.with_company(self.company_id).with_context(
                tracking_disable=True
            ).ar_date_last_followup = self.date
        return set(done.partner_id.ids)

    def _carry_out_one(self, customer):
        """Create and carry out the actions of one customer, all or nothing."""
        try:
            with self.env.cr.savepoint():
                customer.levels_reached = bool(self._carry_out([customer]))
        except pg_errors.UniqueViolation:
            # Another worker or an earlier attempt already did it: the unique
            # indexes are the last guard against sending twice.
            self._log(
                self.env._(
                    "%(partner)s: already followed up today, nothing sent again.",
                    partner=customer.partner.display_name,
                )
            )
        except Exception as error:  # noqa: BLE001 - one customer must not stop the run
            _logger.exception("Follow-up of partner %s failed", customer.partner.id)
            self._log(
                self.env._(
                    "%(partner)s: %(error)s",
                    partner=customer.partner.display_name,
                    error=error,
                ),
                error=True,
            )

    def _prepare_action_vals(self, customer, levels):
        """One action per action type of the levels reached, plus the fees."""
        state = "proposed" if any(levels.mapped("requires_approval")) else "done"
        new_level = {d.invoice_id: d.level_id for d in customer.moving}
        days = {d.invoice_id: d.days_overdue for d in customer.decisions}
        level_by_id = {level.id: level for level in levels}
        # The agency or legal chases what was handed over: not us.
        handed_over = {
            d.invoice_id
            for d in customer.decisions
            if d.skip_reason == SKIP_HANDED_OVER
        }
        ours = [row for row in customer.invoices if row.move_id not in handed_over]

        def line_vals(rows):
            return [
                history_line_vals(
                    row.move_id,
                    new_level.get(row.move_id, row.level_id),
                    row.amount_residual_currency,
                    days[row.move_id],
                    row.date_due,
                    is_trigger=row.move_id in new_level,
                )
                for row in rows
            ]

        common = {
            "company_id": self.company_id.id,
            "partner_id": customer.partner.id,
            "date": self.date,
            "origin": "run",
            "state": state,
            "run_id": self.id,
            "amount_due": customer.amount_overdue,
            "user_id": self.env.uid,
        }
        vals_list = []
        for action_type, flag in level_actions(self.env):
            if action_type == "fee":
                if customer.fee_move_ids:
                    rows = [
                        r
                        for r in customer.invoices
                        if r.move_id in customer.fee_move_ids
                    ]
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
            if action_type == "hold" and customer.partner.ar_credit_hold:
                continue
            rows = ours
            if action_type == "handover":
                rows = [
                    row
                    for row in rows
                    if row.move_id in new_level
                    and level_by_id[new_level[row.move_id]].hand_over
                ]
            top = max(with_flag, key=lambda lv: (lv.sequence, lv.id))
            if (
                action_type == "terms"
                and customer.partner.property_payment_term_id == top.payment_term_id
            ):
                continue
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
                    lines=line_vals(ours),
                )
            )
        return vals_list

    def _write_invoice_states(self, decisions):
        """Store each invoice's level reached today, next follow-up date and
        whether its follow-up is paused.

        One statement for the batch. An invoice whose level is proposed for
        approval, or whose customer could not be followed up, is due again
        today. A paused invoice (suspended, excluded, handed over) has no next
        date: nothing will happen to it until the pause ends.
        """
        values = []
        for customer in decisions:
            moving = {d.invoice_id: d.level_id for d in customer.moving}
            reached = moving if customer.levels_reached else {}
            by_invoice = {d.invoice_id: d for d in customer.decisions}
            quiet = quiet_until(
                customer.partner.ar_date_last_followup or None, customer.spec
            )
            for row in customer.invoices:
                level_id = reached.get(row.move_id, row.level_id)
                decision = by_invoice.get(row.move_id)
                paused = bool(decision and decision.skip_reason in PAUSED_REASONS)
                if row.move_id in moving and row.move_id not in reached:
                    next_date = self.date
                elif paused:
                    next_date = None
                else:
                    next_date = next_action_date(
                        row.date_due,
                        level_id,
                        customer.spec,
                        self.date,
                        date_level=self.date
                        if row.move_id in reached
                        else row.date_level,
                    )
                    later = [
                        customer.snoozed_until,
                        quiet,
                        customer.contact_hold_until,
                    ]
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
        self._align_fee_documents([customer.partner.id for customer in decisions])
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
