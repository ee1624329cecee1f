"""Time the writing of the follow-up emails: milliseconds per email.

Usage (on a copy of a book built by ``bench/book.py``)::

    python3 bench/email_speed.py -d arc_speed_mail_10k --prepare
    python3 bench/email_speed.py -d arc_speed_mail_10k [--profile out.prof]

``--prepare`` runs the daily run, which records the emails to write
(``email_pending``) and commits. Without it, the scheduled action that writes
the pending emails into Odoo's mail queue runs as the cron runs it (committing
each batch) and the script prints one line ``RESULT {json}`` with the emails
written, the seconds, the milliseconds per email (wall clock, and this Odoo
process's CPU alone) and the queries. It writes:
copy the prepared database before each measurement.
"""

import json
import time

from common import Measure, base_parser, environment, load_odoo, say


def prepare(env):
    """The daily run: decisions, history, and the emails left pending."""
    env["ar.followup.run"]._cron_daily_run()
    env.cr.execute("SELECT COUNT(*) FROM ar_followup_action WHERE email_pending")
    return {"pending": env.cr.fetchone()[0]}


def write_emails(env):
    """The email job, timed; the mail queue counted before and after."""
    env.cr.execute("SELECT COUNT(*) FROM mail_mail")
    before = env.cr.fetchone()[0]
    cpu = time.process_time()
    with Measure() as measure:
        env["ar.followup.action"]._cron_send_pending_emails()
    cpu = time.process_time() - cpu
    env.cr.execute("SELECT COUNT(*) FROM mail_mail")
    emails = env.cr.fetchone()[0] - before
    return {
        "emails": emails,
        "seconds": round(measure.seconds, 2),
        "ms_per_email": round(1000 * measure.seconds / emails, 2) if emails else None,
        "queries": measure.queries,
        # This process's CPU alone: comparable on a machine shared with others.
        "cpu_ms_per_email": round(1000 * cpu / emails, 2) if emails else None,
    }


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--profile", help="write a cProfile dump to this file")
    args = parser.parse_args()
    registry = load_odoo(args)
    runner = prepare if args.prepare else write_emails
    with environment(registry) as env:
        if args.profile:
            import cProfile  # noqa: PLC0415

            profiler = cProfile.Profile()
            result = profiler.runcall(runner, env)
            profiler.dump_stats(args.profile)
        else:
            result = runner(env)
    say("RESULT " + json.dumps({"database": args.database, **result}))


if __name__ == "__main__":
    main()
