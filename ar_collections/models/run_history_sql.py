"""Recording the daily run's history entries in bulk.

The ORM's create costs several milliseconds per customer for these records
(each line's monetary amount is rounded in its invoice's currency, read one
invoice at a time; related fields are computed one by one). The daily run
writes tens of thousands of these plain records, so it inserts them with two
statements per batch. The unique indexes guard these inserts exactly as they
guard the ORM's.
"""

from odoo import fields
from odoo.tools import SQL

# Columns the daily run writes, per table; the others keep their default.
ACTION_COLUMNS = (
    "company_id",
    "partner_id",
    "date",
    "origin",
    "state",
    "run_id",
    "amount_due",
    "user_id",
    "action_type",
    "level_id",
    "note",
)
LINE_COLUMNS = (
    "move_id",
    "level_id",
    "is_trigger",
    "amount_residual",
    "days_overdue",
    "date_due",
)
# Stored related fields of the lines, copied from their action.
LINE_RELATED_COLUMNS = ("company_id", "action_type", "origin", "state", "date")


def insert_run_actions(env, vals_list):
    """Insert run actions and their invoice lines; the new actions, in order.

    ``vals_list``: dicts of ``ACTION_COLUMNS`` plus ``lines``, a list of
    dicts of ``LINE_COLUMNS``. Amounts must already be rounded.
    """
    Action = env["ar.followup.action"]
    if not vals_list:
        return Action
    env.flush_all()
    now = fields.Datetime.now()
    audit = {
        "create_uid": env.uid,
        "create_date": now,
        "write_uid": env.uid,
        "write_date": now,
    }
    action_ids = insert_rows(
        env.cr,
        "ar_followup_action",
        [
            {**{c: _column(vals.get(c)) for c in ACTION_COLUMNS}, **audit}
            for vals in vals_list
        ],
    )
    line_rows = [
        {
            **{c: _column(line.get(c)) for c in LINE_COLUMNS},
            "is_trigger": bool(line.get("is_trigger")),
            **{c: _column(vals.get(c)) for c in LINE_RELATED_COLUMNS},
            "action_id": action_id,
            **audit,
        }
        for action_id, vals in zip(action_ids, vals_list, strict=True)
        for line in vals["lines"]
    ]
    if line_rows:
        insert_rows(env.cr, "ar_followup_action_line", line_rows)
    # The caches know nothing of the new rows (the run's actions, the
    # invoices' history): forget what they hold.
    env.invalidate_all()
    return Action.browse(action_ids)


def _column(value):
    """The ORM's ``False`` for "empty" is SQL's NULL (booleans aside)."""
    return None if value is False else value


def insert_rows(cr, table, rows):
    """INSERT ``rows`` (dicts with the same keys) into ``table``; their ids."""
    columns = list(rows[0])
    placeholders = "(%s)" % ", ".join(["%s"] * len(columns))
    cr.execute(
        SQL(
            "INSERT INTO %s (%s) VALUES %s RETURNING id",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in columns),
            # One piece of SQL with all the values as parameters: building a
            # nested SQL object per row costs more than the insert itself.
            SQL(
                ", ".join([placeholders] * len(rows)),
                *(row[column] for row in rows for column in columns),
            ),
        )
    )
    # PostgreSQL returns the rows of an INSERT ... VALUES in their order, as
    # the ORM's own create relies on.
    return [row[0] for row in cr.fetchall()]
