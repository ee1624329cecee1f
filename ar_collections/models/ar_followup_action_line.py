from odoo import fields, models


def history_line_vals(
    move_id, level_id, amount_residual, days_overdue, date_due, is_trigger=False
):
    """Values of a history line: an invoice as it stood when the entry was made.

    One shape for the manual entries (:meth:`ArFollowupAction._line_vals`) and
    the daily run's bulk insert (``run_history_sql.LINE_COLUMNS``).
    """
    return {
        "move_id": move_id,
        "level_id": level_id,
        "is_trigger": is_trigger,
        "amount_residual": amount_residual,
        "days_overdue": days_overdue,
        "date_due": date_due,
    }


class ArFollowupActionLine(models.Model):
    """An invoice covered by an action, with its state at that moment."""

    _name = "ar.followup.action.line"
    _description = "Follow-up action invoice"
    _order = "action_id desc, id"
    _check_company_auto = True

    action_id = fields.Many2one(
        "ar.followup.action",
        "History entry",
        required=True,
        index=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(
        "account.move",
        "Invoice",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="action_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    level_id = fields.Many2one(
        "ar.followup.level",
        ondelete="restrict",
        help="The level the invoice reaches with this action.",
    )
    is_trigger = fields.Boolean(
        "Triggered the action",
        help="This invoice moved to the level with this action; the others are "
        "listed because they are overdue too.",
    )
    amount_residual = fields.Monetary("Amount due then")
    days_overdue = fields.Integer("Days overdue then")
    date_due = fields.Date("Due date")
    action_type = fields.Selection(related="action_id.action_type", store=True)
    origin = fields.Selection(related="action_id.origin", store=True)
    state = fields.Selection(related="action_id.state", store=True)
    date = fields.Date(related="action_id.date", store=True)
    partner_id = fields.Many2one(related="action_id.partner_id")
    user_id = fields.Many2one(related="action_id.user_id")

    _invoice_level_once = models.UniqueIndex(
        "(move_id, level_id, action_type) "
        "WHERE is_trigger AND origin = 'run' AND state != 'cancelled'",
        "This invoice already reached this level with this action.",
    )
