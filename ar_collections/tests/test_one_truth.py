"""One truth: every screen and document shows the same figures for a customer.

A book with every edge case, in a company whose day is not the database
server's: for each customer, the amount overdue and the days overdue are the
same in the daily run, customers to follow up, the worklist, the aging, the
statement and the reminder, and they are what the definition says.
"""

from datetime import date, datetime, time, timedelta

from freezegun import freeze_time

from odoo.fields import Command
from odoo.tests import Form, tagged

from ..models import receivable_scope as scope
from .common import ArCollectionsCommon

# 20:00 UTC is already tomorrow on Kiritimati (UTC+14): the company's today
# is one day after the server's.
NOW = datetime.combine(date.today(), time(20, 0))
COMPANY_TZ = "Pacific/Kiritimati"
OVERDUE_BUCKETS = ["amount_1_30", "amount_31_60", "amount_61_90", "amount_90_plus"]


@tagged("post_install", "-at_install")
class TestOneTruth(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = COMPANY_TZ
        cls.company_2 = cls.setup_other_company(name="Second Company")["company"]
        cls.reason = cls.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")

    # -- the book ------------------------------------------------------------

    def doc(self, partner, amount, due, company=None, move_type="out_invoice"):
        company = company or self.company
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": partner.id,
                    "invoice_date": min(due, self.T - timedelta(days=5)),
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            )
        )
        move.action_post()
        return move

    def entry(self, partner, amount, due, journal, flag_cleared=False):
        """A journal entry on the customer's receivable account: an opening
        balance (positive) or an unapplied payment (negative)."""
        receivable = self.company_data["default_account_receivable"]
        other = (
            journal.default_account_id or self.company_data["default_account_revenue"]
        )
        debit, credit = (amount, 0) if amount > 0 else (0, -amount)
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": journal.id,
                "date": due,
                "line_ids": [
                    Command.create(
                        {
                            "name": "Opening balance",
                            "account_id": receivable.id,
                            "partner_id": partner.id,
                            "debit": debit,
                            "credit": credit,
                            "date_maturity": due,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Opening balance",
                            "account_id": other.id,
                            "debit": credit,
                            "credit": debit,
                        }
                    ),
                ],
            }
        )
        move.action_post()
        if flag_cleared:
            move.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            ).no_followup = False
        return move

    def build_book(self):
        T = self.T
        day = timedelta(days=1)
        misc = self.company_data["default_journal_misc"]
        bank = self.company_data["default_journal_bank"]
        book = {}
        # Partial payment, due yesterday for the company (today for the
        # server), due today, and an unapplied credit note.
        alpha = self.customer("Alpha")
        self.pay(self.doc(alpha, 1000, T - 40 * day), amount=300)
        self.doc(alpha, 200, T - day)
        self.doc(alpha, 150, T)
        self.doc(alpha, 50, T - 10 * day, move_type="out_refund")
        book[alpha] = (900, 40, 1000)
        # An excluded invoice and an opening balance still flagged.
        beta = self.customer("Beta")
        excluded = self.doc(beta, 400, T - 30 * day)
        excluded.write({"no_followup": True, "ar_exclusion_reason": "Goodwill"})
        self.doc(beta, 250, T - 20 * day)
        self.entry(beta, 600, T - 60 * day, misc)
        book[beta] = (250, 20, 250)
        # An opening balance whose flag was cleared, an unapplied payment.
        gamma = self.customer("Gamma")
        self.entry(gamma, 800, T - 45 * day, misc, flag_cleared=True)
        self.entry(gamma, -100, T - 5 * day, bank)
        book[gamma] = (800, 45, 700)
        # Installment terms: half due 20 days ago, half in 10 days.
        delta = self.customer("Delta")
        term = self.env["account.payment.term"].create(
            {
                "name": "Half now, half in 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 50, "nb_days": 30}
                    ),
                ],
            }
        )
        installments = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": delta.id,
                "invoice_date": T - 20 * day,
                "invoice_payment_term_id": term.id,
                "invoice_line_ids": [
                    Command.create({"name": "Work", "price_unit": 1000, "tax_ids": []})
                ],
            }
        )
        installments.action_post()
        book[delta] = (500, 20, 1000)
        # A partly disputed invoice, and one handed over to an agency: owed,
        # not chased by us nor counted as overdue.
        epsilon = self.customer("Epsilon")
        disputed = self.doc(epsilon, 500, T - 25 * day)
        self.env["ar.dispute"].create(
            {
                "move_id": disputed.id,
                "reason_id": self.reason.id,
                "amount_disputed": 200,
            }
        )
        handed = self.doc(epsilon, 300, T - 100 * day)
        handed.ar_handover_state = "handed_over"
        book[epsilon] = (300, 25, 800)
        # Alpha in a second company, whose day is the server's.
        self.doc(alpha, 999, self.T2 - 10 * day, company=self.company_2)
        return book

    # -- what each screen says -----------------------------------------------

    def customers_row(self, partner, company):
        return self.env["ar.followup.customer"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )

    def worklist_row(self, partner, company):
        return self.env["ar.worklist"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )

    def aging(self, partner, company):
        rows = self.env["ar.aging.report"].search(
            [("partner_id", "=", partner.id), ("company_id", "=", company.id)]
        )
        overdue = sum(sum(row[field] for field in OVERDUE_BUCKETS) for row in rows)
        late = rows.filtered(lambda r: any(r[f] for f in OVERDUE_BUCKETS))
        days = max(late.mapped("days_overdue"), default=0)
        return overdue, days, sum(rows.mapped("amount_residual"))

    def statement(self, partner, company):
        lines, totals = (
            partner.with_company(company)
            .with_context(allowed_company_ids=company.ids)
            ._ar_statement_lines()
        )
        overdue = sum(totals[key] for key in ("1_30", "31_60", "61_90", "90_plus"))
        return overdue, totals["total"]

    def reminder(self, run, partner):
        email = run.action_ids.filtered(
            lambda a: a.partner_id == partner and a.action_type == "email"
        )
        self.assertEqual(len(email), 1, f"{partner.name} gets one reminder")
        lines = email.principal_line_ids.filtered("amount_residual")
        return email, lines

    # -- the test ------------------------------------------------------------

    def test_every_screen_shows_the_same_figures(self):
        with freeze_time(NOW):
            self.T = scope.company_today(self.env, self.company)
            self.T2 = scope.company_today(self.env, self.company_2)
            self.assertEqual(self.T, NOW.date() + timedelta(days=1))
            self.assertEqual(self.T2, NOW.date())
            book = self.build_book()
            run = self.run_followup()
            for partner, (overdue, days, net) in book.items():
                with self.subTest(customer=partner.name):
                    row = self.customers_row(partner, self.company)
                    self.assertEqual(
                        (row.amount_overdue, row.days_overdue, row.amount_due),
                        (overdue, days, net),
                        "customers to follow up",
                    )
                    work = self.worklist_row(partner, self.company)
                    self.assertEqual(
                        (work.amount_overdue, work.days_overdue),
                        (overdue, days),
                        "worklist",
                    )
                    self.assertEqual(
                        self.aging(partner, self.company), (overdue, days, net), "aging"
                    )
                    self.assertEqual(
                        self.statement(partner, self.company),
                        (overdue, net),
                        "statement",
                    )
                    email, lines = self.reminder(run, partner)
                    self.assertEqual(email.amount_due, overdue, "run: amount overdue")
                    self.assertEqual(
                        (email.amount_principal, max(lines.mapped("days_overdue"))),
                        (overdue, days),
                        "reminder",
                    )
            # The second company's figures are its own.
            alpha = next(iter(book))
            other = self.customers_row(alpha, self.company_2)
            self.assertEqual((other.amount_overdue, other.days_overdue), (999, 10))
            self.assertEqual(self.aging(alpha, self.company_2), (999, 10, 999))

    def test_the_run_chases_what_the_scope_says(self):
        with freeze_time(NOW):
            self.T = scope.company_today(self.env, self.company)
            self.T2 = scope.company_today(self.env, self.company_2)
            book = self.build_book()
            run = self.run_followup()
            beta = self.env["res.partner"].search([("name", "=", "Beta")])
            gamma = self.env["res.partner"].search([("name", "=", "Gamma")])
            _email, lines = self.reminder(run, beta)
            self.assertEqual(
                lines.move_id.mapped("amount_total"),
                [250.0],
                "neither the excluded invoice nor the flagged opening balance",
            )
            _email, lines = self.reminder(run, gamma)
            self.assertEqual(lines.move_id.move_type, "entry")
            self.assertEqual(lines.move_id.ar_level_id, self.level_1)
            # The due-yesterday invoice (company time) is listed, not the one
            # due today.
            alpha = next(iter(book))
            _email, lines = self.reminder(run, alpha)
            self.assertEqual(sorted(lines.mapped("days_overdue")), [1, 40])

    def test_preview_lists_excluded_and_paused_invoices_with_why(self):
        with freeze_time(NOW):
            self.T = scope.company_today(self.env, self.company)
            self.T2 = scope.company_today(self.env, self.company_2)
            self.build_book()
            preview = self.env["ar.followup.preview"].create(
                self.env["ar.followup.preview"]._prepare_preview_vals(self.company)
            )
            excluded = preview.line_ids.filtered(
                lambda line: line.skip_reason == "excluded"
            )
            self.assertEqual(
                {line.move_id.move_type: line.skip_detail for line in excluded},
                {
                    "out_invoice": "Excluded from follow-up: Goodwill",
                    "entry": "Excluded from follow-up",
                },
                "the excluded invoice and the flagged opening balance, with why",
            )
            self.assertEqual(excluded.partner_id.name, "Beta")
            handed = preview.line_ids.filtered(
                lambda line: line.skip_reason == "handed_over"
            )
            self.assertEqual(handed.partner_id.name, "Epsilon")
            self.assertEqual(handed.skip_detail, "Handed over to collection")

    def test_send_reminder_now_on_an_opening_balance(self):
        """A manual reminder lists the chased opening balance with its amount
        (Odoo's own amount due of a journal entry is zero)."""
        with freeze_time(NOW):
            self.T = scope.company_today(self.env, self.company)
            self.T2 = scope.company_today(self.env, self.company_2)
            self.build_book()
            gamma = self.env["res.partner"].search([("name", "=", "Gamma")])
            form = Form(
                self.env["ar.followup.send"]
                .with_user(self.collector)
                .with_context(active_model="res.partner", active_ids=gamma.ids)
            )
            wizard = form.save()
            self.assertEqual(wizard.move_ids.mapped("move_type"), ["entry"])
            wizard.action_send()
            email = self.actions_of(gamma, action_type="email")
            self.assertEqual(email.line_ids.amount_residual, 800)
            self.assertEqual(email.amount_principal, 800)

    def test_statement_shows_disputes_hand_overs_and_credits_apart(self):
        with freeze_time(NOW):
            self.T = scope.company_today(self.env, self.company)
            self.T2 = scope.company_today(self.env, self.company_2)
            self.build_book()
            epsilon = self.env["res.partner"].search([("name", "=", "Epsilon")])
            _lines, totals = epsilon._ar_statement_lines()
            self.assertEqual(
                (totals["dispute"], totals["handed_over"], totals["1_30"]),
                (200, 300, 300),
            )
            html = (
                self.env["ir.actions.report"]
                ._render_qweb_html(
                    "ar_collections.action_report_ar_statement", epsilon.ids
                )[0]
                .decode()
            )
            self.assertIn("In dispute", html)
            self.assertIn("Handed over", html)
            self.assertNotIn("Unapplied credits", html)
