"""What a customer owes, what is overdue, and which day it is: one definition.

Every figure of the addon (the daily run and its preview, customers to
follow up, the worklist, aging, DSO, late fees, the behaviour score, the
statement and the letters) reads receivables through this module, so that
the list, the letter and the aging never disagree.

The scope follows Odoo's own "No Follow-Up" flag, whatever the kind of entry:

- a *receivable line* is a posted journal item on a receivable account
  without ``no_followup`` (invoices, credit notes, payments, an opening
  balance imported as a journal entry once its flag is cleared);
- an *open* line is a receivable line not fully reconciled, with a residual:
  together they are what the customer owes (credit notes and unapplied
  payments count in this net balance);
- a *chased* line is an open line with a positive residual: something the
  customer has to pay;
- its *due date* is its maturity, else the date of its entry;
- an *overdue* line is a chased line due before the company's today;
- an amount in open dispute is not chased: an invoice's disputed amount is
  set against its lines oldest first, and what is left is what is chased
  and counted as overdue (the aging shows the disputed part apart);
- a document handed over to an agency or legal is still owed but no longer
  chased nor counted as overdue here (the aging shows it apart).

"Today" is the company's local date (the time zone of its address, else the
user's), never the database server's ``CURRENT_DATE``.
"""

from odoo import fields
from odoo.tools import SQL

from ..engine import local_today


def company_today(env, company):
    """The company's local date: the day the run, the lists and the letters use."""
    tz = company.partner_id.tz or env.user.tz
    return local_today(fields.Datetime.now(), tz)


def company_today_sql(env, alias="ar_today", today=None):
    """A ``(company_id, today)`` table of every company, to join in SQL views.

    Usage: ``JOIN %(today)s ON ar_today.company_id = aml.company_id`` then
    ``ar_today.today`` wherever the query needs the company's date. ``today``
    forces one date for all (a run of one company on its own date).
    """
    companies = (
        env["res.company"]
        .sudo()
        .with_context(active_test=False)
        .search_fetch([], ["partner_id"])
    )
    # Only the time zones: a list reads this on every page.
    companies.partner_id.fetch(["tz"])
    rows = [
        SQL("(%s, %s::date)", company.id, today or company_today(env, company))
        for company in companies
    ] or [SQL("(NULL::int, NULL::date)")]
    return SQL(
        "(VALUES %s) AS %s(company_id, today)",
        SQL(", ").join(rows),
        SQL.identifier(alias),
    )


# --------------------------------------------------------------------------
# SQL: conditions on ``account_move_line`` (alias ``aml``) joined with its
# ``account_account`` (alias ``account``).
# --------------------------------------------------------------------------


def receivable_sql(aml="aml", account="account"):
    """A posted receivable journal item that follow-up may look at."""
    return SQL(
        "%(aml)s.parent_state = 'posted' "
        "AND %(account)s.account_type = 'asset_receivable' "
        "AND %(aml)s.no_followup IS NOT TRUE",
        aml=SQL.identifier(aml),
        account=SQL.identifier(account),
    )


def open_sql(aml="aml", account="account"):
    """A receivable line still open: part of what the customer owes."""
    return SQL(
        "%(receivable)s AND %(aml)s.reconciled IS NOT TRUE "
        "AND %(aml)s.amount_residual != 0",
        receivable=receivable_sql(aml, account),
        aml=SQL.identifier(aml),
    )


def chased_sql(aml="aml", account="account"):
    """An open line the customer has to pay (positive residual)."""
    return SQL(
        "%(receivable)s AND %(aml)s.reconciled IS NOT TRUE "
        "AND %(aml)s.amount_residual > 0",
        receivable=receivable_sql(aml, account),
        aml=SQL.identifier(aml),
    )


def due_date_sql(aml="aml"):
    """The line's due date: its maturity, else the date of its entry."""
    return SQL("COALESCE(%(aml)s.date_maturity, %(aml)s.date)", aml=SQL.identifier(aml))


