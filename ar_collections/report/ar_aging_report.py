from odoo import fields, models
from odoo.tools import SQL

from ..engine.workspace import AGING_BUCKETS, CREDIT_BUCKET
from ..models import receivable_scope as scope

BUCKET_LABELS = [
    ("current", "Not yet due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "90+ days"),
    ("handed_over", "Handed over"),
    ("dispute", "In dispute"),
    (CREDIT_BUCKET, "Unapplied credits"),
]


def bucket_condition(days, low, high):
    """SQL condition placing ``days`` in the bucket [low, high] of the engine."""
    parts = []
    if low is not None:
        parts.append(SQL("%s >= %s", days, low))
    if high is not None:
        parts.append(SQL("%s <= %s", days, high))
    return SQL(" AND ").join(parts)


class ArAgingReport(models.Model):
    """Open receivable items with their age: one row per open journal item.

    The items are those ``receivable_scope`` calls open, aged from each
    company's today. Buckets come from ``engine.workspace.AGING_BUCKETS``;
    credits are not aged (``CREDIT_BUCKET``). A database view, so pivots and
    the partner list group and sum in SQL.
    """

    _name = "ar.aging.report"
    _description = "Receivables aging"
    _auto = False
    _order = "date_maturity, id"
    _rec_name = "move_id"
    # What the query reads: pending writes are flushed before it runs.
    _depends = scope.DEPENDS

    move_id = fields.Many2one("account.move", "Document", readonly=True)
    move_type = fields.Selection(related="move_id.move_type")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    date = fields.Date(readonly=True)
    date_maturity = fields.Date("Due date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    bucket = fields.Selection(BUCKET_LABELS, "Age", readonly=True)
    amount_original = fields.Monetary(
        "Original amount",
        readonly=True,
        help="The amount of the document's receivable line when it was posted.",
    )
    amount_paid = fields.Monetary(
        "Paid", readonly=True, help="Paid or credited since: original minus left."
    )
    amount_residual = fields.Monetary("Open amount", readonly=True)
    amount_partner_residual = fields.Monetary(
        "Customer balance",
        readonly=True,
        aggregator=None,
        help="What the customer owes in all: the aging screens leave out "
        "customers whose open items cancel out.",
    )
    description = fields.Char(compute="_compute_description")
    amount_current = fields.Monetary("Not yet due", readonly=True)
    amount_1_30 = fields.Monetary("1-30", readonly=True)
    amount_31_60 = fields.Monetary("31-60", readonly=True)
    amount_61_90 = fields.Monetary("61-90", readonly=True)
    amount_90_plus = fields.Monetary("90+", readonly=True)
    amount_handed_over = fields.Monetary(
        "Handed over",
        readonly=True,
        help="Handed over to a collection agency or legal: still owed, chased by "
        "them, not counted as overdue here.",
    )
    amount_dispute = fields.Monetary(
        "In dispute",
        readonly=True,
        help="Contested by the customer in an open dispute: not chased, and not "
        "counted as overdue until the dispute is resolved.",
    )
    amount_credit = fields.Monetary(
        "Unapplied credits",
        readonly=True,
        help="Credit notes and payments not yet matched with an invoice: they "
        "lower what is owed and are not aged.",
    )

    @property
    def _table_query(self):
        # The open lines of ``receivable_scope``, aged from each company's today.
        days = SQL("(line.today - line.date_due)")
        bucket = SQL(
            "CASE WHEN line.amount_residual < 0 THEN %s "
            "WHEN line.is_handed_over THEN 'handed_over' "
            "WHEN line.amount_chased = 0 THEN 'dispute' %s END",
            CREDIT_BUCKET,
            SQL(" ").join(
                SQL("WHEN %s THEN %s", bucket_condition(days, low, high), key)
                for key, low, high in AGING_BUCKETS
            ),
        )
        amounts = SQL(", ").join(
            SQL(
                "CASE WHEN %s THEN line.amount_chased ELSE 0 END AS %s",
                bucket_condition(days, low, high),
                SQL.identifier(f"amount_{key}"),
            )
            for key, low, high in AGING_BUCKETS
        )
        return SQL(
            """
            SELECT line.id,
                   line.move_id,
                   line.partner_id,
                   line.company_id,
                   company.currency_id,
                   move.invoice_user_id AS salesperson_id,
                   (partner.ar_collector_id ->> line.company_id::text)::int
                       AS collector_id,
                   line.date,
                   line.date_due AS date_maturity,
                   %(days)s AS days_overdue,
                   %(bucket)s AS bucket,
                   aml.balance AS amount_original,
                   aml.balance - line.amount_residual AS amount_paid,
                   line.amount_residual,
                   SUM(line.amount_residual) OVER (
                       PARTITION BY line.company_id, line.partner_id
                   ) AS amount_partner_residual,
                   %(amounts)s,
                   CASE WHEN line.is_handed_over THEN line.amount_residual
                        ELSE 0 END AS amount_handed_over,
                   CASE WHEN line.is_handed_over THEN 0
                        ELSE line.amount_disputed END AS amount_dispute,
                   LEAST(line.amount_residual, 0) AS amount_credit
              FROM %(lines)s line
              JOIN account_move_line aml ON aml.id = line.id
              JOIN account_move move ON move.id = line.move_id
              JOIN res_company company ON company.id = line.company_id
              JOIN res_partner partner ON partner.id = line.partner_id
            """,
            days=days,
            bucket=bucket,
            amounts=amounts,
            lines=scope.open_lines_sql(self.env),
        )

    def _compute_description(self):
        """What the document is, for a customer reading a statement.

        A late fee invoice names the invoices it charges for (its own line
        labels repeat the calculation); other documents show their reference,
        origin or first line.
        """
        for row in self:
            move = row.move_id
            if move.ar_is_fee_document and move.move_type == "out_invoice":
                sources = move.ar_fee_source_move_id.name or move.invoice_origin
                row.description = (
                    self.env._("Late fee for %(invoices)s", invoices=sources)
                    if sources
                    else self.env._("Late fee")
                )
                continue
            first_line = move.invoice_line_ids.sorted("sequence")[:1]
            row.description = (
                move.ref or move.invoice_origin or first_line.name or ""
            ).split("\n")[0]

    def _read_group_orderby(self, order, groupby_terms, query):
        """Age buckets sort by age, not by their keys ("current" after "90_plus")."""
        if "bucket" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        bucket = groupby_terms["bucket"]
        ranked = dict(groupby_terms)
        ranked["bucket"] = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN %s = %s THEN %s", bucket, key, rank)
                for rank, (key, _label) in enumerate(BUCKET_LABELS)
            ),
        )
        orderby = super()._read_group_orderby(order, ranked, query)
        # Keep what the ORM added to the other terms (many2one orders).
        groupby_terms.update({k: v for k, v in ranked.items() if k != "bucket"})
        return orderby
