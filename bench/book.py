"""Build a synthetic receivables book for the benchmarks.

Usage (the database must have ``ar_collections`` and OCA's
``account_credit_control`` installed, without demo data)::

    python3 bench/book.py -d arc_bench_book_10k --invoices 10000

What it makes, deterministically from ``--seed`` (dates are relative to the
day the book is built):

- a second company "Bench Europe" (EUR) with Odoo's generic chart, EUR and
  GBP rates in both companies, the follow-up policy of ``ar_collections``
  for both companies and an equivalent six-level OCA credit control policy;
- ``--customers`` companies (default: one per five invoices), each with an
  email address except one in a hundred; one in five invoices in the second
  company;
- ``--invoices`` posted customer invoices, due 0 to 180 days ago, in USD, EUR
  or GBP, each with a receivable and an income line; a quarter of them
  partially paid by a bank entry reconciled with the invoice.

Customers, invoices and payments are written with bulk SQL (one statement
per table and chunk of 20,000 rows) rather than the ORM: creating and posting
100,000 invoices with the ORM takes a long time, the SQL takes seconds.
The rows are what posting would leave: balanced lines, the receivable line
due on ``date_maturity`` with its residuals, ``parent_state = 'posted'``,
invoice totals, ``payment_state``, and ``account_partial_reconcile`` rows with
matching numbers for the payments.
"""

import random
import time
from datetime import date, timedelta

from common import Measure, base_parser, environment, load_odoo, say

CHUNK = 20_000
# Units of each currency for one unit of the company currency.
RATES = {
    "USD": {"EUR": 0.92, "GBP": 0.79},
    "EUR": {"USD": 1.087, "GBP": 0.86},
}
CURRENCY_MIX = {
    "USD": [("USD", 70), ("EUR", 20), ("GBP", 10)],
    "EUR": [("EUR", 80), ("USD", 15), ("GBP", 5)],
}
LEVEL_DELAYS = [3, 15, 30, 45, 60, 90]  # as ar_collections' standard policy


# ----------------------------------------------------------------------
# Configuration with the ORM
# ----------------------------------------------------------------------


def setup_companies(env):
    """Main company (USD) and a second one (EUR) with a chart and rates."""
    main = env.ref("base.main_company")
    currencies = env["res.currency"].with_context(active_test=False)
    codes = {c: currencies.search([("name", "=", c)]) for c in ("USD", "EUR", "GBP")}
    codes["EUR"].active = codes["GBP"].active = True
    second = env["res.company"].search([("name", "=", "Bench Europe")])
    if not second:
        second = env["res.company"].create(
            {"name": "Bench Europe", "currency_id": codes["EUR"].id}
        )
        env["account.chart.template"].try_loading(
            "generic_coa", second, install_demo=False
        )
    env.user.company_ids |= second
    env.ref("base.user_admin").company_ids |= second
    for company in main | second:
        for code, rate in RATES[company.currency_id.name].items():
            env["res.currency.rate"].create(
                {
                    "name": date.today() - timedelta(days=400),
                    "currency_id": codes[code].id,
                    "company_id": company.id,
                    "rate": rate,
                }
            )
    return main | second, codes


def setup_policies(env, companies):
    """Our standard policy in both companies; an equivalent OCA policy."""
    policy = env.ref("ar_collections.ar_followup_policy_default")
    policies = policy
    second = companies[1]
    if not env["ar.followup.policy"].search([("company_id", "=", second.id)]):
        copy = policy.copy(
            {"company_id": second.id, "name": "Standard follow-up (Europe)"}
        )
        copy.level_ids.fee_rule_ids = False
        copy.is_default = True
        policies |= copy
    # No bank statements in the book: don't let the statement gate stop the run.
    env["ar.followup.policy"].search([]).statement_max_age_days = 0
    if "credit.control.policy" in env:
        setup_oca_policy(env, companies)
    return policies