def open_lines_sql(env, extra=None, today=None):
    """The open lines as a table, with each company's today and the disputes.

    Columns: ``id`` (the journal item), ``move_id``, ``partner_id``,
    ``company_id``, ``currency_id``, ``date`` (of the entry), ``date_due``,
    ``today`` (the company's), ``amount_residual`` (company currency),
    ``amount_residual_currency`` (document currency), ``amount_disputed``
    and ``amount_disputed_currency`` (the part of the line in open dispute),
    ``is_handed_over`` (an agency or legal chases it now), ``amount_chased``
    and ``amount_chased_currency`` (positive residual less dispute; nothing
    once handed over), ``is_overdue`` (something chased, due before the
    company's today).
    ``extra`` (SQL on ``aml``) narrows the lines (e.g. one company);
    ``today`` forces the date (the run of one company on its own date).
    Customers to follow up, the worklist, the aging, the credit holds and
    the daily run all read this table.
    """
    due = due_date_sql()
    # The dispute amount left after the earlier lines of the same invoice.
    before = SQL(
        "COALESCE(SUM(aml.amount_residual_currency) OVER ("
        "PARTITION BY aml.move_id ORDER BY %s, aml.id "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)",
        due,
    )
    disputed_currency = SQL(
        "CASE WHEN aml.amount_residual > 0 AND dispute.amount IS NOT NULL "
        "THEN GREATEST(LEAST(aml.amount_residual_currency, dispute.amount - %s), 0) "
        "ELSE 0 END",
        before,
    )
    return SQL(
        """
        (SELECT line.*,
                CASE WHEN line.is_handed_over THEN 0
                     ELSE GREATEST(line.amount_residual - line.amount_disputed, 0)
                END AS amount_chased,
                CASE WHEN line.is_handed_over THEN 0
                     ELSE GREATEST(line.amount_residual_currency
                                   - line.amount_disputed_currency, 0)
                END AS amount_chased_currency,
                NOT line.is_handed_over
                    AND line.amount_residual - line.amount_disputed > 0
                    AND line.date_due < line.today AS is_overdue
           FROM (SELECT aml.id, aml.move_id, aml.partner_id, aml.company_id,
                        aml.currency_id, aml.date, %(due)s AS date_due,
                        ar_today.today,
                        aml.amount_residual, aml.amount_residual_currency,
                        aml.amount_residual > 0
                            AND move.ar_handover_state IS NOT NULL
                            AS is_handed_over,
                        %(disputed_currency)s AS amount_disputed_currency,
                        CASE WHEN aml.amount_residual_currency != 0
                             THEN ROUND(%(disputed_currency)s * aml.amount_residual
                                        / aml.amount_residual_currency, 2)
                             ELSE 0 END AS amount_disputed
                   FROM account_move_line aml
                   JOIN account_move move ON move.id = aml.move_id
                   JOIN account_account account ON account.id = aml.account_id
                   JOIN %(today_table)s ON ar_today.company_id = aml.company_id
              LEFT JOIN (SELECT move_id, SUM(amount_disputed) AS amount
                           FROM ar_dispute
                          WHERE state = 'open'
                          GROUP BY move_id) dispute
                     ON dispute.move_id = aml.move_id
                  WHERE %(open)s AND %(extra)s) line)
        """,
        due=due,
        disputed_currency=disputed_currency,
        today_table=company_today_sql(env, today=today),
        open=open_sql(),
        extra=extra or SQL("TRUE"),
    )


# --------------------------------------------------------------------------
# The same definitions as ``account.move.line`` domains.
# --------------------------------------------------------------------------

# A posted receivable line with something left to pay, flagged or not
# (Python twin: ``is_unpaid_line``).
UNPAID_DOMAIN = [
    ("parent_state", "=", "posted"),
    ("account_id.account_type", "=", "asset_receivable"),
    ("reconciled", "=", False),
    ("amount_residual", ">", 0),
]
# Chased: unpaid and without Odoo's "No Follow-Up" flag (``chased_sql``).
CHASED_DOMAIN = [*UNPAID_DOMAIN, ("no_followup", "=", False)]
# What would be chased but for the flag.
EXCLUDED_DOMAIN = [*UNPAID_DOMAIN, ("no_followup", "=", True)]


def overdue_domain(today):
    """Chased lines due before ``today`` (maturity, else the entry's date)."""
    return [
        *CHASED_DOMAIN,
        "|",
        ("date_maturity", "<", today),
        "&",
        ("date_maturity", "=", False),
        ("date", "<", today),
    ]


def line_due_date(line):
    """Python twin of ``due_date_sql`` for one ``account.move.line``."""
    return line.date_maturity or line.date


def is_unpaid_line(line):
    """A posted receivable line with something left to pay, flagged or not."""
    return (
        line.parent_state == "posted"
        and line.account_type == "asset_receivable"
        and not line.reconciled
        and line.company_currency_id.compare_amounts(line.amount_residual, 0) > 0
    )


# What the SQL above reads, for the ``_depends`` of the views built on it.
LINE_DEPENDS = [
    "account_id",
    "amount_residual",
    "amount_residual_currency",
    "company_id",
    "currency_id",
    "date",
    "date_maturity",
    "move_id",
    "no_followup",
    "parent_state",
    "partner_id",
    "reconciled",
]
DEPENDS = {
    "account.move.line": LINE_DEPENDS,
    "account.move": ["ar_handover_state"],
    "ar.dispute": ["amount_disputed", "move_id", "state"],
}


def view_depends(**more):
    """``_depends`` of a customer-level view over ``open_lines_sql``: the
    lines, the documents' follow-up state, the customer's collections fields
    and open commitments, plus ``more`` (model name with dots as "_")."""
    depends = {
        **DEPENDS,
        "account.move": [
            "ar_date_next_action",
            "ar_followup_paused",
            "ar_handover_state",
            "ar_level_id",
        ],
        "res.partner": [
            "ar_collector_id",
            "ar_credit_hold",
            "ar_snooze_until",
            "user_id",
        ],
        "ar.followup.level": ["policy_id", "sequence"],
        "ar.dispute": [
            "amount_disputed",
            "company_id",
            "move_id",
            "partner_id",
            "state",
        ],
        "ar.promise": ["company_id", "partner_id", "state"],
    }
    for model, names in more.items():
        model = model.replace("_", ".")
        depends[model] = sorted(set(depends.get(model, [])) | set(names))
    return depends
