"""Kill the daily run mid-batch, run two at once, and look for duplicates.

Usage: ``python3 bench/faults.py --book arc_bench_book_10k [--qbook Q] [--kills 6]``
(``scripts/fault-check.sh`` builds the books and calls this).

Every copy gets batches of 50 customers; the kills copy (all copies with
``--fees-everywhere``) a fixed late fee on the first level of the second
company's policy (``bench/fault_actions.py fees``), so the run posts real fee
invoices and the fee checks count real charges.

1. Kills: on a copy of the book, starts the daily run (``bench/run.py
   --engine ar``: ``ar.followup.run._cron_daily_run`` committing after each
   batch, then the job writing the emails it recorded), waits until a batch
   has been committed, then sends SIGKILL part-way through the next batch;
   ``--kills`` times in the run, ``--fee-kills`` times at the moment the run
   posts a fee invoice (seen in ``pg_stat_activity``), ``--email-kills`` times
   in the email job, then lets a last run finish.
2. Two at once, and collectors meanwhile: on a fresh copy, starts two runs at
   the same moment and, while they go, a collector's "Send reminder now" for
   random due customers and a manager's "Run now"; then runs once more to
   finish what they left.
3. Job queue (with ``--qbook``, a book with ``ar_collections_queue_job``):
   the run on the queue with a real job runner and two Odoo workers on one
   run, ``--worker-kills`` SIGKILLs of workers in the middle of a job
   (batch or email), "Send reminder now" and "Run now" meanwhile; waits for
   the job runner to requeue the dead jobs and every job to be done.

After each scenario, SQL checks that every due customer was followed up once:
no two run actions of a type for a customer and day, no invoice reaching a
level twice for an action type, no two emails queued for a customer and day,
no recorded email left unwritten,
no fee charged twice for an invoice, rule and period, no due customer left
without its action, and (kills) that the run records count the
interruptions. Exits non-zero if anything is found twice or missing.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

BENCH = Path(__file__).resolve().parent
RUN = [sys.executable, str(BENCH / "run.py"), "--engine", "ar"]
ACTIONS = [sys.executable, str(BENCH / "fault_actions.py")]
BATCH = 50  # customers per batch in the copies (ar_collections.batch_size)

CHECKS = {
    "run actions twice (customer, company, type, day)": """
        SELECT COUNT(*) FROM (
            SELECT 1 FROM ar_followup_action
             WHERE origin = 'run' AND state != 'cancelled'
             GROUP BY partner_id, company_id, action_type, date
            HAVING COUNT(*) > 1) d
    """,
    "invoice reaching a level twice (invoice, level, type)": """
        SELECT COUNT(*) FROM (
            SELECT 1 FROM ar_followup_action_line
             WHERE is_trigger AND origin = 'run' AND state != 'cancelled'
             GROUP BY move_id, level_id, action_type
            HAVING COUNT(*) > 1) d
    """,
    "emails queued twice (customer, day)": """
        SELECT COUNT(*) FROM (
            SELECT 1 FROM mail_mail mail
              JOIN mail_message message ON message.id = mail.mail_message_id
              JOIN ar_followup_action action
                ON action.mail_message_id = message.id AND action.origin = 'run'
             GROUP BY action.partner_id, action.company_id, action.date
            HAVING COUNT(*) > 1) d
    """,
    "emails without their action (run mails not linked)": """
        SELECT COUNT(*) FROM mail_mail mail
          JOIN mail_message message ON message.id = mail.mail_message_id
         WHERE message.model = 'res.partner'
           AND NOT EXISTS (SELECT 1 FROM ar_followup_action a
                            WHERE a.mail_message_id = message.id)
    """,
    "emails recorded but never written (pending or without message)": """
        SELECT COUNT(*) FROM ar_followup_action
         WHERE action_type = 'email' AND origin = 'run' AND state = 'done'
           AND (email_pending OR mail_message_id IS NULL)
    """,
    "fees charged twice (invoice, rule, period)": """
        SELECT COUNT(*) FROM (
            SELECT 1 FROM ar_fee GROUP BY move_id, rule_id, period_key
            HAVING COUNT(*) > 1) d
    """,
    "fee invoices charging an invoice twice (posted lines, invoice, rule)": """
        SELECT COUNT(*) FROM (
            SELECT 1 FROM ar_fee fee
              JOIN account_move doc ON doc.id = fee.fee_move_id
             WHERE doc.state = 'posted'
             GROUP BY fee.move_id, fee.rule_id
            HAVING COUNT(DISTINCT fee.fee_move_id) > 1) d
    """,
    "run reminders after a reminder sent by hand that day": """
        SELECT COUNT(*) FROM ar_followup_action run_action
         WHERE run_action.origin = 'run' AND run_action.action_type = 'email'
           AND run_action.state != 'cancelled'
           AND EXISTS (
                SELECT 1 FROM ar_followup_action manual
                 WHERE manual.origin = 'manual' AND manual.action_type = 'email'
                   AND manual.partner_id = run_action.partner_id
                   AND manual.company_id = run_action.company_id
                   AND manual.date = run_action.date
                   AND manual.create_date < run_action.create_date)
    """,
}

# Customers with an open invoice due at least as long ago as the first level's
# delay of their company's default policy, without an action: by the run, or by
# a collector's "Send reminder now" (the run then leaves them: one a day).
MISSING = """
    WITH due AS (
        SELECT DISTINCT aml.partner_id, aml.company_id
          FROM account_move_line aml
          JOIN account_move move ON move.id = aml.move_id
          JOIN account_account account ON account.id = aml.account_id
          JOIN ar_followup_policy policy
            ON policy.company_id = aml.company_id AND policy.is_default
           AND policy.active
         WHERE aml.parent_state = 'posted'
           AND account.account_type = 'asset_receivable'
           AND NOT aml.reconciled AND aml.amount_residual > 0
           AND move.move_type = 'out_invoice'
           AND aml.date_maturity <= CURRENT_DATE - (
                SELECT MIN(delay) FROM ar_followup_level level
                 WHERE level.policy_id = policy.id)
    )
    SELECT COUNT(*) FROM due
     WHERE NOT EXISTS (
        SELECT 1 FROM ar_followup_action action
         WHERE action.partner_id = due.partner_id
           AND action.company_id = due.company_id
           AND action.state != 'cancelled'
           AND action.action_type != 'fee')
