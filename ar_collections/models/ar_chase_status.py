from dataclasses import dataclass
from datetime import timedelta

from odoo import api, models
from odoo.tools import format_date

from . import receivable_scope as scope

CHASED = "chased"
EXCLUDED = "excluded"
HANDED_OVER = "handed_over"
SUSPENDED = "suspended"
SNOOZED = "snoozed"


@dataclass(frozen=True)
class ChaseStatus:
    """Whether an invoice is chased today and, when it is not, why in words."""

    code: str
    reason: str = ""

    @property
    def chased(self):
        return self.code == CHASED

    @property
    def paused(self):
        """Held back by the invoice itself, not by its customer's snooze.

        What "Send reminder now" leaves out and what the run stores as
        ``ar_followup_paused``: a snooze only delays the customer's messages.
        """
        return self.code in (EXCLUDED, HANDED_OVER, SUSPENDED)


class ArChaseStatus(models.AbstractModel):
    """The one place that says whether each invoice is chased today.

    From, in this order: exclusion (Odoo's "No Follow-Up"), hand-over to an
    agency or legal, suspension (an open promise to pay, a payment plan in
    good standing, an open dispute over the whole amount, a non-payment
    reason that suspends, a customer's word that it has paid, for a few
    days) and the customer's snooze. The daily run, late
    fees, the preview, "Send reminder now" and the lists (through the flag
    the run stores) all read it.
    """

    _name = "ar.chase.status"
    _description = "Chase status of invoices"

    @api.model
    def _of(self, moves, today):
        """{invoice id: ChaseStatus} of ``moves`` on ``today``."""
        moves = moves.sudo()
        excluded = self._excluded_ids(moves)
        suspensions = self._suspension_texts(moves, today)
        snoozes = self._snoozes(moves, today)
        result = {}
        for move in moves:
            if move.id in excluded:
                result[move.id] = ChaseStatus(
                    EXCLUDED,
                    self.env._(
                        "Excluded from follow-up: %(reason)s",
                        reason=move.ar_exclusion_reason,
                    )
                    if move.ar_exclusion_reason
                    else self.env._("Excluded from follow-up"),
                )
            elif move.ar_handover_state:
                result[move.id] = ChaseStatus(
                    HANDED_OVER,
                    self.env._(
                        "Handed over to collection on %(date)s",
                        date=format_date(self.env, move.ar_date_handover),
                    )
                    if move.ar_date_handover
                    else self.env._("Handed over to collection"),
                )
            elif move.id in suspensions:
                result[move.id] = ChaseStatus(SUSPENDED, suspensions[move.id])
            elif snooze := snoozes.get(
                (move.commercial_partner_id.id, move.company_id)
            ):
                result[move.id] = ChaseStatus(
                    SNOOZED,
                    self.env._(
                        "Customer snoozed until %(date)s",
                        date=format_date(self.env, snooze),
                    ),
                )
            else:
                result[move.id] = ChaseStatus(CHASED)
        return result

    @api.model
    def _excluded_ids(self, moves):
        """Ids of the documents excluded by Odoo's "No Follow-Up" flag.

        Read on their unpaid receivable lines (one grouped read), as
        ``receivable_scope`` does: Odoo's own flag on a journal entry (not an
        invoice) is always set, even when its lines were cleared to be
        chased, like an imported opening balance. A paid document has no
        such line: its own flag says.
        """
        groups = self.env["account.move.line"]._read_group(
            [("move_id", "in", moves.ids), *scope.UNPAID_DOMAIN],
            ["move_id"],
            ["no_followup:bool_and"],
        )
        flags = {move.id: flagged for move, flagged in groups}
        return {
            move.id
            for move in moves
            if (flags[move.id] if move.id in flags else move.no_followup)
        }

    @api.model
    def _paused_ids(self, moves, today):
        """Ids of the invoices paused today (excluded, handed over, suspended)."""
        return {
            move_id
            for move_id, status in self._of(moves, today).items()
            if status.paused
        }

    @api.model
    def _chased(self, moves, today):
        """The invoices among ``moves`` chased today."""
        statuses = self._of(moves, today)
        return moves.filtered(lambda move: statuses[move.id].chased)

    @api.model
    def _snoozes(self, moves, today):
        """{(customer, company): snoozed until} of the customers snoozed today."""
        result = {}
        for company, company_moves in moves.grouped("company_id").items():
            for partner in company_moves.commercial_partner_id.with_company(company):
                until = partner.ar_snooze_until
                if until and until > today:
                    result[partner.id, company] = until
        return result

    # ------------------------------------------------------------------
    # Suspensions: each source says which invoices it suspends and why.
    # ------------------------------------------------------------------

    SUSPENSION_SOURCES = (
        "ar.promise",
        "ar.payment.plan",
        "ar.dispute",
        "ar.nonpayment.reason",
        "ar.payment.notice",
    )

    @api.model
    def _suspended_by_source(self, moves, today):
        """{source model: ids among ``moves`` it suspends today}, each source
        asked once."""
        if not moves:
            return {}
        return {
            source: self.env[source]._suspended_move_ids(moves, today)
            for source in self.SUSPENSION_SOURCES
        }

    @api.model
    def _suspended_ids(self, moves, today):
        """Ids among ``moves`` whose chasing a commitment or reason suspends."""
        return set().union(*self._suspended_by_source(moves, today).values())

    @api.model
    def _suspension_texts(self, moves, today):
        """{invoice id: why its chasing is suspended}, for suspended invoices.

        "Promise to pay by <date>", "Payment plan PLAN/1", "Open dispute:
        <reason>", "Non-payment reason: <name>"; several joined by "; ".
        """
        by_source = self._suspended_by_source(moves, today)
        suspended = moves.browse(set().union(*by_source.values()))
        if not suspended:
            return {}
        texts = {}

        def add(move_ids, describe):
            for move in suspended.browse(move_ids):
                texts.setdefault(move.id, []).append(describe(move))

        promises = self._first_by_move(
            "ar.promise",
            [("state", "=", "open"), ("move_ids", "in", suspended.ids)],
            order="date_promised",
        )
        add(
            by_source["ar.promise"],
            lambda move: self.env._(
                "Promise to pay by %(date)s",
                date=format_date(self.env, promises[move.id].date_promised),
            ),
        )
        plans = self._first_by_move(
            "ar.payment.plan",
            [("state", "=", "active"), ("move_ids", "in", suspended.ids)],
        )
        add(
            by_source["ar.payment.plan"],
            lambda move: self.env._("Payment plan %(plan)s", plan=plans[move.id].name),
        )
        disputes = {
            dispute.move_id.id: dispute
            for dispute in self.env["ar.dispute"]
            .sudo()
            .search([("state", "=", "open"), ("move_id", "in", suspended.ids)])
        }
        add(
            by_source["ar.dispute"],
            lambda move: self.env._(
                "Open dispute: %(reason)s", reason=disputes[move.id].reason_id.name
            ),
        )
        add(
            by_source["ar.nonpayment.reason"],
            lambda move: self._reason_text(move, today),
        )
        notices = self._first_by_move(
            "ar.payment.notice",
            [("state", "=", "waiting"), ("move_ids", "in", suspended.ids)],
            order="pause_until desc",
        )
        add(
            by_source["ar.payment.notice"],
            lambda move: self.env._(
                "Customer says paid on %(date)s: not chased until %(until)s",
                date=format_date(self.env, notices[move.id].date_payment),
                until=format_date(self.env, notices[move.id].pause_until),
            ),
        )
        fallback = self.env._("Suspended")
        return {
            move.id: "; ".join(texts.get(move.id) or [fallback]) for move in suspended
        }

    def _first_by_move(self, model, domain, order=None):
        """Each invoice's first record of ``model`` (in ``order``) among those
        of ``domain``: the one a suspension text names."""
        found = {}
        for record in self.env[model].sudo().search(domain, order=order):
            for move in record.move_ids:
                found.setdefault(move.id, record)
        return found

    @api.model
    def _reason_text(self, move, today):
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
