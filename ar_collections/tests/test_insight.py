import calendar
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestHandover(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        cls.partner = cls.customer("Gone Quiet Ltd")
        cls.agency = cls.customer("Recover-All Agency")
        cls.moves = cls.invoice(cls.partner, 700, days_overdue=100) | cls.invoice(
            cls.partner, 300, days_overdue=95
        )

    def test_hand_over_with_dossier_and_outcome(self):
        self.run_followup()  # a reminder in the history
        handover = (
            self.env["ar.handover"]
            .with_user(self.collector)
            .create(
                {
                    "partner_id": self.partner.id,
                    "agency_id": self.agency.id,
                    "move_ids": [fields.Command.set(self.moves.ids)],
                }
            )
        )
        handover.action_hand_over()
        self.assertEqual(handover.state, "handed_over")
        self.assertEqual(handover.amount_handed_over, 1000)
        self.assertEqual(set(self.moves.mapped("ar_handover_state")), {"handed_over"})
        self.assertEqual(self.moves.ar_handover_id, handover)
        self.assertTrue(self.actions_of(self.partner, action_type="handover"))
        # The dossier lists the invoices and the whole contact history.
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "ar_collections.report_ar_handover_dossier", handover.ids
            )[0]
            .decode()
        )
        for move in self.moves:
            self.assertIn(move.name, html)
        self.assertIn("Email", html)
        self.assertIn("Hand-over", html)
        self.assertIn(self.agency.name, html)
        self.assertTrue(handover.dossier_id.raw)
        self.assertEqual(handover.dossier_id.res_id, handover.id)
        attachments = handover.message_ids.attachment_ids
        self.assertEqual(len(attachments), 3, "dossier + one PDF per invoice")
        # Not chased any more; outcome tracked.
        self.env.flush_all()
        self.assertFalse(
            self.env["ar.worklist"].search([("partner_id", "=", self.partner.id)])
        )
        handover.amount_recovered = 600
        handover.action_partly_recovered()
        self.assertEqual(handover.amount_written_off, 400)
        handover.action_written_off()
        self.assertEqual(handover.state, "written_off")

    def test_bad_hand_over_refused(self):
        handover = self.env["ar.handover"].create(
            {"partner_id": self.partner.id, "agency_id": self.agency.id}
        )
        with self.assertRaisesRegex(Exception, "Select the invoices"):
            handover.action_hand_over()
        foreign = self.invoice(self.agency, 10, days_overdue=5)
        handover.move_ids = foreign
        with self.assertRaisesRegex(Exception, "Only open invoices"):
            handover.action_hand_over()


