from odoo import fields, models
from odoo.tools import SQL

from ..engine.workspace import AGING_BUCKETS

BUCKET_LABELS = [
    ("current", "Not yet due"),
    ("1_30", "1-30 days"),
    ("31_60", "31-60 days"),
    ("61_90", "61-90 days"),
    ("90_plus", "90+ days"),
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

    Buckets come from ``engine.workspace.AGING_BUCKETS``; a database view, so
    pivots and the partner list group and sum in SQL.
    """

    _name = "ar.aging.report"
    _description = "Receivables aging"
    _auto = False
    _order = "date_maturity, id"
    _rec_name = "move_id"

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
    amount_residual = fields.Monetary("Open amount", readonly=True)
    amount_current = fields.Monetary("Not yet due", readonly=True)
    amount_1_30 = fields.Monetary("1-30", readonly=True)
    amount_31_60 = fields.Monetary("31-60", readonly=True)
    amount_61_90 = fields.Monetary("61-90", readonly=True)
    amount_90_plus = fields.Monetary("90+", readonly=True)

    @property
    def _table_query(self):
        days = SQL("(CURRENT_DATE - COALESCE(aml.date_maturity, aml.date))")
        bucket = SQL(
            "CASE %s END",
            SQL(" ").join(
                SQL("WHEN %s THEN %s", bucket_condition(days, low, high), key)
                for key, low, high in AGING_BUCKETS
            ),
        )
        amounts = SQL(", ").join(
            SQL(
                "CASE WHEN %s THEN aml.amount_residual ELSE 0 END AS %s",
                bucket_condition(days, low, high),
                SQL.identifier(f"amount_{key}"),
            )
            for key, low, high in AGING_BUCKETS
        )
        return SQL(
            """
            SELECT aml.id,
                   aml.move_id,
                   aml.partner_id,
                   aml.company_id,
                   company.currency_id,
                   move.invoice_user_id AS salesperson_id,
                   (partner.ar_collector_id ->> aml.company_id::text)::int
                       AS collector_id,
                   aml.date,
                   COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                   %(days)s AS days_overdue,
                   %(bucket)s AS bucket,
                   aml.amount_residual,
                   %(amounts)s
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_company company ON company.id = aml.company_id
              JOIN res_partner partner ON partner.id = aml.partner_id
             WHERE aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
            """,
            days=days,
            bucket=bucket,
            amounts=amounts,
        )
