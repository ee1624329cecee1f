from odoo import fields, models
from odoo.tools import SQL

from ..models import receivable_scope as scope


class ArDsoReport(models.Model):
    """Days sales outstanding per company and month, the last 24 months.

    DSO = receivable at the end of the month / sales invoiced in the month
    × days in the month (``engine.workspace.dso``), in company currency.
    """

    _name = "ar.dso.report"
    _description = "Days sales outstanding"
    _auto = False
    _order = "date desc, company_id"
    _rec_name = "date"

    date = fields.Date("Month", readonly=True)
    date_end = fields.Date("Month end", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    days = fields.Integer("Days in month", readonly=True, aggregator="sum")
    amount_receivable = fields.Monetary(
        "Receivable at month end", readonly=True, aggregator="max"
    )
    amount_sales = fields.Monetary("Sales of the month", readonly=True)
    dso = fields.Float("DSO (days)", readonly=True, digits=(16, 1), aggregator="avg")

    @property
    def _table_query(self):
        # The months up to each company's own today; receivable lines as
        # ``receivable_scope`` defines them.
        return SQL(
            """
            WITH months AS (
                SELECT ar_today.company_id,
                       month::date AS date,
                       (month + INTERVAL '1 month' - INTERVAL '1 day')::date
                           AS date_end
                  FROM %(today_table)s
                 CROSS JOIN LATERAL generate_series(
                           DATE_TRUNC('month', ar_today.today) - INTERVAL '23 months',
                           DATE_TRUNC('month', ar_today.today),
                           INTERVAL '1 month') AS month
            ),
            figures AS (
                SELECT m.date, m.date_end, company.id AS company_id,
                       company.currency_id,
                       m.date_end - m.date + 1 AS days,
                       COALESCE((
                           SELECT SUM(aml.balance)
                             FROM account_move_line aml
                             JOIN account_account account
                               ON account.id = aml.account_id
                            WHERE aml.company_id = company.id
                              AND %(receivable)s
                              AND aml.date <= m.date_end), 0) AS amount_receivable,
                       COALESCE((
                           SELECT SUM(aml.balance)
                             FROM account_move_line aml
                             JOIN account_move move ON move.id = aml.move_id
                             JOIN account_account account
                               ON account.id = aml.account_id
                            WHERE aml.company_id = company.id
                              AND %(receivable)s
                              AND move.move_type IN ('out_invoice', 'out_refund')
                              AND aml.date BETWEEN m.date AND m.date_end), 0)
                           AS amount_sales
                  FROM months m
                  JOIN res_company company ON company.id = m.company_id
            )
            SELECT ROW_NUMBER() OVER (ORDER BY date, company_id) AS id,
                   figures.*,
                   CASE WHEN amount_sales > 0
                        THEN ROUND((amount_receivable / amount_sales * days)::numeric,
                                   1)
                   END AS dso
              FROM figures
            """,
            receivable=scope.receivable_sql(),
            today_table=scope.company_today_sql(self.env),
        )