"""


class Database:
    def __init__(self, args, name):
        self.args, self.name = args, name

    def connect(self, name=None):
        connection = psycopg2.connect(
            dbname=name or self.name,
            host=self.args.db_host,
            port=self.args.db_port,
            user=self.args.db_user,
        )
        connection.autocommit = True
        return connection

    def copy_from(self, template):
        connection = self.connect("postgres")
        try:
            with connection.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                cr.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template}"')
        finally:
            connection.close()

    def rows(self, query, params=None):
        connection = self.connect()
        try:
            with connection.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall()
        finally:
            connection.close()

    def value(self, query):
        return self.rows(query)[0][0]

    def progress(self):
        return self.value("SELECT COALESCE(SUM(partner_done), 0) FROM ar_followup_run")

    def prepare(self, book, fees=True):
        """A fresh copy of ``book`` with small batches (and fees on)."""
        self.copy_from(book)
        self.rows(
            "INSERT INTO ir_config_parameter (key, value) "
            f"VALUES ('ar_collections.batch_size', '{BATCH}') "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value RETURNING id"
        )
        print(f"{self.name}: {odoo_action(self, 'users')}")
        if fees:
            print(f"{self.name}: {odoo_action(self, 'fees')}")


def odoo_action(db, action, *extra):
    """Run ``bench/fault_actions.py`` on ``db``; its RESULT line."""
    done = subprocess.run(  # noqa: S603 - our own script
        [*ACTIONS, "-d", db.name, "--db-host", db.args.db_host, action, *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    lines = [ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")]
    return lines[-1][7:] if lines else f"failed: {done.stderr[-300:]}"


def start_action(db, log, action, *extra):
    return subprocess.Popen(  # noqa: S603 - our own script
        [*ACTIONS, "-d", db.name, "--db-host", db.args.db_host, action, *extra],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def start_run(db, log):
    return subprocess.Popen(  # noqa: S603 - our own script
        [*RUN, "-d", db.name, "--db-host", db.args.db_host],
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def running_runs(db):
    """{run id: (customers done, customers to do)} of the runs in progress."""
    rows = db.rows(
        "SELECT id, partner_done, partner_total FROM ar_followup_run "
        "WHERE state = 'running'"
    )
    return {run_id: (done or 0, total or 0) for run_id, done, total in rows}


def emails_progress(db):
    """{"emails": (emails written, emails recorded)} while some are waiting."""
    [(written, total)] = db.rows(
        "SELECT COUNT(*) FILTER (WHERE email_pending IS NOT TRUE), COUNT(*) "
        "FROM ar_followup_action WHERE action_type = 'email' AND origin = 'run'"
    )
    return {"emails": (written, total)} if written < total else {}


PHASES = {"run": running_runs, "emails": emails_progress}


def wait_for_two_commits(db, process, probe, timeout=900):
    """Wait for two batch commits of a job that has more than a batch left.

    ``probe`` reads the jobs in progress: the runs (customers done) or the
    email job (emails written). Returns (job, seconds between the two
    commits), or None when the process ended first. A run created but not
    yet committed is invisible here, so the kill always hits a run the
    database knows about.
    """
    seen = {}  # job -> (done, time of the last change, changes)
    start = time.monotonic()
    while time.monotonic() - start < timeout and process.poll() is None:
        now = time.monotonic()
        for run_id, (done, total) in probe(db).items():
            last = seen.get(run_id)
            if last is None:
                seen[run_id] = (done, now, 0)
            elif done != last[0]:
                changes = last[2] + 1
                if changes >= 2 and total - done > BATCH:
                    return run_id, now - last[1]
                seen[run_id] = (done, now, changes)
        time.sleep(0.05)
    return None


def kill_mid_batch(db, rng, log, phase):
    """One job of ``phase`` killed part-way through a batch; None if it
    finished first or committed meanwhile."""
    probe = PHASES[phase]
    process = start_run(db, log)
    found = wait_for_two_commits(db, process, probe)
    if not found:
        process.wait()
        return None
    job, batch_seconds = found
    time.sleep(batch_seconds * rng.uniform(0.2, 0.8))
    before = probe(db).get(job)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if probe(db).get(job) != before:
        return None  # it committed another batch meanwhile: not mid-batch
    return before[0]


FEE_POSTING = """
    SELECT COUNT(*) FROM pg_stat_activity
     WHERE datname = %(db)s AND state = 'active' AND pid != pg_backend_pid()
       AND (query ILIKE 'INSERT INTO "account_move"%%'
            OR query ILIKE 'INSERT INTO "ar_fee"%%')
