from contextlib import suppress

from odoo.tests import Form, tagged

from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.jobrunner.runner import Database

from .common import ArQueueCommon


class _Rollback(Exception):
    pass


@tagged("post_install", "-at_install")
class TestQueueRun(ArQueueCommon):
    def test_batch_jobs_cover_every_customer_once(self):
        with self.trap_jobs() as trap:
            run = self.start_run()
            # 8 customers with something overdue (customer 5, 2 days late,
            # is gone through with nothing sent), in batches of 2: 4 batch
            # jobs and the job finishing the run.
            self.assertEqual(len(self.trapped(trap, "_job_run_batch")), 4)
            self.assertEqual(len(self.trapped(trap, "_job_finish_run")), 1)
            trap.assert_jobs_count(5)
            self.assertEqual(run.state, "running")
            self.assertEqual(run.partner_total, 8)
            self.assertEqual(run.job_count, 4)
            self.assertEqual(run.job_done_count, 0)
            # The ranges follow each other: every customer id in exactly one.
            batches = run.job_ids.sorted("sequence")
            for before, after in zip(batches[:-1], batches[1:], strict=True):
                self.assertEqual(after.partner_id_after, before.partner_id_upto)
            self.assertEqual(batches[-1].partner_id_upto, 0, "the last has no end")
            self.assertEqual(sum(batches.mapped("partner_count")), 8)
            self.assertFalse(
                self.env["ar.followup.action"].search([("run_id", "=", run.id)])
            )

            trap.perform_enqueued_jobs()  # the batches, then the finishing job
            self.env.invalidate_all()
            self.assertEqual(run.state, "done")
            self.assertTrue(run.date_end)
            self.assertEqual(run.job_done_count, 4)
            self.assertEqual(run.partner_done, 8)
            self.assertEqual(run.customer_count, 7)
            self.assertIn("Batch 4:", run.log)
            self.assertIn(
                "Finished: 8 customer(s) gone through, 7 followed up", run.log
            )
            actions = self.env["ar.followup.action"].search([("run_id", "=", run.id)])
            self.assertEqual(
                len(actions.filtered(lambda a: a.action_type == "email")),
                7,
                "one email per customer due, none twice",
            )

    def test_same_result_as_the_run_without_queue(self):
        with suppress(_Rollback), self.env.cr.savepoint():
            self.company.ar_run_on_queue = False
            self.start_run()
            self.env["ar.followup.action"].search(
                [("email_pending", "=", True)]
            )._send_pending_emails()
            plain = self.book_state()
            raise _Rollback
        self.env.invalidate_all()
        self.assertFalse(self.book_state()["actions"], "back to the book as it was")
        with self.trap_jobs() as trap:
            self.start_run()
            trap.perform_enqueued_jobs()  # batches and finish
            trap.perform_enqueued_jobs()  # the emails they recorded
        queued = self.book_state()
        self.assertTrue(plain["mails"])
        self.assertEqual(queued, plain)

    def test_emails_written_by_jobs(self):
        Action = self.env["ar.followup.action"]
        with self.trap_jobs() as trap:
            run = self.start_run()
            trap.perform_enqueued_jobs()
            emails = Action.search(
                [("run_id", "=", run.id), ("action_type", "=", "email")]
            )
            self.assertTrue(
                all(emails.mapped("email_pending")), "recorded, not written"
            )
            # One email job per batch that recorded emails.
            self.assertEqual(len(self.trapped(trap, "_job_write_emails")), 4)
            email_jobs = list(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
        self.env.invalidate_all()
        self.assertFalse(any(emails.mapped("email_pending")))
        for partner in emails.partner_id:
            self.assertEqual(len(self.mails_to(partner)), 1)
        # A job done again (a worker killed after writing, say) writes nothing.
        for job in email_jobs:
            job.perform()
        self.env.invalidate_all()
        for partner in emails.partner_id:
            self.assertEqual(len(self.mails_to(partner)), 1)

    def test_same_day_again_does_nothing_twice(self):
        counter = self.job_counter()
        run = self.start_run(trigger="cron")
        batch_jobs = counter.search_created()
        self.assertEqual(len(batch_jobs), 5)
        # The cron called again while the jobs run: no second run, no
        # interruption counted, nothing queued again.
        self.assertFalse(
            self.env["ar.followup.run"].sudo()._start_or_resume(self.company, "cron")
        )
        self.assertEqual(run.interruption_count, 0)
        self.assertEqual(counter.count_created(), 5)
        self.perform_stored(batch_jobs.filtered(lambda j: j.state == "pending"))
        self.perform_stored(
            counter.search_created().filtered(lambda j: j.state == "pending")
        )
        self.assertEqual(run.state, "done")
        before = self.book_state()
        # Each batch job performed again (requeued by hand, or found dead
        # after its work was committed): nothing done twice.
        for record in run.job_ids:
            Job.load(self.env, record.job_uuid).perform()
        self.assertEqual(self.book_state(), before)
        # The cron again today: nothing; Run now: a new run whose jobs find
        # every customer already followed up today.
        self.assertFalse(
            self.env["ar.followup.run"].sudo()._start_or_resume(self.company, "cron")
        )
        with self.trap_jobs() as trap:
            second = self.start_run()
            trap.perform_enqueued_jobs()
            trap.perform_enqueued_jobs()
        self.assertEqual(second.state, "done")
        self.assertEqual(self.book_state(), before)

    def test_failed_batch_keeps_the_run_open(self):
        counter = self.job_counter()
        run = self.start_run(trigger="cron")
        jobs = counter.search_created()
        failing = jobs.filtered(lambda j: j.uuid == run.job_ids[1].job_uuid)
        # What the job runner records when a job raises.
        job = Job.load(self.env, failing.uuid)
        job.set_started()
        job.store()
        job.set_failed(exc_name="OperationalError", exc_info="connection lost")
        job.store()
        self.perform_stored(jobs.filtered(lambda j: j.state == "pending"))
        self.assertEqual(run.state, "running", "not done while a batch failed")
        self.assertFalse(run.date_end)
        self.assertEqual(run.job_done_count, 3)
        self.assertEqual(run.job_failed_count, 1)
        self.assertEqual(run.job_ids[1].state, "failed")
        self.assertEqual(run.job_ids[1].job_id, failing)
        finish = jobs.filtered(lambda j: j.uuid == run.finish_job_uuid)
        self.assertEqual(finish.state, "wait_dependencies")
        form = Form(run.with_user(self.manager))
        self.assertEqual(form.job_failed_count, 1)
        # Requeued by the admin and done: the run finishes with it.
        failing.requeue()
        self.perform_stored(failing)
        self.assertEqual(finish.state, "pending")
        self.perform_stored(finish)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.partner_done, 8)

    def test_interrupted_batch_counted(self):
        counter = self.job_counter()
        run = self.start_run(trigger="cron")
        record = counter.search_created().filtered(
            lambda j: j.uuid == run.job_ids[0].job_uuid
        )
        # Its worker killed mid-batch: the job stays started with no lock,
        # and the job runner's dead-job check puts it back in the queue.
        job = Job.load(self.env, record.uuid)
        job.set_started()
        job.store()
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM queue_job_lock WHERE queue_job_id = %s", [record.id]
        )
        self.env.cr.execute(
            "UPDATE queue_job SET date_enqueued = "
            "(now() AT TIME ZONE 'utc') - interval '1 minute' "
            "WHERE id = %s",
            [record.id],
        )
        self.env.cr.execute(Database._query_requeue_dead_jobs(None))
        self.env.invalidate_all()
        self.assertEqual(record.state, "pending")
        self.perform_stored(
            counter.search_created().filtered(lambda j: j.state == "pending")
        )
        self.perform_stored(
            counter.search_created().filtered(lambda j: j.state == "pending")
        )
        self.assertEqual(run.state, "done")
        self.assertEqual(run.job_ids[0].interruption_count, 1)
        self.assertEqual(run.interruption_count, 1)
        self.assertIn("Started again after 1 interrupted attempt(s).", run.log)

    def test_without_the_setting_the_run_is_unchanged(self):
        self.company.ar_run_on_queue = False
        with self.trap_jobs() as trap:
            run = self.start_run()
            trap.assert_jobs_count(0)
        self.assertEqual(run.state, "done")
        self.assertFalse(run.job_ids)
        self.assertEqual(run.customer_count, 7)
