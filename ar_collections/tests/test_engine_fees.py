"""Which fees a rule charges, against examples worked out by hand."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine.fees import (
    FeeRuleSpec,
    InvoiceFeeState,
    due_charges,
    reference_rates,
)
from ..engine.money import simple_interest

ECB = [
    (date(2024, 12, 18), D("3.15")),
    (date(2025, 6, 11), D("2.15")),
]


def invoice(due, amount="1000", **values):
    return InvoiceFeeState(
        invoice_id=1,
        date_due=due,
        amount_total=D(amount),
        balances=values.pop("balances", [(due, D(amount))]),
        **values,
    )


def interest_rule(**values):
    return FeeRuleSpec(rule_id=1, fee_type="interest", **values)


@tagged("post_install", "-at_install")
class TestInterestCharges(BaseCase):
    def test_leap_year_actual_365_and_actual_360(self):
        # Feb 1 - Mar 31 2024 is 29 + 31 = 60 days.
        # 1000 x 10 % x 60 / 365 = 16.4384 ; x 60 / 360 = 16.6667
        for days_in_year, expected in ((365, D("16.44")), (360, D("16.67"))):
            rule = interest_rule(annual_rate=D(10), days_in_year=days_in_year)
            [charge] = due_charges(
                rule, invoice(date(2024, 1, 31)), date(2024, 3, 31), level_id=7
            )
            self.assertEqual(charge.days, 60)
            self.assertEqual(charge.amount, expected)
            self.assertEqual(charge.key, "to-2024-03-31")

    def test_rate_change_in_the_middle_of_the_period(self):
        # EU: 3.15 + 8 until June 30, 2.15 + 8 from July 1 (reference dates
        # Jan 1 / Jul 1). Jun 20-30: 1000 x 11.15 % x 11 / 365 = 3.3603;
        # Jul 1-10: 1000 x 10.15 % x 10 / 365 = 2.7808; total 6.1411.
        rule = interest_rule(rate_source="eu", margin=D(8))
        [charge] = due_charges(
            rule,
            invoice(date(2025, 6, 19)),
            date(2025, 7, 10),
            level_id=3,
            rate_table=ECB,
        )
        self.assertEqual([p.days for p in charge.pieces], [11, 10])
        self.assertEqual(
            [p.annual_rate for p in charge.pieces], [D("11.15"), D("10.15")]
        )
        self.assertEqual(charge.amount, D("6.14"))

    def test_reminder_interest_continues_after_the_last_charged_day(self):
        rule = interest_rule(annual_rate=D(12))
        state = invoice(
            date(2025, 1, 1),
            amount="2000",
            last_interest_to=date(2025, 1, 31),
            charged_keys=frozenset({"to-2025-01-31"}),
        )
        # Feb 1 - Mar 3 = 31 days: 2000 x 12 % x 31 / 365 = 20.3836
        [charge] = due_charges(rule, state, date(2025, 3, 3), level_id=2)
        self.assertEqual((charge.date_from, charge.days), (date(2025, 2, 1), 31))
        self.assertEqual(charge.amount, D("20.38"))
        # The same day again: already charged.
        state = invoice(
            date(2025, 1, 1),
            amount="2000",
            last_interest_to=date(2025, 3, 3),
            charged_keys=frozenset({"to-2025-03-03"}),
        )
        self.assertEqual(due_charges(rule, state, date(2025, 3, 3), level_id=2), [])

    def test_monthly_interest_skips_charged_months_and_the_current_one(self):
        rule = interest_rule(annual_rate=D(10), charge_on="monthly")
        state = invoice(date(2025, 1, 15), charged_keys=frozenset({"month-2025-01"}))
        charges = due_charges(rule, state, date(2025, 3, 20))
        # February only: January is charged, March has not ended.
        self.assertEqual([c.key for c in charges], ["month-2025-02"])
        # 1000 x 10 % x 28 / 365 = 7.6712
        self.assertEqual(charges[0].amount, D("7.67"))

    def test_partial_payments_lower_the_base_from_their_day(self):
        rule = interest_rule(annual_rate=D(10), charge_on="monthly")
        state = invoice(
            date(2025, 3, 31),
            balances=[
                (date(2025, 3, 31), D(1000)),
                (date(2025, 4, 11), D(700)),
                (date(2025, 4, 21), D(200)),
            ],
        )
        [april] = due_charges(rule, state, date(2025, 5, 5))
        # Apr 1-10: 1000 x 10 x 10 = 100000; Apr 11-20: 700 x 10 x 10 = 70000;
        # Apr 21-30: 200 x 10 x 10 = 20000; sum / 100 / 365 = 5.2055
        self.assertEqual([p.base for p in april.pieces], [D(1000), D(700), D(200)])
        self.assertEqual(april.amount, D("5.21"))

    def test_grace_days(self):
        rule = interest_rule(annual_rate=D(10), grace_days=5)
        state = invoice(date(2025, 1, 10))
        self.assertEqual(due_charges(rule, state, date(2025, 1, 15), level_id=1), [])
        [charge] = due_charges(rule, state, date(2025, 1, 16), level_id=1)
        self.assertEqual((charge.date_from, charge.days), (date(2025, 1, 16), 1))


@tagged("post_install", "-at_install")
class TestFeeLimitsAndRounding(BaseCase):
    def test_zero_and_three_decimal_currencies(self):
        # JPY: 1.5 % of 12,345 = 185.175 -> 185
        rule = FeeRuleSpec(rule_id=1, fee_type="percent", percent=D("1.5"))
        [charge] = due_charges(
            rule,
            invoice(date(2025, 1, 1), "12345"),
            date(2025, 2, 1),
            level_id=1,
            decimals=0,
        )
        self.assertEqual(charge.amount, D(185))
        # KWD: 1,234.567 x 7 % x 30 / 365 = 7.102988 -> 7.103
        rule = interest_rule(annual_rate=D(7))
        [charge] = due_charges(
            rule,
            invoice(date(2025, 1, 1), "1234.567"),
            date(2025, 1, 31),
            level_id=1,
            decimals=3,
        )
        self.assertEqual(charge.amount, D("7.103"))

    def test_caps_count_what_was_already_charged(self):
        # At most 5 % of 1,000 = 50 per invoice; 45 already charged: 5 left.
        rule = interest_rule(annual_rate=D(100), maximum_percent=D(5))
        state = invoice(date(2025, 1, 1), charged_amount=D(45))
        [charge] = due_charges(rule, state, date(2025, 3, 1), level_id=1)
        self.assertEqual(charge.amount, D("5.00"))
        state = invoice(date(2025, 1, 1), charged_amount=D(50))
        self.assertEqual(due_charges(rule, state, date(2025, 3, 1), level_id=1), [])

    def test_minimum_is_a_threshold_not_a_floor(self):
        rule = FeeRuleSpec(rule_id=1, fee_type="percent", percent=D(1), minimum=D(5))
        # 1 % of 300 = 3.00 < 5: not charged (not raised to 5).
        self.assertEqual(
            due_charges(
                rule, invoice(date(2025, 1, 1), "300"), date(2025, 2, 1), level_id=1
            ),
            [],
        )

    def test_statutory_sums_business_only_and_once(self):
        rule = interest_rule(
            rate_source="uk",
            margin=D(8),
            compensation="uk_scale",
            uk_scale_rate=D("1.25"),  # GBP -> EUR invoice
        )
        table = [(date(2025, 5, 8), D("4.25"))]
        state = invoice(date(2025, 9, 1), "15000", debt_in_rule_currency=D(12000))
        charges = due_charges(
            rule, state, date(2025, 9, 30), level_id=1, rate_table=table
        )
        compensation = [c for c in charges if c.kind == "compensation"]
        self.assertEqual(compensation[0].amount, D("125.00"))  # 100 GBP x 1.25
        consumer = invoice(
            date(2025, 9, 1), "15000", is_company=False, consumer_agreed=True
        )
        self.assertEqual(
            due_charges(
                rule, consumer, date(2025, 9, 30), level_id=1, rate_table=table
            ),
            [],  # business only
        )
        charged = invoice(
            date(2025, 9, 1), "500", charged_keys=frozenset({"compensation"})
        )
        charges = due_charges(
            rule, charged, date(2025, 9, 30), level_id=1, rate_table=table
        )
        self.assertEqual([c.kind for c in charges], ["interest"])

    def test_level_rules_need_a_level(self):
        rule = FeeRuleSpec(rule_id=1, fee_type="fixed", amount=D(15))
        self.assertEqual(
            due_charges(rule, invoice(date(2025, 1, 1)), date(2025, 2, 1)), []
        )
        per_level = FeeRuleSpec(
            rule_id=1, fee_type="fixed", amount=D(15), fixed_per="reminder"
        )
        [charge] = due_charges(
            per_level, invoice(date(2025, 1, 1)), date(2025, 2, 1), level_id=4
        )
        self.assertEqual(charge.key, "level-4")

    def test_uk_and_eu_reference_dates(self):
        table = [(date(2025, 5, 8), D("4.25")), (date(2025, 8, 7), D("4.00"))]
        # UK: Jul-Dec uses 30 June (4.25), Jan-Jun 2026 uses 31 Dec (4.00).
        self.assertEqual(
            reference_rates(table, "uk", D(8), date(2025, 11, 1), date(2026, 2, 1)),
            [(date(2025, 7, 1), D("12.25")), (date(2026, 1, 1), D("12.00"))],
        )
        # EU: the rate in force on 1 July 2025 (4.25 here) for Jul-Dec.
        self.assertEqual(
            reference_rates(table, "eu", D(8), date(2025, 7, 5), date(2025, 7, 6)),
            [(date(2025, 7, 1), D("12.25"))],
        )
        with self.assertRaisesRegex(ValueError, "no reference rate"):
            reference_rates(table, "eu", D(8), date(2024, 1, 5), date(2024, 1, 6))


@tagged("post_install", "-at_install")
class TestMonthlySplitProperty(BaseCase):
    @settings(max_examples=60, deadline=None)
    @given(
        due=st.dates(min_value=date(2023, 1, 1), max_value=date(2025, 12, 31)),
        months=st.integers(min_value=1, max_value=14),
        payments=st.lists(
            st.tuples(st.integers(1, 400), st.integers(1, 200)), max_size=4
        ),
    )
    def test_monthly_periods_add_up_to_the_whole_period(self, due, months, payments):
        """Charging month by month loses or adds nothing, before rounding."""
        balance = D(5000)
        balances = [(due, balance)]
        for offset, amount in sorted(payments):
            balance = max(balance - amount, D(0))
            balances.append((due + timedelta(days=offset), balance))
        today = due + timedelta(days=31 * months)
        rule = interest_rule(annual_rate=D("9.5"), charge_on="monthly")
        state = invoice(due, "5000", balances=balances)
        charges = due_charges(rule, state, today, decimals=6)
        if not charges:
            return
        start, end = charges[0].date_from, charges[-1].date_to
        whole = sum(
            (
                p.amount
                for p in simple_interest(balances, [(start, D("9.5"))], start, end)
            ),
            D(0),
        )
        split = sum((c.amount for c in charges), D(0))
        self.assertLessEqual(abs(split - whole), D("0.000001") * len(charges))
        days = [c.date_from for c in charges]
        self.assertEqual(days, sorted(days))
        for before, after in zip(charges, charges[1:], strict=False):
            self.assertEqual(after.date_from, before.date_to + timedelta(days=1))
