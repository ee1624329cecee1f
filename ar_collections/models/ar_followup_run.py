from markupsafe import Markup
from psycopg2 import errors as pg_errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from . import receivable_scope as scope

DEFAULT_BATCH_SIZE = 200


class ArFollowupRun(models.Model):
    """One execution of the daily follow-up for one company.

    A run works through the company's overdue customers in batches, saving
    its position after each, so a crashed or timed-out run resumes where it
    stopped. What it did is in its actions; what went wrong, in its log.
    """

    _name = "ar.followup.run"
    _inherit = ["ar.followup.run.batch"]
    _description = "Follow-up run"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name")
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(
        "Run date", required=True, readonly=True, help="The company's local date."
    )
    date_start = fields.Datetime("Started", readonly=True)
    date_end = fields.Datetime("Finished", readonly=True)
    state = fields.Selection(
        [
            ("running", "Running"),
            ("paused", "Paused"),
            ("done", "Done"),
            ("skipped", "Skipped"),
            ("failed", "Failed"),
        ],
        required=True,
        default="running",
        readonly=True,
        help="Paused: the run ran out of time and continues at the next call. "
        "A run found Running when it is called again was interrupted (crash, "
        "restart) and resumes from its last saved batch.",
    )
    trigger = fields.Selection(
        [("cron", "Scheduled"), ("manual", "Manual")], required=True, readonly=True
    )
    user_id = fields.Many2one("res.users", "Started by", readonly=True)
    partner_cursor = fields.Integer(readonly=True, help="Last customer id processed.")
    partner_total = fields.Integer("Customers to process", readonly=True)
    partner_done = fields.Integer("Customers processed", readonly=True)
    interruption_count = fields.Integer("Interruptions", readonly=True)
    warning = fields.Text(readonly=True)
    log = fields.Text(readonly=True)
    error_count = fields.Integer("Errors", readonly=True)
    action_ids = fields.One2many("ar.followup.action", "run_id", "Actions")
    email_count = fields.Integer("Emails", compute="_compute_counts")
    letter_count = fields.Integer("Letters", compute="_compute_counts")
    call_count = fields.Integer("Calls", compute="_compute_counts")
    hold_count = fields.Integer("Credit holds", compute="_compute_counts")
    handover_count = fields.Integer("Hand-overs", compute="_compute_counts")
    proposed_count = fields.Integer("To approve", compute="_compute_counts")
    failed_count = fields.Integer("Failed actions", compute="_compute_counts")
    summary = fields.Html(compute="_compute_counts", sanitize=False)
    customer_count = fields.Integer(
        "Customers followed up",
        compute="_compute_amount_overdue",
        help="Customers this run recorded an action or a fee for.",
    )
    amount_overdue = fields.Monetary(
        "Amount overdue then",
        compute="_compute_amount_overdue",
        help="Overdue total of the customers this run followed up, each customer "
        "counted once, as it was when the run reached them.",
    )

    _one_open_run_per_day = models.UniqueIndex(
        "(company_id, date) WHERE state IN ('running', 'paused')",
        "The company already has a follow-up run in progress today.",
    )

    @api.depends("company_id", "date")
    @api.depends_context("lang")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "%(company)s · %(date)s",
                company=run.company_id.name or "",
                date=format_date(self.env, run.date),
            )

    @api.depends("action_ids.partner_id", "action_ids.amount_due")
    def _compute_amount_overdue(self):
        """One grouped query for all the runs shown: a customer's actions of a
        run (email, letter, fee, ...) all carry its overdue total, which is
        counted once."""
        totals = {}
        if self.ids:
            self.env["ar.followup.action"].flush_model(
                ["run_id", "partner_id", "amount_due"]
            )
            self.env.cr.execute(
                SQL(
                    """
                    SELECT run_id, COUNT(*), SUM(amount)
                      FROM (SELECT run_id, partner_id, MAX(amount_due) AS amount
                              FROM ar_followup_action
                             WHERE run_id IN %s
                             GROUP BY run_id, partner_id) AS customer
                     GROUP BY run_id
                    """,
                    tuple(self.ids),
                )
            )
            totals = {
                run_id: (count, amount)
                for run_id, count, amount in self.env.cr.fetchall()
            }
        for run in self:
            count, amount = totals.get(run.id, (0, 0.0))
            run.customer_count = count
            run.amount_overdue = amount or 0.0

    @api.depends("action_ids.state", "action_ids.action_type")
    def _compute_counts(self):
        groups = self.env["ar.followup.action"]._read_group(
            [("run_id", "in", self.ids)],
            ["run_id", "level_id", "action_type", "state"],
            ["__count"],
        )
        per_run = {}
        for run, level, action_type, state, count in groups:
            per_run.setdefault(run.id, []).append((level, action_type, state, count))
        type_labels = self.env["ar.followup.action"]._action_type_labels()
        for run in self:
            rows = per_run.get(run.id, [])

            def total(types, states=("done", "failed"), rows=rows):
                return sum(c for _lv, t, s, c in rows if t in types and s in states)

            run.email_count = total(("email",))
            run.letter_count = total(("letter",))
            run.call_count = total(("call",))
            run.hold_count = total(("hold",))
            run.handover_count = total(("handover",))
            run.proposed_count = total(tuple(type_labels), states=("proposed",))
            run.failed_count = total(tuple(type_labels), states=("failed",))
            run.summary = run._summary_html(rows, type_labels)

    def _summary_html(self, rows, type_labels):
        """Counts per level and action as a small table."""
        if not rows:
            return False
        counts = {}
        for level, action_type, state, count in rows:
            key = (level.sequence, level.id, level.name or self.env._("No level"))
            label = type_labels[action_type]
            if state == "proposed":
                label = self.env._("%(action)s (to approve)", action=label)
            cell = counts.setdefault(key, {})
            cell[label] = cell.get(label, 0) + count
        body = Markup("").join(
            Markup("<tr><td>%s</td><td>%s</td></tr>")
            % (name, ", ".join(f"{label}: {n}" for label, n in sorted(cell.items())))
            for (_seq, _id, name), cell in sorted(counts.items())
        )
        return Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
            "</tr></thead><tbody>%s</tbody></table>"
        ) % (self.env._("Level"), self.env._("Actions"), body)

    # ------------------------------------------------------------------
    # Entry points
    # ------------------------------------------------------------------

    @api.model
    def _cron_daily_run(self):
        """Scheduled action: run the follow-up of every company, batch by batch."""
        policies = (
            self.env["ar.followup.policy"].sudo().search([("is_default", "=", True)])
        )
        email_cron = self.env.ref("ar_collections.ir_cron_followup_send_emails")
        for company in policies.company_id:
            run = self._start_or_resume(company, "cron")
            if run:
                # Saved at once: a crash in the first batch leaves a run to resume.
                self.env["ir.cron"]._commit_progress()
            finished = not run or run._process(commit=True)
            email_cron._trigger()  # the emails recorded so far are written now
            if not finished:
                return  # out of time: the cron is called again and resumes
        self.env["ir.cron"]._commit_progress(remaining=0)

    def action_run_now(self):
        """Button: run today's follow-up of the current company now."""
        if not self.env.user.has_group("ar_collections.ar_collections_group_manager"):
            raise UserError(self.env._("Only a Collections Manager can start a run."))
        company = self.env.company
        run = self.sudo()._start_or_resume(company, "manual")
        if not run:
            raise UserError(
                self.env._(
                    "The follow-up of %(company)s is already running: wait for it to "
                    "finish, then open Run history.",
                    company=company.name,
                )
            )
        run._process(commit=False)
        return run.with_env(self.env)._get_records_action()

    @api.model
    def _company_today(self, company):
        """The company's local date: ``receivable_scope.company_today``."""
        return scope.company_today(self.env, company)

    @api.model
    def _start_or_resume(self, company, trigger):
        """Today's open run of ``company`` locked for this worker, or a new one.

        Returns an empty recordset when another worker holds today's run, or
        for the cron when today's run is already over.
        """
        self = self.sudo().with_company(company)
        today = self._company_today(company)
        open_runs = self.search(
            [("company_id", "=", company.id), ("state", "in", ("running", "paused"))]
        )
        for stale in open_runs.filtered(
            lambda r: r.date != today
        ).try_lock_for_update():
            stale._finish(
                "failed",
                self.env._(
                    "Interrupted and not resumed on its day; later runs took over."
                ),
            )
        current = open_runs.filtered(lambda r: r.date == today)[:1]
        if current:
            locked = current.try_lock_for_update()
            if not locked or locked._is_queued():
                return self.browse()
            if locked.state == "running":
                locked.interruption_count += 1
                locked._log(self.env._("Resumed after an interruption."))
            locked.state = "running"
            return locked
        if trigger == "cron" and self.search_count(
            [("company_id", "=", company.id), ("date", "=", today)], limit=1
        ):
            # Called again the same day (another company's run paused, a
            # manual trigger): today's follow-up is already done. "Run now"
            # still lets a manager go over the day again.
            return self.browse()
        try:
            with self.env.cr.savepoint():
                run = self.create(
                    {
                        "company_id": company.id,
                        "date": today,
                        "date_start": fields.Datetime.now(),
                        "trigger": trigger,
                        "user_id": self.env.uid,
                    }
                )
        except pg_errors.UniqueViolation:
            return self.browse()  # another worker created it a moment ago
        if not run._check_gates():
            return self.browse()
        self.env["account.move"]._ar_refresh_days_overdue(company, today)
        return run

    def _is_queued(self):
        """True when this run's batches were handed to a job queue: its jobs
        carry it on and finish it, no worker resumes it. Without a queue
        (``ar_collections_queue_job`` overrides this), never."""
        return False

    def _check_gates(self):
        """Company-level safety checks; False when the run must not go on."""
        self.ensure_one()
        policy = self.env["ar.followup.policy"]._get_company_default(self.company_id)
        if not policy:
            self._finish(
                "skipped",
                self.env._(
                    "No default follow-up policy for %(company)s: mark a policy as "
                    "company default.",
                    company=self.company_id.name,
                ),
            )
            return False
        limit = policy.statement_max_age_days
        if not limit:
            return True
        last = (
            self.env["account.bank.statement.line"]
            .sudo()
            .search(
                [("company_id", "=", self.company_id.id)], order="date desc", limit=1
            )
        )
        if last and (self.date - last.date).days <= limit:
            return True
        if last:
            message = self.env._(
                "The last bank statement line is dated %(date)s, more than "
                "%(limit)s days ago: payments may not be reconciled yet, and "
                "reminders could reach customers who have already paid.",
                date=format_date(self.env, last.date),
                limit=limit,
            )
        else:
            message = self.env._(
                "No bank statement line is recorded yet: payments may not be "
                "reconciled, and reminders could reach customers who have "
                "already paid."
            )
        if policy.statement_gate == "skip":
            self._finish("skipped", message)
            return False
        self.warning = message
        self._log(message)
        return True

    # ------------------------------------------------------------------
    # Batches
    # ------------------------------------------------------------------

    def _batch_size(self):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ar_collections.batch_size")
        )
        return int(param or DEFAULT_BATCH_SIZE)

    def _process(self, commit):
        """Work through the remaining customers; True when the run is finished.

        With ``commit`` (cron), each batch is committed through
        ``ir.cron._commit_progress`` and the run stops when no time is left.
        """
        self.ensure_one()
        run = self.with_company(self.company_id)
        cutoff = run._company_cutoff(run.company_id, run.date)
        if cutoff is None:
            run._finish("skipped", self.env._("The company has no active policy."))
            return True
        remaining = run._count_candidates(cutoff)
        run.partner_total = run.partner_done + remaining
        run._log_start(cutoff, remaining)
        while True:
            if commit and not run.try_lock_for_update():
                return False  # another worker took the run over between batches
            partner_ids = run._next_candidates(cutoff)
            if not partner_ids:
                break
            run._process_batch(self.env["res.partner"].browse(partner_ids))
            # Customers to follow up in step with the batch, committed with it.
            self.env["ar.followup.customer"]._ar_refresh_unless_busy()
            run._log_batch(partner_ids)
            run._refresh_history_statistics()
            run.write(
                {
                    "partner_cursor": partner_ids[-1],
                    "partner_done": run.partner_done + len(partner_ids),
                }
            )
            if commit:
                remaining = max(run.partner_total - run.partner_done, 0)
                time_left = self.env["ir.cron"]._commit_progress(
                    len(partner_ids), remaining=remaining + 1
                )
                if not time_left:
                    run._log(
                        self.env._(
                            "Out of time after %(done)s of %(total)s customers: "
                            "paused, the run continues at its next call.",
                            done=run.partner_done,
                            total=run.partner_total,
                        )
                    )
                    run.state = "paused"
                    self.env["ir.cron"]._commit_progress()
                    return False
        run._finish("done", run._finish_message())
        if commit:
            self.env["ir.cron"]._commit_progress()
        else:
            # Run now: the manager sees the emails queued when it returns.
            run.action_ids._send_pending_emails()
        return True

    def _refresh_history_statistics(self):
        """ANALYZE the history tables once they outgrow their statistics.

        PostgreSQL plans the foreign-key checks of the history inserts from
        the tables' statistics, once per connection. On a first run the
        tables were empty when last analysed, and a check planned for an
        empty table reads the whole table for each new row: the inserts
        slowed down batch after batch (measured: 0.1 s per batch at the
        start, 2 s after 20,000 customers). Autovacuum analyses the tables
        in time; the run does it as soon as it has added more actions than
        the statistics know of, so a few times in a first run, then never.
        """
        self.env.cr.execute(
            SQL(
                "SELECT GREATEST(reltuples, 0) FROM pg_class WHERE oid = %s::regclass",
                "ar_followup_action",
            )
        )
        known = self.env.cr.fetchone()[0]
        self.env.cr.execute(
            SQL("SELECT COUNT(*) FROM ar_followup_action WHERE run_id = %s", self.id)
        )
        if self.env.cr.fetchone()[0] > known:
            self.env.cr.execute(
                SQL("ANALYZE ar_followup_action, ar_followup_action_line")
            )

    def _count_candidates(self, cutoff):
        self.env.flush_all()
        self.env.cr.execute(
            self._candidates_sql(
                self.company_id,
                cutoff,
                self.partner_cursor,
                SQL("COUNT(DISTINCT aml.partner_id)"),
            )
        )
        return self.env.cr.fetchone()[0]

    def _next_candidates(self, cutoff):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "%s GROUP BY aml.partner_id ORDER BY aml.partner_id LIMIT %s",
                self._candidates_sql(
                    self.company_id, cutoff, self.partner_cursor, SQL("aml.partner_id")
                ),
                self._batch_size(),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _finish(self, state, message=None):
        values = {"state": state, "date_end": fields.Datetime.now()}
        if message:
            if state == "skipped":
                values["warning"] = message
            self._log(message)
        self.write(values)