def setup_oca_policy(env, companies):
    """Six email levels at the same delays as ours, on both receivables."""
    template = env.ref("account_credit_control.email_template_credit_control_base")
    receivables = env["account.account"]
    for company in companies:
        receivables |= company.partner_id.with_company(
            company
        ).property_account_receivable_id
    oca = env["credit.control.policy"].create(
        {
            "name": "Bench: six levels",
            "account_ids": [(6, 0, receivables.ids)],
            "level_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"{delay} days net",
                        "level": index,
                        "computation_mode": "net_days",
                        "delay_days": delay,
                        "email_template_id": template.id,
                        "channel": "email",
                        "custom_text": "Please pay.",
                        "custom_mail_text": "<p>Please pay.</p>",
                    },
                )
                for index, delay in enumerate(LEVEL_DELAYS, start=1)
            ],
        }
    )
    companies.credit_policy_id = oca


def company_accounts(env, company):
    """Receivable, income and bank accounts and the two journals."""
    journals = env["account.journal"].search([("company_id", "=", company.id)])
    sale = journals.filtered(lambda j: j.type == "sale")[:1]
    bank = journals.filtered(lambda j: j.type == "bank")[:1]
    return {
        "company": company.id,
        "currency": company.currency_id.name,
        "receivable": company.partner_id.with_company(
            company
        ).property_account_receivable_id.id,
        "income": sale.default_account_id.id,
        "bank": bank.default_account_id.id,
        "sale": sale.id,
        "bank_journal": bank.id,
    }


# ----------------------------------------------------------------------
# Bulk SQL
# ----------------------------------------------------------------------


def next_ids(cr, table, count):
    cr.execute(
        f"SELECT nextval('{table}_id_seq') FROM generate_series(1, %s)", (count,)
    )
    return [row[0] for row in cr.fetchall()]


def bulk_insert(cr, table, columns):
    """Insert rows given as ``{column: (pg type, values)}`` with unnest()."""
    names = list(columns)
    total = len(next(iter(columns.values()))[1])
    for start in range(0, total, CHUNK):
        arrays = [columns[n][1][start : start + CHUNK] for n in names]
        casts = ", ".join(f"%s::{columns[n][0]}[]" for n in names)
        cr.execute(
            f"INSERT INTO {table} ({', '.join(names)}) SELECT * FROM unnest({casts})",
            arrays,
        )


def insert_partners(cr, count, rng):
    ids = next_ids(cr, "res_partner", count)
    names = [f"Bench Customer {i:06d}" for i in range(count)]
    emails = [
        None if rng.random() < 0.01 else f"ar{i:06d}@bench.example.com"
        for i in range(count)
    ]
    bulk_insert(
        cr,
        "res_partner",
        {
            "id": ("int", ids),
            "name": ("varchar", names),
            "complete_name": ("varchar", names),
            "email": ("varchar", emails),
            "email_normalized": ("varchar", emails),
            "commercial_partner_id": ("int", ids),
            "active": ("bool", [True] * count),
            "is_company": ("bool", [True] * count),
            "partner_share": ("bool", [True] * count),
            "type": ("varchar", ["contact"] * count),
            "lang": ("varchar", ["en_US"] * count),
            "customer_rank": ("int", [1] * count),
            "supplier_rank": ("int", [0] * count),
            "autopost_bills": ("varchar", ["ask"] * count),
            "create_uid": ("int", [1] * count),
            "write_uid": ("int", [1] * count),
        },
    )
    cr.execute(
        "UPDATE res_partner SET create_date = now() at time zone 'utc', "
        "write_date = now() at time zone 'utc' WHERE id = ANY(%s)",
        (ids,),
    )
    return ids


def plan_invoices(rng, count, partner_ids, companies):
    """Plain values of every invoice, deterministic for the seed."""
    today = date.today()
    invoices = []
    for index in range(count):
        partner_index = (
            index if index < len(partner_ids) else rng.randrange(len(partner_ids))
        )
        company = companies[1] if partner_index % 5 == 4 else companies[0]
        mix = CURRENCY_MIX[company["currency"]]
        currency = rng.choices([c for c, _w in mix], [w for _c, w in mix])[0]
        rate = RATES[company["currency"]].get(currency, 1.0)
        amount = round(min(max(rng.lognormvariate(6.5, 1.1), 20), 50_000), 2)
        due = today - timedelta(days=rng.randint(0, 180))
        paid = 0.0
        if rng.random() < 0.25:
            paid = round(amount * rng.uniform(0.1, 0.9), 2)
        invoices.append(
            {
                "partner": partner_ids[partner_index],
                "company": company,
                "currency": currency,
                "rate": rate,
                "amount": amount,
                "balance": round(amount / rate, 2),
                "paid": paid,
                "paid_balance": round(paid / rate, 2),
                "due": due,
                "date": due - timedelta(days=30),
                "date_paid": min(due + timedelta(days=rng.randint(-20, 40)), today),
            }
        )
    return invoices


