"""Keeping the stored customers to follow up in step with the books.

Triggers (created by :meth:`init`) write the customers whose figures may have
changed into ``ar_followup_customer_dirty``: whatever writes a receivable line
(posting, payment, reconciliation, unreconciliation, credit note, an import
in SQL), a document's follow-up fields (level, next action, pause,
hand-over), a dispute, a promise, a payment plan, or a customer's collections
fields. Before any search on ``ar.followup.customer`` those customers' rows,
and every row of a company whose day has turned since, are computed again
with :meth:`_figures_sql`: one grouped query for the customers concerned.
"""

import logging

import psycopg2.errors

from odoo import api, models
from odoo.tools import SQL, mute_logger

from . import receivable_scope as scope

_logger = logging.getLogger(__name__)

DIRTY = "ar_followup_customer_dirty"
# Columns of the stored rows, in the order of ``_figures_sql``.
COLUMNS = [
    "id",
    "partner_id",
    "company_id",
    "currency_id",
    "amount_due",
    "amount_overdue",
    "date_oldest_overdue",
    "days_overdue",
    "invoice_count",
    "level_id",
    "date_next_action",
    "collector_id",
    "policy_id",
    "credit_hold",
    "snooze_until",
    "salesperson_id",
    "commitment",
    "date_figures",
]
# (table, partner column, company column) whose every change marks a customer.
COMMITMENT_TABLES = [
    ("ar_dispute", "partner_id", "company_id"),
    ("ar_promise", "partner_id", "company_id"),
    ("ar_payment_plan", "partner_id", "company_id"),
]
# Columns of a journal item, and of a document, the figures read.
LINE_COLUMNS = scope.LINE_DEPENDS
MOVE_COLUMNS = [
    "ar_level_id",
    "ar_date_next_action",
    "ar_followup_paused",
    "ar_handover_state",
]
PARTNER_COLUMNS = [
    "ar_collector_id",
    "ar_policy_id",
    "ar_credit_hold",
    "ar_snooze_until",
    "user_id",
]


def _changed(columns, new="n", old="o"):
    """SQL text: one of ``columns`` differs between the new and old row."""
    return " OR ".join(
        f"{new}.{column} IS DISTINCT FROM {old}.{column}" for column in columns
    )


def _mark_function(name, body):
    return SQL(
        "CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN %s RETURN NULL; END $$",
        SQL.identifier(name),
        SQL(body),  # constant text of this module
    )


def _statement_triggers(table, prefix, insert=None, delete=None, update=None):
    """Statement triggers on ``table`` for the events given, each with its
    transition table (``n`` new rows, ``o`` old rows), running the SQL text."""
    queries = []
    for event, body, tables in (
        ("INSERT", insert, "NEW TABLE AS n"),
        ("DELETE", delete, "OLD TABLE AS o"),
        ("UPDATE", update, "OLD TABLE AS o NEW TABLE AS n"),
    ):
        if body is None:
            continue
        function = f"{prefix}_{event.lower()}"
        queries.append(_mark_function(function, body))
        queries.append(
            SQL(
                "DROP TRIGGER IF EXISTS %(trigger)s ON %(table)s; "
                "CREATE TRIGGER %(trigger)s AFTER %(event)s ON %(table)s "
                "REFERENCING %(tables)s FOR EACH STATEMENT "
                "EXECUTE FUNCTION %(function)s()",
                trigger=SQL.identifier(function),
                table=SQL.identifier(table),
                event=SQL(event),  # constant
                tables=SQL(tables),  # constant
                function=SQL.identifier(function),
            )
        )
    return queries


