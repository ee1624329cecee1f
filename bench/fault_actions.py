"""What the fault check does inside Odoo besides the runs themselves.

Usage::

    python3 bench/fault_actions.py -d arc_fault_kill fees
    python3 bench/fault_actions.py -d arc_fault_kill send-now --count 6
    python3 bench/fault_actions.py -d arc_fault_kill run-now
    python3 bench/fault_actions.py -d arc_fault_queue queue-on

- ``users``: the collector and the manager of the main company (created
  before the runs: creating users while others are created fails);
- ``fees``: a fixed late fee (per invoice, once) on the first level of the
  second company's default policy, one fee invoice per customer, so that the
  run charges real fee invoices;
- ``send-now``: a collector's "Send reminder now" for ``--count`` due
  customers picked at random, each in its own transaction, as from the form;
- ``run-now``: a manager's "Run now" of the main company;
- ``queue-on``: every company's run on the job queue;
- ``daily-run``: the scheduled daily run (on the queue: cuts it into jobs);
- ``list-check``: *Customers to follow up* as the next read shows it (the
  marked customers computed again), compared with a fresh computation from
  the journal items: the rows that differ or are missing.

Prints one line ``RESULT {json}`` with what happened.
"""

import json
import random

from common import base_parser, environment, load_odoo, say


def add_fees(env):
    """Fees in the second company (its customers come first in the run), one
    fee invoice per customer and run: real fee documents in every batch of
    it, without making the whole check as slow as posting thousands."""
    rules = 0
    main = env.ref("base.main_company")
    for policy in env["ar.followup.policy"].search(
        [("is_default", "=", True), ("company_id", "!=", main.id)]
    ):
        policy.company_id.ar_fee_grouping = "partner"
        rule = env["ar.fee.rule"].create(
            {
                "name": "Fault check reminder fee",
                "company_id": policy.company_id.id,
                "currency_id": policy.company_id.currency_id.id,
                "fee_type": "fixed",
                "amount_fixed": 15.0,
                "fixed_per": "invoice",
            }
        )
        policy._get_levels()[:1].fee_rule_ids = rule
        rules += 1
    return {"fee_rules": rules}


def user(env, login, group):
    """A user of the main company in ``group`` (created once)."""
    found = env["res.users"].search([("login", "=", login)])
    if found:
        return found
    company = env.ref("base.main_company")
    return env["res.users"].create(
        {
            "name": login.replace("_", " ").title(),
            "login": login,
            "company_id": company.id,
            "company_ids": [(6, 0, company.ids)],
            "group_ids": [
                (4, env.ref("account.group_account_invoice").id),
                (4, env.ref(group).id),
            ],
        }
    )


def send_now(registry, count, seed):
    """``count`` reminders sent by hand while the run goes on."""
    from odoo.exceptions import UserError  # noqa: PLC0415

    with environment(registry) as env:
        collector = user(
            env, "fault_collector", "ar_collections.ar_collections_group_user"
        )
        company = env.ref("base.main_company")
        env.cr.execute(
            "SELECT DISTINCT aml.partner_id FROM account_move_line aml "
            "  JOIN account_account a ON a.id = aml.account_id "
            " WHERE a.account_type = 'asset_receivable' AND aml.company_id = %s "
            "   AND aml.amount_residual > 0 AND aml.date_maturity < CURRENT_DATE - 20"
            " ORDER BY 1",
            [company.id],
        )
        partner_ids = [row[0] for row in env.cr.fetchall()]
    picked = random.Random(seed).sample(partner_ids, min(count, len(partner_ids)))
    sent, refused = [], []
    for partner_id in picked:
        with environment(registry) as env:
            collector = env["res.users"].search([("login", "=", "fault_collector")])
            wizard_model = (
                env["ar.followup.send"]
                .with_user(collector)
                .with_company(company.id)
                .with_context(active_model="res.partner", active_ids=[partner_id])
            )
            try:
                wizard_model.create({}).action_send()
                sent.append(partner_id)
            except UserError as error:
                env.cr.rollback()
                refused.append((partner_id, str(error)[:80]))
    return {"sent": sent, "refused": refused}


def run_now(env):
    """The manager's click, as the web client's call runs it: through Odoo's
    ``retrying`` (a transaction that meets a concurrent update is rolled
    back and played again, up to five times)."""
    from odoo.exceptions import UserError  # noqa: PLC0415
    from odoo.service.model import retrying  # noqa: PLC0415

    manager = user(env, "fault_manager", "ar_collections.ar_collections_group_manager")
    env.cr.commit()
    attempts = []

    def click():
        attempts.append(1)
        env["ar.followup.run"].with_user(manager).action_run_now()

    try:
        retrying(click, env)
        return {"run_now": "ran", "attempts": len(attempts)}
    except UserError as error:
        return {"run_now": f"refused: {str(error)[:100]}", "attempts": len(attempts)}


def list_check(env):
    """Rows of the stored list that differ from a fresh computation (both
    ways: wrong or stale rows, and missing ones), after the read's refresh."""
    from odoo.tools import SQL  # noqa: PLC0415

    from odoo.addons.ar_collections.models.ar_followup_customer_refresh import (  # noqa: PLC0415
        COLUMNS,
    )

    model = env["ar.followup.customer"]
    model._ar_refresh()
    columns = SQL(", ").join(SQL.identifier(column) for column in COLUMNS)
    env.cr.execute(
        SQL(
            "SELECT COUNT(*) FROM ((SELECT %(columns)s FROM (%(fresh)s) f "
            "EXCEPT SELECT %(columns)s FROM ar_followup_customer) UNION ALL "
            "(SELECT %(columns)s FROM ar_followup_customer "
            "EXCEPT SELECT %(columns)s FROM (%(fresh)s) f)) d",
            columns=columns,
            fresh=model._figures_sql(),
        )
    )
    off = env.cr.fetchone()[0]
    env.cr.execute(SQL("SELECT COUNT(*) FROM ar_followup_customer"))
    return {"list_rows_off": off, "list_rows": env.cr.fetchone()[0]}


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument(
        "action",
        choices=(
            "users",
            "fees",
            "send-now",
            "run-now",
            "queue-on",
            "daily-run",
            "list-check",
        ),
    )
    parser.add_argument("--count", type=int, default=6)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    registry = load_odoo(args)
    if args.action == "send-now":
        result = send_now(registry, args.count, args.seed)
    else:
        with environment(registry) as env:
            if args.action == "users":
                result = {
                    "users": [
                        user(env, login, group).id
                        for login, group in (
                            (
                                "fault_collector",
                                "ar_collections.ar_collections_group_user",
                            ),
                            (
                                "fault_manager",
                                "ar_collections.ar_collections_group_manager",
                            ),
                        )
                    ]
                }
            elif args.action == "fees":
                result = add_fees(env)
            elif args.action == "run-now":
                result = run_now(env)
            elif args.action == "list-check":
                result = list_check(env)
            elif args.action == "daily-run":
                env["ar.followup.run"]._cron_daily_run()
                result = {"daily_run": "started"}
            else:
                env["res.company"].search([]).ar_run_on_queue = True
                result = {"queue": True}
    say("RESULT " + json.dumps(result, default=str))


if __name__ == "__main__":
    main()