def insert_moves(cr, invoices, currency_ids, kind):
    """account_move rows of invoices (``kind='invoice'``) or their payments."""
    ids = next_ids(cr, "account_move", len(invoices))
    is_invoice = kind == "invoice"
    prefix = "BINV" if is_invoice else "BPAY"
    names = [
        f"{prefix}/{inv['company']['company']}/{i:06d}"
        for i, inv in enumerate(invoices)
    ]
    n = len(invoices)
    residual = [inv["amount"] - inv["paid"] for inv in invoices]
    residual_balance = [inv["balance"] - inv["paid_balance"] for inv in invoices]
    amount = [inv["amount"] if is_invoice else inv["paid"] for inv in invoices]
    balance = [
        inv["balance"] if is_invoice else inv["paid_balance"] for inv in invoices
    ]
    columns = {
        "id": ("int", ids),
        "name": ("varchar", names),
        "sequence_prefix": (
            "varchar",
            [f"{prefix}/{inv['company']['company']}/" for inv in invoices],
        ),
        "sequence_number": ("int", list(range(n))),
        "state": ("varchar", ["posted"] * n),
        "move_type": ("varchar", ["out_invoice" if is_invoice else "entry"] * n),
        "auto_post": ("varchar", ["no"] * n),
        "journal_id": (
            "int",
            [
                inv["company"]["sale" if is_invoice else "bank_journal"]
                for inv in invoices
            ],
        ),
        "company_id": ("int", [inv["company"]["company"] for inv in invoices]),
        "currency_id": ("int", [currency_ids[inv["currency"]] for inv in invoices]),
        "partner_id": ("int", [inv["partner"] for inv in invoices]),
        "commercial_partner_id": ("int", [inv["partner"] for inv in invoices]),
        "date": (
            "date",
            [inv["date"] if is_invoice else inv["date_paid"] for inv in invoices],
        ),
        "amount_total": ("numeric", amount),
        "amount_total_signed": ("numeric", balance),
        "amount_total_in_currency_signed": ("numeric", amount),
        "amount_untaxed": ("numeric", amount),
        "amount_untaxed_signed": ("numeric", balance),
        "amount_untaxed_in_currency_signed": ("numeric", amount),
        "amount_tax": ("numeric", [0] * n),
        "amount_tax_signed": ("numeric", [0] * n),
        "amount_residual": ("numeric", residual if is_invoice else [0] * n),
        "amount_residual_signed": (
            "numeric",
            residual_balance if is_invoice else [0] * n,
        ),
        "invoice_currency_rate": ("numeric", [inv["rate"] for inv in invoices]),
        "checked": ("bool", [True] * n),
        "posted_before": ("bool", [True] * n),
        "create_uid": ("int", [1] * n),
        "write_uid": ("int", [1] * n),
    }
    if is_invoice:
        columns.update(
            {
                "invoice_date": ("date", [inv["date"] for inv in invoices]),
                "invoice_date_due": ("date", [inv["due"] for inv in invoices]),
                "ar_date_due": ("date", [inv["due"] for inv in invoices]),
                "payment_reference": ("varchar", names),
                "partner_shipping_id": ("int", [inv["partner"] for inv in invoices]),
                "payment_state": (
                    "varchar",
                    ["partial" if inv["paid"] else "not_paid" for inv in invoices],
                ),
                "is_move_sent": ("bool", [True] * n),
            }
        )
    else:
        columns["payment_state"] = ("varchar", ["not_paid"] * n)
    bulk_insert(cr, "account_move", columns)
    return ids, names


