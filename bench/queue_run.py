"""Time the daily run on the job queue with a real job runner and N workers.

Usage::

    python3 bench/queue_run.py -d arc_bench_q2_10k --workers 2 [--port 8331]

The database is a copy of a benchmark book with ``ar_collections_queue_job``
installed (``scripts/bench.sh --workers N`` prepares it). The script turns
the queue on for every company, starts an Odoo server with ``--workers N``
and the job runner (``--load=web,queue_job``, channel capacity N through
``ODOO_QUEUE_JOB_CHANNELS``), starts the daily run (the scheduled action:
it cuts each company's run into batch jobs and returns), then polls until
every run is done and every job of the channel has finished. Prints one line
``RESULT {json}``: seconds until the runs are done (last batch job and the
finishing job), seconds until the last email job is done too, the jobs per
worker process and their busy time.
"""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request

from common import OCA_ADDONS, REPO, base_parser, environment, load_odoo, say


def start_server(args):
    """Odoo with N HTTP workers and the job runner, in its own process group."""
    env = dict(
        os.environ,
        ODOO_QUEUE_JOB_CHANNELS=f"root:{args.workers},root.ar_collections:{args.workers}",
    )
    command = [
        "odoo",
        "-d",
        args.database,
        "--db_host",
        args.db_host,
        "--db_port",
        str(args.db_port),
        "--db_user",
        args.db_user,
        f"--addons-path={os.environ.get('ARC_BENCH_ADDONS') or REPO},{OCA_ADDONS}",
        "--data-dir",
        os.environ.get("ARC_BENCH_DATA", "/tmp/arc_bench/data"),
        f"--db-filter=^{args.database}$",
        "--load=web,queue_job",
        f"--workers={args.workers}",
        "--max-cron-threads=0",  # the measured run is started here, not by a cron
        "--limit-time-real=1800",
        "--limit-time-cpu=1800",
        "--http-interface=127.0.0.1",
        f"--http-port={args.port}",
        "--gevent-port",
        str(args.port + 1000),
        "--log-level=warn",
        "--logfile",
        args.server_log,
    ]
    return subprocess.Popen(command, env=env, start_new_session=True)


def wait_http(port, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/web/login", timeout=5)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the Odoo server did not answer on port {port}")


def progress(cr, today):
    """(runs not done, jobs of the channel not finished, jobs failed)."""
    cr.execute(
        "SELECT COUNT(*) FILTER (WHERE state NOT IN ('done', 'skipped')) "
        "FROM ar_followup_run WHERE date = %s",
        [today],
    )
    runs_open = cr.fetchone()[0]
    cr.execute(
        "SELECT COUNT(*) FILTER (WHERE state NOT IN ('done', 'failed', 'cancelled')),"
        "       COUNT(*) FILTER (WHERE state = 'failed')"
        "  FROM queue_job WHERE channel = 'root.ar_collections'"
    )
    jobs_open, failed = cr.fetchone()
    return runs_open, jobs_open, failed


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, required=True)
    parser.add_argument("--port", type=int, default=8331)
    parser.add_argument("--timeout", type=int, default=1800)
    parser.add_argument("--server-log", default="/tmp/arc_bench/queue-server.log")
    args = parser.parse_args()
    registry = load_odoo(args)
    with environment(registry) as env:
        env["res.company"].search([]).ar_run_on_queue = True
        today = env["ar.followup.run"]._company_today(env.company)
    server = start_server(args)
    try:
        wait_http(args.port)
        start = time.perf_counter()
        with environment(registry) as env:
            env["ar.followup.run"]._cron_daily_run()  # cuts and queues, commits
        split_s = time.perf_counter() - start
        runs_s = None
        while True:
            with registry.cursor() as cr:
                runs_open, jobs_open, failed = progress(cr, today)
            elapsed = time.perf_counter() - start
            if not runs_open and runs_s is None:
                runs_s = elapsed
            if not runs_open and not jobs_open:
                break
            if elapsed > args.timeout or (failed and not jobs_open):
                break
            time.sleep(0.25)
        all_s = time.perf_counter() - start
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    with environment(registry) as env:
        cr = env.cr
        cr.execute(
            "SELECT method_name, worker_pid, COUNT(*), SUM(exec_time) "
            "  FROM queue_job WHERE channel = 'root.ar_collections' AND state = 'done'"
            " GROUP BY 1, 2 ORDER BY 1, 2"
        )
        per_worker = {}
        for method, pid, count, busy in cr.fetchall():
            cell = per_worker.setdefault(str(pid), {})
            cell[method] = {"jobs": count, "busy_s": round(busy or 0, 2)}
        cr.execute(
            "SELECT MIN(date_started), MAX(date_done) FROM queue_job "
            " WHERE channel = 'root.ar_collections' AND method_name = '_job_run_batch'"
        )
        first, last = cr.fetchone()
        runs = env["ar.followup.run"].search([("date", "=", today)])
        cr.execute("SELECT COUNT(*) FROM mail_mail")
        mails = cr.fetchone()[0]
        cr.execute("SELECT COUNT(*) FROM ar_followup_action WHERE email_pending")
        pending = cr.fetchone()[0]
        result = {
            "engine": "queue",
            "database": args.database,
            "workers": args.workers,
            "seconds": round(runs_s if runs_s is not None else all_s, 2),
            "split_s": round(split_s, 2),
            "batches_s": round((last - first).total_seconds(), 2)
            if first and last
            else None,
            "all_jobs_s": round(all_s, 2),
            "runs": runs.mapped("state"),
            "customers": sum(runs.mapped("partner_done")),
            "batch_jobs": sum(runs.mapped("job_count")),
            "batch_failed": sum(runs.mapped("job_failed_count")),
            "interruptions": sum(runs.mapped("interruption_count")),
            "errors": sum(runs.mapped("error_count")),
            "mails_queued": mails,
            "emails_pending": pending,
            "per_worker": per_worker,
        }
    say("RESULT " + json.dumps(result, default=str))
    if runs_s is None:
        sys.exit(1)


if __name__ == "__main__":
    main()
