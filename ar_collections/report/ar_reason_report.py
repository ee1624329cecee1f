from odoo import fields, models
from odoo.tools import SQL

from ..models.ar_nonpayment_reason import REASON_CATEGORIES
from ..models.ar_payment_notice import SOURCES


class ArReasonReport(models.Model):
    """Why customers do not pay: reasons set on invoices, and disputes.

    Amounts in company currency: the open amount of an invoice with a reason,
    the amount in dispute of a dispute.
    """

    _name = "ar.reason.report"
    _description = "Non-payment reasons analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "reason_id"

    date = fields.Date(readonly=True)
    source = fields.Selection(
        [("invoice", "Invoice reason"), ("dispute", "Dispute")], readonly=True
    )
    origin = fields.Selection(
        SOURCES,
        "Reported through",
        readonly=True,
        help="A collector, or the customer itself on its collections page.",
    )
    reason_id = fields.Many2one("ar.nonpayment.reason", readonly=True)
    category = fields.Selection(REASON_CATEGORIES, readonly=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount = fields.Monetary(readonly=True)
    dispute_state = fields.Selection(
        [("open", "Open"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        readonly=True,
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT move.id * 2 AS id, 'invoice' AS source,
                   COALESCE(move.ar_date_reason, move.invoice_date) AS date,
                   move.ar_reason_id AS reason_id, reason.category,
                   move.id AS move_id, move.commercial_partner_id AS partner_id,
                   move.company_id, company.currency_id,
                   move.amount_residual_signed AS amount,
                   NULL AS dispute_state, 'collector' AS origin
              FROM account_move move
              JOIN ar_nonpayment_reason reason ON reason.id = move.ar_reason_id
              JOIN res_company company ON company.id = move.company_id
             UNION ALL
            SELECT dispute.id * 2 + 1, 'dispute', dispute.date, dispute.reason_id,
                   reason.category, dispute.move_id, dispute.partner_id,
                   dispute.company_id, company.currency_id,
                   CASE WHEN move.amount_total != 0
                        THEN dispute.amount_disputed * move.amount_total_signed
                             / move.amount_total
                        ELSE dispute.amount_disputed END,
                   dispute.state, dispute.source
              FROM ar_dispute dispute
              JOIN account_move move ON move.id = dispute.move_id
              JOIN ar_nonpayment_reason reason ON reason.id = dispute.reason_id
              JOIN res_company company ON company.id = dispute.company_id
            """
        )