def line_columns(rows):
    """Columns of account_move_line rows given as dicts."""
    keys = {
        "id": "int",
        "move_id": "int",
        "move_name": "varchar",
        "date": "date",
        "parent_state": "varchar",
        "journal_id": "int",
        "company_id": "int",
        "company_currency_id": "int",
        "currency_id": "int",
        "account_id": "int",
        "partner_id": "int",
        "display_type": "varchar",
        "name": "varchar",
        "sequence": "int",
        "quantity": "numeric",
        "price_unit": "numeric",
        "price_subtotal": "numeric",
        "price_total": "numeric",
        "discount": "numeric",
        "debit": "numeric",
        "credit": "numeric",
        "balance": "numeric",
        "amount_currency": "numeric",
        "amount_residual": "numeric",
        "amount_residual_currency": "numeric",
        "reconciled": "bool",
        "date_maturity": "date",
        "invoice_date": "date",
        "matching_number": "varchar",
        "no_followup": "bool",
        "create_uid": "int",
        "write_uid": "int",
    }
    return {
        key: (pg_type, [row.get(key) for row in rows]) for key, pg_type in keys.items()
    }


def invoice_lines(cr, invoices, move_ids, names, currency_ids, company_currency):
    """A receivable (debit) and an income (credit) line per invoice."""
    ids = next_ids(cr, "account_move_line", 2 * len(invoices))
    rows = []
    for i, inv in enumerate(invoices):
        company = inv["company"]
        common = {
            "move_id": move_ids[i],
            "move_name": names[i],
            "date": inv["date"],
            "invoice_date": inv["date"],
            "parent_state": "posted",
            "journal_id": company["sale"],
            "company_id": company["company"],
            "company_currency_id": company_currency[company["company"]],
            "currency_id": currency_ids[inv["currency"]],
            "partner_id": inv["partner"],
            "no_followup": False,
            "reconciled": False,
            "discount": 0,
            "create_uid": 1,
            "write_uid": 1,
        }
        rows.append(
            dict(
                common,
                id=ids[2 * i],
                account_id=company["receivable"],
                display_type="payment_term",
                name=names[i],
                sequence=10,
                debit=inv["balance"],
                credit=0,
                balance=inv["balance"],
                amount_currency=inv["amount"],
                amount_residual=round(inv["balance"] - inv["paid_balance"], 2),
                amount_residual_currency=round(inv["amount"] - inv["paid"], 2),
                date_maturity=inv["due"],
            )
        )
        rows.append(
            dict(
                common,
                id=ids[2 * i + 1],
                account_id=company["income"],
                display_type="product",
                name="Services",
                sequence=10,
                quantity=1,
                price_unit=inv["amount"],
                price_subtotal=inv["amount"],
                price_total=inv["amount"],
                debit=0,
                credit=inv["balance"],
                balance=-inv["balance"],
                amount_currency=-inv["amount"],
                amount_residual=0,
                amount_residual_currency=0,
            )
        )
    bulk_insert(cr, "account_move_line", line_columns(rows))
    return ids[0::2]


def payment_lines(cr, paid, move_ids, names, currency_ids, company_currency):
    """Bank (debit) and receivable (credit, fully matched) line per payment."""
    ids = next_ids(cr, "account_move_line", 2 * len(paid))
    rows = []
    for i, inv in enumerate(paid):
        company = inv["company"]
        common = {
            "move_id": move_ids[i],
            "move_name": names[i],
            "date": inv["date_paid"],
            "parent_state": "posted",
            "journal_id": company["bank_journal"],
            "company_id": company["company"],
            "company_currency_id": company_currency[company["company"]],
            "currency_id": currency_ids[inv["currency"]],
            "partner_id": inv["partner"],
            "display_type": "product",
            "name": f"Payment {inv['partner']}",
            "sequence": 10,
            "discount": 0,
            "no_followup": False,
            "create_uid": 1,
            "write_uid": 1,
        }
        rows.append(
            dict(
                common,
                id=ids[2 * i],
                account_id=company["bank"],
                debit=inv["paid_balance"],
                credit=0,
                balance=inv["paid_balance"],
                amount_currency=inv["paid"],
                amount_residual=0,
                amount_residual_currency=0,
                reconciled=False,
            )
        )
        rows.append(
            dict(
                common,
                id=ids[2 * i + 1],
                account_id=company["receivable"],
                debit=0,
                credit=inv["paid_balance"],
                balance=-inv["paid_balance"],
                amount_currency=-inv["paid"],
                amount_residual=0,
                amount_residual_currency=0,
                reconciled=True,
            )
        )
    bulk_insert(cr, "account_move_line", line_columns(rows))
    return ids[1::2]


