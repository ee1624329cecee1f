"""EXPLAIN (ANALYZE, BUFFERS) of the queries of the customers list's first page.

Usage::

    python3 bench/list_explain.py -d arc_speed_ar_100k

Reads the first page as ``bench/run.py --engine list`` does (list view
fields, 80 rows by overdue amount, as admin) once to warm up, then again with
every SELECT it runs recorded, and prints each with its plan. Read-only: the
transaction is rolled back.
"""

from common import base_parser, load_odoo, say
from run import list_fields


def first_page(env):
    admin = env.ref("base.user_admin")
    companies = env["res.company"].search([])
    customers = (
        env["ar.followup.customer"]
        .with_user(admin)
        .with_context(allowed_company_ids=companies.ids)
    )
    fields = list_fields(env)
    return lambda: customers.search_read(
        [], fields, limit=80, order="amount_overdue desc"
    )


def main():
    parser = base_parser(__doc__.splitlines()[0])
    args = parser.parse_args()
    registry = load_odoo(args)
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        read = first_page(env)
        read()
        env.invalidate_all()
        recorded = []
        execute = type(cr).execute

        def record(self, query, params=None, log_exceptions=True):
            recorded.append((query, params))
            return execute(self, query, params, log_exceptions)

        type(cr).execute = record
        try:
            read()
        finally:
            type(cr).execute = execute
        for query, params in recorded:
            text = cr.mogrify(*((query, params) if params else (query,)))
            text = text.decode() if isinstance(text, bytes) else text
            if not text.lstrip().upper().startswith("SELECT"):
                say(f"-- not a SELECT: {text[:200]}")
                continue
            cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {text}")
            say("-- " + text.replace("\n", " ")[:600])
            say("\n".join(row[0] for row in cr.fetchall()))
            say("")
        cr.rollback()


if __name__ == "__main__":
    main()