"""


def kill_while_posting_fees(db, log, timeout=300):
    """The run killed at the moment it writes a fee invoice; None if it
    finished first or committed a batch meanwhile."""
    process = start_run(db, log)
    start = time.monotonic()
    connection = db.connect()
    try:
        with connection.cursor() as cr:
            while time.monotonic() - start < timeout and process.poll() is None:
                before = running_runs(db)
                cr.execute(FEE_POSTING, {"db": db.name})
                if cr.fetchone()[0] and before:
                    process.send_signal(signal.SIGKILL)
                    process.wait()
                    if running_runs(db) != before:
                        return None
                    return sum(done or 0 for done, _total in before.values())
                time.sleep(0.005)
    finally:
        connection.close()
    process.wait()
    return None


def check(db, label):
    failures = 0
    for name, query in CHECKS.items():
        found = db.value(query)
        failures += found
        print(f"  {label}: {name}: {found}")
    missing = db.value(MISSING)
    failures += missing
    print(f"  {label}: due customers without their action: {missing}")
    # Customers to follow up, as the next read shows it, against the books.
    answer = odoo_action(db, "list-check")
    try:
        listed = json.loads(answer)
    except ValueError:
        listed = {"list_rows": answer}  # the check itself failed: counted
    off = listed.get("list_rows_off", 1)
    failures += off
    print(
        f"  {label}: customers list rows off the books: {off} "
        f"(of {listed.get('list_rows', '?')})"
    )
    return failures


def finish(db, log, attempts=5):
    """Run until today's runs are done (a just-killed run may still be locked)."""
    for _attempt in range(attempts):
        start_run(db, log).wait()
        open_runs = db.value(
            "SELECT COUNT(*) FROM ar_followup_run WHERE state IN ('running', 'paused')"
        )
        if not open_runs:
            return True
        time.sleep(1)
    return False


