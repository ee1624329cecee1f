from odoo import fields, models
from odoo.tools import SQL


class ArFollowupCustomer(models.Model):
    """Customers to follow up: one row per customer and company with an open balance.

    A database view over open receivable lines, so the figures are always
    those of today and a list of thousands of customers sorts and filters in
    the database (one grouped query, no per-customer computation).
    """

    _name = "ar.followup.customer"
    _description = "Customer to follow up"
    _auto = False
    _order = "date_next_action, amount_overdue desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_due = fields.Monetary("Total due", readonly=True)
    amount_overdue = fields.Monetary("Total overdue", readonly=True)
    date_oldest_overdue = fields.Date("Oldest overdue", readonly=True)
    days_overdue = fields.Integer("Days overdue", readonly=True, aggregator="max")
    invoice_count = fields.Integer("Open invoices", readonly=True)
    level_id = fields.Many2one("ar.followup.level", "Highest level", readonly=True)
    date_next_action = fields.Date("Next follow-up", readonly=True)
    collector_id = fields.Many2one("res.users", readonly=True)
    policy_id = fields.Many2one("ar.followup.policy", readonly=True)
    credit_hold = fields.Boolean("Credit hold", readonly=True)
    snooze_until = fields.Date("Do not chase before", readonly=True)
    salesperson_id = fields.Many2one("res.users", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(aml.id) AS id,
                   aml.partner_id,
                   aml.company_id,
                   company.currency_id,
                   SUM(aml.amount_residual) AS amount_due,
                   COALESCE(SUM(aml.amount_residual) FILTER (WHERE %(overdue)s), 0)
                       AS amount_overdue,
                   MIN(aml.date_maturity) FILTER (WHERE %(overdue)s)
                       AS date_oldest_overdue,
                   COALESCE(CURRENT_DATE - MIN(aml.date_maturity)
                       FILTER (WHERE %(overdue)s), 0) AS days_overdue,
                   COUNT(DISTINCT aml.move_id)
                       FILTER (WHERE move.move_type = 'out_invoice') AS invoice_count,
                   (ARRAY_AGG(move.ar_level_id
                              ORDER BY level.sequence DESC, level.id DESC)
                       FILTER (WHERE move.ar_level_id IS NOT NULL))[1] AS level_id,
                   MIN(move.ar_date_next_action) AS date_next_action,
                   (partner.ar_collector_id ->> aml.company_id::text)::int
                       AS collector_id,
                   (partner.ar_policy_id ->> aml.company_id::text)::int AS policy_id,
                   COALESCE((partner.ar_credit_hold ->> aml.company_id::text)::boolean,
                            FALSE) AS credit_hold,
                   (partner.ar_snooze_until ->> aml.company_id::text)::date
                       AS snooze_until,
                   partner.user_id AS salesperson_id
              FROM account_move_line aml
              JOIN account_move move ON move.id = aml.move_id
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_company company ON company.id = aml.company_id
              JOIN res_partner partner ON partner.id = aml.partner_id
         LEFT JOIN ar_followup_level level ON level.id = move.ar_level_id
             WHERE aml.parent_state = 'posted'
               AND account.account_type = 'asset_receivable'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
          GROUP BY aml.partner_id, aml.company_id, company.currency_id, partner.id
            HAVING SUM(aml.amount_residual) > 0
            """,
            overdue=SQL(
                "aml.date_maturity < CURRENT_DATE AND aml.amount_residual > 0 "
                "AND move.move_type = 'out_invoice' AND aml.no_followup IS NOT TRUE"
            ),
        )

    def action_open_partner(self):
        """Open the customer's form on its Collections tab."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