@tagged("post_install", "-at_install")
class TestAgingAndDso(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param("report.url", "http://127.0.0.1:9")
        cls.partner = cls.customer("Aging Ltd", lang="en_US")
        cls.partner.with_company(cls.company).ar_collector_id = cls.collector
        # days overdue -> amount: not due, 1-30, 31-60, 61-90, 90+ and the edges
        cls.book = {
            -3: 10,
            0: 20,
            1: 100,
            30: 200,
            31: 300,
            60: 400,
            61: 500,
            90: 600,
            91: 700,
        }
        cls.moves = {
            days: cls.invoice(cls.partner, amount, days_overdue=days)
            for days, amount in cls.book.items()
        }
        cls.pay(cls.moves[91], amount=200)  # 500 left over 90 days

    def test_aging_buckets(self):
        rows = self.env["ar.aging.report"]._read_group(
            [("partner_id", "=", self.partner.id)],
            ["bucket"],
            ["amount_residual:sum"],
        )
        by_bucket = dict(rows)
        # By hand: current 10 + 20, 1-30: 100 + 200, 31-60: 300 + 400,
        # 61-90: 500 + 600, 90+: 700 - 200.
        self.assertEqual(
            by_bucket,
            {"current": 30, "1_30": 300, "31_60": 700, "61_90": 1100, "90_plus": 500},
        )
        partner = self.partner.with_company(self.company)
        self.assertEqual(
            (
                partner.ar_amount_aging_1_30,
                partner.ar_amount_aging_31_60,
                partner.ar_amount_aging_61_90,
                partner.ar_amount_aging_90_plus,
            ),
            (300, 700, 1100, 500),
        )
        by_collector = self.env["ar.aging.report"]._read_group(
            [("collector_id", "=", self.collector.id)], [], ["amount_90_plus:sum"]
        )
        self.assertEqual(by_collector[0][0], 500)

    def test_statement_of_account(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("ar_collections.report_ar_statement", self.partner.ids)[
                0
            ]
            .decode()
        )
        for move in self.moves.values():
            self.assertIn(move.name, html)
        self.assertIn("Statement of account", html)
        self.assertIn("90+ days", html)
        _lines, totals = self.partner._ar_statement_lines()
        self.assertEqual(totals["total"], 30 + 300 + 700 + 1100 + 500)
        action = self.partner.action_ar_send_statement()
        composer = (
            self.env["mail.compose.message"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertIn("statement", composer.subject)
        template = self.env.ref("ar_collections.mail_template_ar_statement")
        self.assertEqual(
            template.report_template_ids,
            self.env.ref("ar_collections.action_report_ar_statement"),
        )


@tagged("post_install", "-at_install")
class TestDso(ArCollectionsCommon):
    def test_dso_of_last_month(self):
        first = fields.Date.start_of(self.today, "month")
        start = fields.Date.start_of(first - timedelta(days=1), "month")
        other = self.company
        partner = self.customer("DSO Ltd")
        moves = self.env["account.move"]
        for day, amount in ((0, 1000), (1, 500)):
            moves |= self.invoice(
                partner, amount, company=other, invoice_date=start + timedelta(days=day)
            )
        self.pay(moves[0], amount=300, days_ago=(self.today - start).days - 2)
        self.env.flush_all()
        row = self.env["ar.dso.report"].search(
            [("company_id", "=", other.id), ("date", "=", start)]
        )
        days = calendar.monthrange(start.year, start.month)[1]
        # By hand: 1,500 invoiced, 300 paid: 1,200 owed at month end.
        self.assertEqual(row.amount_sales, 1500)
        self.assertEqual(row.amount_receivable, 1200)
        self.assertEqual(row.days, days)
        self.assertAlmostEqual(row.dso, round(1200 / 1500 * days, 1))


@tagged("post_install", "-at_install")
class TestBehaviourScore(ArCollectionsCommon):
    def test_score_and_explanation(self):
        partner = self.customer("Late Payer Ltd")
        on_time = self.customer("On Time Ltd")
        for days_late in (0, 10, 20, 30):
            move = self.invoice(partner, 100, days_overdue=days_late + 5)
            self.pay(move, days_ago=5)
        for _i in range(3):
            self.pay(self.invoice(on_time, 100, days_overdue=-5))
        dispute_reason = self.env.ref(
            "ar_collections.ar_nonpayment_reason_double_charge"
        )
        self.env["ar.dispute"].create(
            {
                "move_id": self.invoice(partner, 50, days_overdue=1).id,
                "reason_id": dispute_reason.id,
                "amount_disputed": 50,
            }
        )
        (partner | on_time)._ar_refresh_behaviour_scores()
        # By hand: 4 paid, 3 late (10, 20, 30 days; average 15 over 4 invoices),
        # 1 dispute: 100 - round(0.5 * 15) - round(30 * 3 / 4) - 5 = 100 - 8 - 23 - 5.
        self.assertEqual(partner.ar_behaviour_score, 64)
        self.assertEqual(partner.ar_behaviour_trust, "normal")
        explanation = partner.ar_behaviour_explanation
        self.assertIn("64/100", explanation)
        self.assertIn("-23: 75 % of invoices paid late", explanation)
        self.assertIn("-8: paid 15 days late on average", explanation)
        self.assertIn("-5: 1 dispute(s)", explanation)
        self.assertEqual(partner.with_company(self.company).trust, "normal")
        self.assertEqual(on_time.ar_behaviour_score, 100)
        self.assertEqual(on_time.with_company(self.company).trust, "good")
        self.assertIn("always paid on time", on_time.ar_behaviour_explanation)
        newcomer = self.customer("New Ltd")
        newcomer._ar_refresh_behaviour_scores()
        self.assertFalse(newcomer.ar_behaviour_trust)
        self.assertIn("Not enough history", newcomer.ar_behaviour_explanation)

    def test_partner_list_reads_in_constant_queries(self):
        partners = self.env["res.partner"]
        for i in range(30):
            partner = self.customer(f"Bulk {i} Ltd")
            self.invoice(partner, 100 + i, days_overdue=i * 4)
            partners |= partner
        fields_list = [
            "ar_credit_hold",
            "ar_behaviour_score",
            "ar_amount_aging_1_30",
            "ar_amount_aging_90_plus",
            "ar_amount_overdue",
        ]
        partners[3:6].read(fields_list)  # warm the registry caches first
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        partners.read(fields_list)
        queries_many = self.cr.sql_log_count - start
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        partners[:3].read(fields_list)
        queries_three = self.cr.sql_log_count - start
        # Ten times the customers, (almost) the same queries: grouped reads.
        self.assertLessEqual(queries_many, queries_three + 1)
