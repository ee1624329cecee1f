"""Kill the daily run mid-batch, run two at once, and look for duplicates.

Usage: ``python3 bench/faults.py --book arc_bench_book_10k [--kills 3]``
(``scripts/fault-check.sh`` builds the book and calls this).

1. Kills: on a copy of the book, starts the daily run (``bench/run.py
   --engine ar``: ``ar.followup.run._cron_daily_run`` committing after each
   batch, then the job writing the emails it recorded), waits until a batch
   has been committed, then sends SIGKILL part-way through the next batch;
   repeats ``--kills`` times in the run, then ``--kills`` times in the email
   job, then lets a last run finish.
2. Two at once: on a fresh copy, starts two runs at the same moment, waits for
   both, then runs once more to finish what they left.

After each scenario, SQL checks that every due customer was followed up once:
no two run actions of a type for a customer and day, no invoice reaching a
level twice for an action type, no two emails queued for a customer and day,
no recorded email left unwritten,
no fee charged twice for an invoice, rule and period, no due customer left
without its action, and (kills) that the run records count the
interruptions. Exits non-zero if anything is found twice or missing.
"""

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
BATCH = 200  # ar_collections' default batch size (ar_collections.batch_size)

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
}

# Customers with an open invoice due at least as long ago as the first level's
# delay of their company's default policy, without a run action today.
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
           AND action.origin = 'run' AND action.state != 'cancelled'
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

    def rows(self, query):
        connection = self.connect()
        try:
            with connection.cursor() as cr:
                cr.execute(query)
                return cr.fetchall()
        finally:
            connection.close()

    def value(self, query):
        return self.rows(query)[0][0]

    def progress(self):
        return self.value("SELECT COALESCE(SUM(partner_done), 0) FROM ar_followup_run")


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
    return {run_id: (done, total) for run_id, done, total in rows}


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


def check(db, label):
    failures = 0
    for name, query in CHECKS.items():
        found = db.value(query)
        failures += found
        print(f"  {label}: {name}: {found}")
    missing = db.value(MISSING)
    failures += missing
    print(f"  {label}: due customers without their action: {missing}")
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
    db.copy_from(args.book)
    kills = {"run": [], "emails": []}
    for phase in ("run", "emails"):
        for _attempt in range(args.kills * 3):
            if len(kills[phase]) == args.kills:
                break
            done = kill_mid_batch(db, rng, log, phase)
            if done is not None:
                kills[phase].append(done)
    finished = finish(db, log)
    interruptions = db.value(
        "SELECT COALESCE(SUM(interruption_count), 0) FROM ar_followup_run"
    )
    print(
        f"kills: {len(kills['run'])} SIGKILLs mid-batch of the run (customers "
        f"done at each: {kills['run']}), {len(kills['emails'])} mid-batch of the "
        f"email job (emails written at each: {kills['emails']}), runs finished: "
        f"{finished}, interruptions recorded: {interruptions}"
    )
    failures = check(db, "after kills")
    if interruptions != len(kills["run"]):
        print(f"  interruptions recorded {interruptions} != kills {len(kills['run'])}")
        failures += 1
    total = len(kills["run"]) + len(kills["emails"])
    return failures + (not finished), total


def scenario_concurrent(args, log):
    db = Database(args, f"{args.prefix}_twin")
    db.copy_from(args.book)
    processes = [start_run(db, log) for _twin in range(2)]
    codes = [process.wait() for process in processes]
    print(f"two runs at once: exit codes {codes}")
    failures = check(db, "after two runs at once")
    finished = finish(db, log)
    failures += check(db, "after a third run") + (not finished)
    return failures


def main():
    from common import base_parser  # noqa: PLC0415

    parser = base_parser(__doc__.splitlines()[0])
    parser.set_defaults(database="unused")
    parser.add_argument("--book", required=True)
    parser.add_argument("--prefix", default="arc_bench_fault")
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    argv = ["-d", "unused", *sys.argv[1:]]
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    log_path = Path(os.environ.get("ARC_FAULT_LOG", "/tmp/arc_bench/fault-runs.log"))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        kill_failures, kills = scenario_kills(args, rng, log)
        twin_failures = scenario_concurrent(args, log)
    failures = kill_failures + twin_failures
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