class ArFollowupCustomer(models.Model):
    # One file per job: ar.followup.customer is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.customer"

    def init(self):
        """The table of customers to compute again, and the triggers filling it.

        On an upgrade the triggers are replaced here; on an installation the
        tables of disputes, promises and plans come after this model and the
        triggers are created once they exist (``_register_hook``).
        """
        cr = self.env.cr
        tables = [table for table, _partner, _company in COMMITMENT_TABLES]
        cr.execute(SQL("SELECT COUNT(*) FROM pg_class WHERE relname = ANY(%s)", tables))
        if cr.fetchone()[0] == len(tables):
            self._ar_create_triggers()
        else:
            self._ar_create_dirty_table()
        # A new installation or an upgrade from the view: compute everything.
        cr.execute(SQL("SELECT 1 FROM ar_followup_customer LIMIT 1"))
        if not cr.fetchone():
            cr.execute(SQL("INSERT INTO %s VALUES (NULL, NULL)", SQL.identifier(DIRTY)))

    def _register_hook(self):
        super()._register_hook()
        self.env.cr.execute(
            SQL("SELECT 1 FROM pg_trigger WHERE tgname = 'ar_customer_mark_partner'")
        )
        if not self.env.cr.fetchone():
            self._ar_create_triggers()

    def _ar_create_dirty_table(self):
        self.env.cr.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS %s (partner_id int, company_id int)",
                SQL.identifier(DIRTY),
            )
        )

    def _ar_create_triggers(self):
        self._ar_create_dirty_table()
        insert = f"INSERT INTO {DIRTY} (partner_id, company_id) "
        for query in self._trigger_queries(insert):
            self.env.cr.execute(query)

    def _trigger_queries(self, insert):
        lines = (
            "SELECT DISTINCT {r}.partner_id, {r}.company_id FROM {t} {r} "
            "WHERE {r}.partner_id IS NOT NULL"
        )
        queries = _statement_triggers(
            "account_move_line",
            "ar_customer_mark_line",
            insert + lines.format(r="n", t="n") + ";",
            insert + lines.format(r="o", t="o") + ";",
            insert + "SELECT DISTINCT x.partner_id, x.company_id "
            "FROM n JOIN o ON o.id = n.id, LATERAL (VALUES "
            "(n.partner_id, n.company_id), (o.partner_id, o.company_id)) "
            "x(partner_id, company_id) WHERE x.partner_id IS NOT NULL "
            f"AND ({_changed(LINE_COLUMNS)});",
        )
        # A document's follow-up fields: a row trigger on those columns only.
        # A statement trigger would copy every updated document into its
        # transition tables (the run's daily update of days overdue, each
        # batch's levels): 4.7 of the 9.7 s of a 10k run. An invoice's
        # receivable lines carry its commercial partner; a journal entry's
        # (an opening balance) may carry several, read from its lines. A
        # document's state reaches its lines (``parent_state``), marked there.
        queries.append(
            SQL(
                "DROP TRIGGER IF EXISTS ar_customer_mark_move_update ON account_move; "
                "DROP FUNCTION IF EXISTS ar_customer_mark_move_update()"
            )
        )
        queries.append(
            _mark_function(
                "ar_customer_mark_move",
                "IF NEW.move_type = 'entry' THEN "
                + insert
                + "SELECT DISTINCT l.partner_id, l.company_id "
                "FROM account_move_line l WHERE l.move_id = NEW.id "
                "AND l.partner_id IS NOT NULL; "
                "ELSIF NEW.commercial_partner_id IS NOT NULL THEN "
                + insert
                + "VALUES (NEW.commercial_partner_id, NEW.company_id); "
                "END IF;",
            )
        )
        queries.append(
            SQL(
                "DROP TRIGGER IF EXISTS ar_customer_mark_move ON account_move; "
                "CREATE TRIGGER ar_customer_mark_move AFTER UPDATE OF %(columns)s "
                "ON account_move FOR EACH ROW "
                "WHEN (%(changed)s) "
                "EXECUTE FUNCTION ar_customer_mark_move()",
                columns=SQL(", ").join(SQL.identifier(c) for c in MOVE_COLUMNS),
                changed=SQL(_changed(MOVE_COLUMNS, "NEW", "OLD")),  # constant
            )
        )
        for table, partner, company in COMMITMENT_TABLES:
            rows = f"SELECT DISTINCT {partner}, {company} FROM {{r}};"
            queries += _statement_triggers(
                table,
                f"ar_customer_mark_{table}",
                insert + rows.format(r="n"),
                insert + rows.format(r="o"),
                insert + rows.format(r="n") + insert + rows.format(r="o"),
            )
        # A customer's collections fields: the customer in every company.
        queries.append(
            _mark_function(
                "ar_customer_mark_partner", insert + "VALUES (NEW.id, NULL);"
            )
        )
        queries.append(
            SQL(
                "DROP TRIGGER IF EXISTS ar_customer_mark_partner ON res_partner; "
                "CREATE TRIGGER ar_customer_mark_partner AFTER UPDATE ON res_partner "
                "FOR EACH ROW WHEN (%s) EXECUTE FUNCTION ar_customer_mark_partner()",
                SQL(_changed(PARTNER_COLUMNS, "NEW", "OLD")),  # constant
            )
        )
        # The order of the levels or the kind of an account: everything.
        queries.append(
            _mark_function("ar_customer_mark_all", insert + "VALUES (NULL, NULL);")
        )
        for table, columns in (
            ("ar_followup_level", ["sequence"]),
            ("account_account", ["account_type"]),
        ):
            trigger = f"ar_customer_mark_{table}"
            queries.append(
                SQL(
                    "DROP TRIGGER IF EXISTS %(trigger)s ON %(table)s; "
                    "CREATE TRIGGER %(trigger)s AFTER UPDATE ON %(table)s "
                    "FOR EACH ROW WHEN (%(changed)s) "
                    "EXECUTE FUNCTION ar_customer_mark_all()",
                    trigger=SQL.identifier(trigger),
                    table=SQL.identifier(table),
                    changed=SQL(_changed(columns, "NEW", "OLD")),  # constant
                )
            )
        return queries

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------

    @api.model
    def _search(self, domain, *args, **kwargs):
        self._ar_refresh()
        return super()._search(domain, *args, **kwargs)

    @api.model
    def _ar_refresh(self):
        """Compute again the rows of the customers marked since the last time,
        and every row of a company whose day has turned; commit-free and
        cheap when nothing changed (two indexed lookups)."""
        self.env.flush_all()  # the triggers see the pending writes
        cr = self.env.cr
        if cr.readonly:
            self._ar_check_fresh()
            return
        # Rows another transaction is refreshing are left to it.
        cr.execute(
            SQL(
                "DELETE FROM %(dirty)s WHERE ctid = ANY(ARRAY("
                "SELECT ctid FROM %(dirty)s FOR UPDATE SKIP LOCKED)) "
                "RETURNING partner_id, company_id",
                dirty=SQL.identifier(DIRTY),
            )
        )
        marked = cr.fetchall()
        if any(partner_id is None for partner_id, _company_id in marked):
            self._ar_compute(SQL("TRUE"), SQL("TRUE"))
            # Statistics of the new rows, for the plan of the first page.
            self.env.cr.execute(SQL("ANALYZE ar_followup_customer"))
            return
        partner_ids = sorted({partner_id for partner_id, _company_id in marked})
        if partner_ids:
            self._ar_compute(
                SQL("aml.partner_id = ANY(%s)", partner_ids),
                SQL("partner_id = ANY(%s)", partner_ids),
            )
        company_ids = self._ar_companies_past_their_day()
        if company_ids:
            self._ar_compute(
                SQL("aml.company_id = ANY(%s)", company_ids),
                SQL("company_id = ANY(%s)", company_ids),
            )

    @api.model
    def _ar_refresh_unless_busy(self):
        """The refresh of the daily run after each batch: when another
        transaction refreshes the same rows at that moment (a user opening
        the list, another worker), the batch goes on and the marks it leaves
        are computed by the next read, instead of the batch failing on the
        concurrent update."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint():
                self._ar_refresh()
        except (
            psycopg2.errors.SerializationFailure,
            psycopg2.errors.DeadlockDetected,
        ) as error:
            _logger.info("Customers to follow up left to the next read: %s", error)

    def _ar_check_fresh(self):
        """On a read-only cursor (a read of the web client that reaches this
        model, e.g. a customer's form): nothing to write is fine; rows to
        compute again make Odoo serve the request again on a read/write
        cursor, without the failed query it would otherwise log."""
        self.env.cr.execute(SQL("SELECT 1 FROM %s LIMIT 1", SQL.identifier(DIRTY)))
        if self.env.cr.fetchone() or self._ar_companies_past_their_day():
            raise psycopg2.errors.ReadOnlySqlTransaction(
                "Customers to follow up to compute again"
            )

    def _ar_companies_past_their_day(self):
        """Companies with rows computed on another day than their today."""
        self.env.cr.execute(
            SQL(
                # First and last day of each company: two probes of the
                # (company, day) index.
                "SELECT ar_today.company_id FROM %(today)s, LATERAL ("
                "SELECT MIN(c.date_figures) AS first, MAX(c.date_figures) AS last "
                "FROM ar_followup_customer c "
                "WHERE c.company_id = ar_today.company_id) days "
                "WHERE days.first < ar_today.today OR days.last > ar_today.today",
                today=scope.company_today_sql(self.env),
            )
        )
        return [company_id for (company_id,) in self.env.cr.fetchall()]

    def _ar_compute(self, lines, rows):
        """Replace the rows matching ``rows`` with the figures of the lines
        matching ``lines`` (SQL on ``aml``)."""
        columns = SQL(", ").join(SQL.identifier(column) for column in COLUMNS)
        self.env.cr.execute(SQL("DELETE FROM ar_followup_customer WHERE %s", rows))
        self.env.cr.execute(
            SQL(
                "INSERT INTO ar_followup_customer (%(columns)s) "
                "SELECT %(columns)s FROM (%(figures)s) figures "
                "ON CONFLICT (id) DO UPDATE SET %(update)s",
                columns=columns,
                figures=self._figures_sql(lines),
                update=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(c), SQL.identifier(c))
                    for c in COLUMNS[1:]
                ),
            )
        )
        self.invalidate_model()


# The web client reads lists on a read-only cursor (methods marked
# ``api.readonly``, all ``api.model``); a read of this model refreshes its
# stored rows first (``_search``), so its reads ask for a read/write cursor
# instead of failing and being retried.
REFRESHING_READS = [
    "formatted_read_group",
    "formatted_read_grouping_sets",
    "name_search",
    "read_progress_bar",
    "search",
    "search_count",
    "search_read",
    "web_name_search",
    "web_read_group",
    "web_search_read",
]


def _read_write(name):
    def method(self, *args, **kwargs):
        return getattr(super(ArFollowupCustomer, self), name)(*args, **kwargs)

    method.__name__ = name
    method._api_model = True
    method._readonly = False
    return method


for _name in REFRESHING_READS:
    setattr(ArFollowupCustomer, _name, _read_write(_name))