def scenario_kills(args, rng, log):
    db = Database(args, f"{args.prefix}_kill")
    db.prepare(args.book)
    wanted = {"run": args.kills, "fees": args.fee_kills, "emails": args.email_kills}
    kills = {phase: [] for phase in wanted}
    # Fees first: the fee company's customers come first in the run.
    for phase in ("fees", "run", "emails"):
        for _attempt in range(wanted[phase] * 3):
            if len(kills[phase]) == wanted[phase]:
                break
            if phase == "fees":
                done = kill_while_posting_fees(db, log)
            else:
                done = kill_mid_batch(db, rng, log, phase)
            if done is not None:
                kills[phase].append(done)
    finished = finish(db, log)
    interruptions = db.value(
        "SELECT COALESCE(SUM(interruption_count), 0) FROM ar_followup_run"
    )
    fees = db.value(
        "SELECT COUNT(*) FROM ar_fee fee JOIN account_move doc "
        "ON doc.id = fee.fee_move_id WHERE doc.state = 'posted'"
    )
    print(
        f"kills: {len(kills['run'])} SIGKILLs mid-batch of the run (customers "
        f"done at each: {kills['run']}), {len(kills['fees'])} while it posted a "
        f"fee invoice (customers done at each: {kills['fees']}), "
        f"{len(kills['emails'])} mid-batch of the email job (emails written at "
        f"each: {kills['emails']}), runs finished: {finished}, interruptions "
        f"recorded: {interruptions}, fees charged on posted fee invoices: {fees}"
    )
    failures = check(db, "after kills")
    run_kills = len(kills["run"]) + len(kills["fees"])
    if interruptions != run_kills:
        print(f"  interruptions recorded {interruptions} != kills {run_kills}")
        failures += 1
    if not fees:
        print("  no fee charged: the fee checks proved nothing")
        failures += 1
    total = sum(len(k) for k in kills.values())
    return failures + (not finished), total


def scenario_concurrent(args, log):
    db = Database(args, f"{args.prefix}_twin")
    db.prepare(args.book, fees=args.fees_everywhere)
    processes = [start_run(db, log) for _twin in range(2)]
    # Collectors at work while the runs go: once the runs have saved a batch.
    start = time.monotonic()
    while not db.progress() and time.monotonic() - start < 300:
        time.sleep(0.05)
    collectors = [
        start_action(db, log, "send-now", "--count", "8", "--seed", str(args.seed)),
        start_action(db, log, "run-now"),
    ]
    codes = [process.wait() for process in processes]
    for process in collectors:
        process.wait()
    print(f"two runs at once: exit codes {codes}; collectors meanwhile: see below")
    print_collectors(log)
    # A run process that failed (a traceback in the run log) counts.
    failures = sum(1 for code in codes if code)
    failures += check(db, "after two runs at once")
    finished = finish(db, log)
    failures += check(db, "after a third run") + (not finished)
    return failures


def print_collectors(log):
    """The RESULT lines the collectors' actions wrote to the log."""
    log.flush()
    lines = Path(log.name).read_text().splitlines()
    for line in lines[-400:]:
        if line.startswith('RESULT {"sent"') or line.startswith('RESULT {"run_now"'):
            print(f"  collector: {line[7:][:300]}")


def queue_progress(db):
    """(runs not done, jobs not finished, jobs failed) of the queue run."""
    [(runs,)] = db.rows(
        "SELECT COUNT(*) FROM ar_followup_run WHERE state NOT IN ('done', 'skipped')"
    )
    [(jobs, failed)] = db.rows(
        "SELECT COUNT(*) FILTER (WHERE state NOT IN ('done', 'failed', 'cancelled')),"
        "       COUNT(*) FILTER (WHERE state = 'failed')"
        "  FROM queue_job WHERE channel = 'root.ar_collections'"
    )
    return runs, jobs, failed


def kill_workers(db, rng, wanted, timeout=900):
    """SIGKILL Odoo workers in the middle of a follow-up job."""
    kills = []
    start = time.monotonic()
    while len(kills) < wanted and time.monotonic() - start < timeout:
        started = db.rows(
            "SELECT uuid, worker_pid, method_name FROM queue_job "
            " WHERE state = 'started' AND channel = 'root.ar_collections'"
            "   AND worker_pid IS NOT NULL"
        )
        runs, jobs, _failed = queue_progress(db)
        if not runs and not jobs:
            break
        if not started:
            time.sleep(0.05)
            continue
        uuid, pid, method = rng.choice(started)
        time.sleep(rng.uniform(0.05, 0.4))
        still = db.rows(
            "SELECT 1 FROM queue_job WHERE uuid = %s AND state = 'started' "
            "AND worker_pid = %s",
            [uuid, pid],
        )
        if not still:
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
        kills.append(method)
        time.sleep(rng.uniform(0.5, 1.5))  # the master forks a new worker
    return kills


