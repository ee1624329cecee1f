"""Time one follow-up run on a book built by ``bench/book.py``.

Usage::

    python3 bench/run.py -d arc_bench_ar_10k --engine ar     # our daily run
    python3 bench/run.py -d arc_bench_oca_10k --engine oca   # OCA credit control
    python3 bench/run.py -d arc_bench_ar_10k --engine list   # customers list

Prints one line ``RESULT {json}`` with the wall time, the number of SQL
queries and the peak memory (max RSS) of this process, plus what the run
produced. Each run commits: use a fresh copy of the book every time.
"""

import json
import os
from datetime import date

from common import Measure, base_parser, environment, load_odoo, peak_rss_mib, say


def run_ar(env):
    """The scheduled actions, as the crons run them (committing each batch).

    First the daily run (decide, record the actions, queue the emails), then,
    timed apart, the job that writes the queued emails into Odoo's mail queue.
    """
    run_model = env["ar.followup.run"]
    with Measure() as measure:
        run_model._cron_daily_run()
    env.invalidate_all()
    with Measure() as emails_measure:
        env["ar.followup.action"]._cron_send_pending_emails()
    env.invalidate_all()
    runs = run_model.search([("date", "=", run_model._company_today(env.company))])
    env.cr.execute(
        "SELECT action_type, COUNT(*) FROM ar_followup_action GROUP BY 1 ORDER BY 1"
    )
    actions = dict(env.cr.fetchall())
    env.cr.execute("SELECT COUNT(*) FROM mail_mail")
    mails = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT COUNT(*) FROM ar_followup_action_line WHERE is_trigger AND "
        "origin = 'run'"
    )
    triggers = env.cr.fetchone()[0]
    return measure, {
        "customers": sum(runs.mapped("partner_done")),
        "runs": runs.mapped("state"),
        "errors": sum(runs.mapped("error_count")),
        "actions": actions,
        "invoices_leveled": triggers,
        "mails_queued": mails,
        "emails_s": round(emails_measure.seconds, 2),
        "emails_queries": emails_measure.queries,
    }


def run_oca(env):
    """OCA's credit control run for each company (and its emails if asked).

    With ``ARC_BENCH_OCA_EMAILS=1`` the lines are set to be sent and OCA's
    "Run channel action" renders and queues one email per communication.
    """
    companies = env["res.company"].search([])
    # OCA's template attaches a PDF summary to each email; our first-level
    # reminder attaches none: compare like with like.
    env.ref(
        "account_credit_control.email_template_credit_control_base"
    ).report_template_ids = False
    env.cr.commit()
    result = {}
    with Measure() as lines_measure:
        runs = env["credit.control.run"]
        for company in companies:
            run = (
                env["credit.control.run"]
                .with_company(company)
                .create(
                    {
                        "date": date.today(),
                        "company_id": company.id,
                        "policy_ids": [(6, 0, company.credit_policy_id.ids)],
                    }
                )
            )
            run.generate_credit_lines()
            env.cr.commit()
            runs |= run
    result["lines"] = len(runs.line_ids)
    if not os.environ.get("ARC_BENCH_OCA_EMAILS"):
        return lines_measure, result
    result["lines_s"] = round(lines_measure.seconds, 2)
    result["lines_queries"] = lines_measure.queries
    with Measure() as measure:
        for run in runs:
            run = run.with_company(run.company_id)
            run.set_to_ready_lines()
            run.run_channel_action()
            env.cr.commit()
    measure.seconds += lines_measure.seconds
    measure.queries += lines_measure.queries
    env.cr.execute("SELECT COUNT(*) FROM mail_mail")
    result["mails_queued"] = env.cr.fetchone()[0]
    env.cr.execute("SELECT COUNT(*) FROM credit_control_communication")
    result["communications"] = env.cr.fetchone()[0]
    return measure, result


def list_fields(env):
    """Fields of the list view of the customers to follow up."""
    view = env.ref("ar_collections.ar_followup_customer_view_list")
    arch = env["ar.followup.customer"].get_views([(view.id, "list")])
    return list(arch["models"]["ar.followup.customer"]["fields"])


def run_list(env):
    """First page of the customers to follow up, by overdue amount, as admin."""
    admin = env.ref("base.user_admin")
    companies = env["res.company"].search([])
    admin.company_ids |= companies  # books built before the admin had both
    customers = (
        env["ar.followup.customer"]
        .with_user(admin)
        .with_context(allowed_company_ids=companies.ids)
    )
    fields = list_fields(env)
    times = []
    for _attempt in range(3):
        env.invalidate_all()
        with Measure() as measure:
            rows = customers.search_read(
                [], fields, limit=80, order="amount_overdue desc"
            )
        times.append(round(measure.seconds, 3))
    with Measure() as count_measure:
        total = customers.search_count([])
    return measure, {
        "rows": len(rows),
        "total": total,
        "times": times,
        "count_s": round(count_measure.seconds, 3),
    }


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("ar", "oca", "list"), required=True)
    parser.add_argument("--profile", help="write a cProfile dump to this file")
    args = parser.parse_args()
    registry = load_odoo(args)
    rss_loaded = peak_rss_mib()
    runner = {"ar": run_ar, "oca": run_oca, "list": run_list}[args.engine]
    with environment(registry) as env:
        if args.profile:
            import cProfile  # noqa: PLC0415

            profiler = cProfile.Profile()
            measure, details = profiler.runcall(runner, env)
            profiler.dump_stats(args.profile)
        else:
            measure, details = runner(env)
    result = {
        "engine": args.engine,
        "database": args.database,
        "seconds": round(measure.seconds, 2),
        "queries": measure.queries,
        "peak_rss_mib": round(peak_rss_mib()),
        "rss_after_load_mib": round(rss_loaded),
        **details,
    }
    say("RESULT " + json.dumps(result, default=str))


if __name__ == "__main__":
    main()
