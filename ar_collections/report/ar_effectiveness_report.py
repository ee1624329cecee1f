from odoo import fields, models
from odoo.tools import SQL


class ArEffectivenessReport(models.Model):
    """What each follow-up level brought in.

    One row per invoice brought to a level by the daily run: what was due
    then and how much of it has been paid since (in the invoice currency).
    """

    _name = "ar.effectiveness.report"
    _description = "Follow-up effectiveness"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "move_id"

    date = fields.Date(readonly=True)
    level_id = fields.Many2one("ar.followup.level", readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_chased = fields.Monetary("Amount chased", readonly=True)
    amount_recovered = fields.Monetary("Recovered since", readonly=True)
    recovered_rate = fields.Float(
        "Recovered (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT line.id,
                   line.date,
                   line.level_id,
                   line.move_id,
                   move.commercial_partner_id AS partner_id,
                   line.company_id,
                   move.currency_id,
                   line.amount_residual AS amount_chased,
                   GREATEST(line.amount_residual - move.amount_residual, 0)
                       AS amount_recovered,
                   CASE WHEN line.amount_residual > 0
                        THEN GREATEST(line.amount_residual - move.amount_residual, 0)
                             / line.amount_residual * 100
                   END AS recovered_rate
              FROM ar_followup_action_line line
              JOIN account_move move ON move.id = line.move_id
             WHERE line.is_trigger
               AND line.origin = 'run'
               AND line.state = 'done'
               AND line.level_id IS NOT NULL
            """
        )