def scenario_queue(args, rng, log):
    from queue_run import start_server, wait_http  # noqa: PLC0415

    db = Database(args, f"{args.prefix}_queue")
    db.prepare(args.qbook, fees=args.fees_everywhere)
    print(f"{db.name}: {odoo_action(db, 'queue-on')}")
    server_args = argparse.Namespace(
        database=db.name,
        db_host=args.db_host,
        db_port=args.db_port,
        db_user=args.db_user,
        workers=2,
        port=args.port,
        server_log=str(Path(log.name).with_name(f"{db.name}-server.log")),
    )
    server = start_server(server_args)
    try:
        wait_http(args.port)
        daily = start_action(db, log, "daily-run")
        daily.wait()
        collectors = [
            start_action(
                db, log, "send-now", "--count", "8", "--seed", str(args.seed + 1)
            ),
            start_action(db, log, "run-now"),
        ]
        kills = kill_workers(db, rng, args.worker_kills)
        for process in collectors:
            process.wait()
        start = time.monotonic()
        while time.monotonic() - start < 900:
            runs, jobs, failed = queue_progress(db)
            if not runs and not jobs:
                break
            time.sleep(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    runs, jobs, failed = queue_progress(db)
    [(batches, batch_kills, email_retries)] = db.rows(
        "SELECT (SELECT COUNT(*) FROM ar_followup_run_job),"
        "       (SELECT COALESCE(SUM(interruption_count), 0) FROM ar_followup_run),"
        "       (SELECT COALESCE(SUM(GREATEST(retry - 1, 0)), 0) FROM queue_job"
        "         WHERE method_name = '_job_write_emails')"
    )
    batch_job_kills = sum(1 for method in kills if method == "_job_run_batch")
    print(
        f"job queue, two workers on one run: {len(kills)} SIGKILLs of a worker "
        f"mid-job ({batch_job_kills} in batch jobs, "
        f"{kills.count('_job_write_emails')} in email jobs, "
        f"{kills.count('_job_finish_run')} in the finishing job); {batches} batch "
        f"jobs; runs not done: {runs}, jobs not finished: {jobs}, failed: {failed}; "
        f"interrupted attempts recorded on the run: {batch_kills}, email jobs "
        f"started again: {email_retries}"
    )
    print_collectors(log)
    failures = check(db, "after worker kills") + runs + jobs + failed
    if batch_kills < batch_job_kills:
        print(
            f"  interruptions recorded {batch_kills} "
            f"< batch job kills {batch_job_kills}"
        )
        failures += 1
    return failures, len(kills)


def main():
    from common import base_parser  # noqa: PLC0415

    parser = base_parser(__doc__.splitlines()[0])
    parser.set_defaults(database="unused")
    parser.add_argument("--book", required=True)
    parser.add_argument("--prefix", default="arc_fault")
    parser.add_argument("--qbook", help="book with ar_collections_queue_job")
    parser.add_argument("--kills", type=int, default=6)
    parser.add_argument("--fee-kills", type=int, default=3)
    parser.add_argument("--email-kills", type=int, default=5)
    parser.add_argument("--worker-kills", type=int, default=8)
    parser.add_argument("--port", type=int, default=8331)
    parser.add_argument(
        "--scenarios",
        default="kills,twin,queue",
        help="comma-separated: kills, twin, queue",
    )
    parser.add_argument(
        "--fees-everywhere",
        action="store_true",
        help="fees on in the twin and queue copies too (posting a fee invoice "
        "per customer makes them several times slower), not only in kills",
    )
    parser.add_argument("--seed", type=int, default=7)
    argv = ["-d", "unused", *sys.argv[1:]]
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    log_path = Path(os.environ.get("ARC_FAULT_LOG", "/tmp/arc_bench/fault-runs.log"))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        scenarios = args.scenarios.split(",")
        kill_failures, kills, twin_failures, queue_failures = 0, 0, 0, 0
        if "kills" in scenarios:
            kill_failures, kills = scenario_kills(args, rng, log)
        if "twin" in scenarios:
            twin_failures = scenario_concurrent(args, log)
        if args.qbook and "queue" in scenarios:
            queue_failures, worker_kills = scenario_queue(args, rng, log)
            kills += worker_kills
    failures = kill_failures + twin_failures + queue_failures
    print(
        f"RESULT kills={kills} duplicates_or_missing={failures} (run log: {log_path})"
    )
    if kills == 0:
        print("No kill landed mid-batch: the check proved nothing.")
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(BENCH))
    sys.exit(main())