def reconcile(cr, paid, invoice_line_ids, payment_line_ids, currency_ids):
    """Partial reconciliations and the matching numbers Odoo gives them."""
    ids = next_ids(cr, "account_partial_reconcile", len(paid))
    currencies = [currency_ids[inv["currency"]] for inv in paid]
    bulk_insert(
        cr,
        "account_partial_reconcile",
        {
            "id": ("int", ids),
            "debit_move_id": ("int", invoice_line_ids),
            "credit_move_id": ("int", payment_line_ids),
            "amount": ("numeric", [inv["paid_balance"] for inv in paid]),
            "debit_amount_currency": ("numeric", [inv["paid"] for inv in paid]),
            "credit_amount_currency": ("numeric", [inv["paid"] for inv in paid]),
            "debit_currency_id": ("int", currencies),
            "credit_currency_id": ("int", currencies),
            "company_id": ("int", [inv["company"]["company"] for inv in paid]),
            "max_date": ("date", [inv["date_paid"] for inv in paid]),
            "create_uid": ("int", [1] * len(paid)),
            "write_uid": ("int", [1] * len(paid)),
        },
    )
    for side in ("debit_move_id", "credit_move_id"):
        cr.execute(
            f"""
            UPDATE account_move_line aml
               SET matching_number = 'P' || apr.id
              FROM account_partial_reconcile apr
             WHERE apr.id = ANY(%s)
               AND aml.id = apr.{side}
            """,
            (ids,),
        )


def build(env, invoice_count, customer_count, seed):
    rng = random.Random(seed)
    companies, currencies = setup_companies(env)
    setup_policies(env, companies)
    env.flush_all()
    accounts = [company_accounts(env, company) for company in companies]
    currency_ids = {code: cur.id for code, cur in currencies.items()}
    company_currency = {c.id: c.currency_id.id for c in companies}
    cr = env.cr
    partner_ids = insert_partners(cr, customer_count, rng)
    invoices = plan_invoices(rng, invoice_count, partner_ids, accounts)
    move_ids, names = insert_moves(cr, invoices, currency_ids, "invoice")
    receivable_ids = invoice_lines(
        cr, invoices, move_ids, names, currency_ids, company_currency
    )
    paid_index = [i for i, inv in enumerate(invoices) if inv["paid"]]
    paid = [invoices[i] for i in paid_index]
    pay_ids, pay_names = insert_moves(cr, paid, currency_ids, "payment")
    pay_lines = payment_lines(
        cr, paid, pay_ids, pay_names, currency_ids, company_currency
    )
    reconcile(
        cr, paid, [receivable_ids[i] for i in paid_index], pay_lines, currency_ids
    )
    cr.execute(
        "UPDATE account_move SET create_date = now() at time zone 'utc', "
        "write_date = now() at time zone 'utc', "
        "ar_days_overdue = CURRENT_DATE - ar_date_due WHERE create_date IS NULL"
    )
    cr.execute(
        "UPDATE account_move_line SET create_date = now() at time zone 'utc', "
        "write_date = now() at time zone 'utc' WHERE create_date IS NULL"
    )
    cr.execute(
        "UPDATE account_partial_reconcile SET create_date = now() at time zone "
        "'utc', write_date = now() at time zone 'utc' WHERE create_date IS NULL"
    )
    env.invalidate_all()
    return len(paid)


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, required=True)
    parser.add_argument("--customers", type=int)
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    customers = args.customers or max(args.invoices // 5, 1)
    registry = load_odoo(args)
    start = time.perf_counter()
    with environment(registry) as env, Measure() as measure:
        paid = build(env, args.invoices, customers, args.seed)
    say(
        f"book {args.database}: {args.invoices} invoices ({paid} partly paid), "
        f"{customers} customers, 2 companies, built in "
        f"{time.perf_counter() - start:.1f} s ({measure.queries} queries)"
    )
    with registry.cursor() as cr:
        cr.execute("ANALYZE")


if __name__ == "__main__":
    main()
