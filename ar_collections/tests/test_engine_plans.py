"""Payment plan schedules, allocation and promise outcomes (pure engine)."""

from datetime import date, timedelta
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine.plans import (
    Installment,
    allocate,
    installment_dates,
    plan_status,
    promise_outcome,
    schedule,
)


@tagged("post_install", "-at_install")
class TestSchedule(BaseCase):
    def test_equal_installments_with_the_remainder_on_the_last(self):
        plan = schedule(D("1000.00"), date(2026, 1, 15), "monthly", count=3)
        self.assertEqual(
            [i.amount for i in plan], [D("333.33"), D("333.33"), D("333.34")]
        )
        self.assertEqual(
            [i.date_due for i in plan],
            [date(2026, 1, 15), date(2026, 2, 15), date(2026, 3, 15)],
        )

    def test_month_ends(self):
        self.assertEqual(
            installment_dates(date(2025, 1, 31), 4, "monthly"),
            [
                date(2025, 1, 31),
                date(2025, 2, 28),
                date(2025, 3, 31),
                date(2025, 4, 30),
            ],
        )
        self.assertEqual(
            installment_dates(date(2024, 1, 31), 2, "monthly")[1], date(2024, 2, 29)
        )
        self.assertEqual(
            installment_dates(date(2025, 12, 31), 2, "monthly")[1], date(2026, 1, 31)
        )

    def test_weekly_and_every_two_weeks(self):
        self.assertEqual(
            installment_dates(date(2026, 3, 2), 3, "weekly"),
            [date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)],
        )
        self.assertEqual(
            installment_dates(date(2026, 3, 2), 2, "biweekly")[1], date(2026, 3, 16)
        )

    def test_fixed_installment_amount_and_down_payment(self):
        plan = schedule(
            D("1000"),
            date(2026, 2, 1),
            "monthly",
            amount=D("300"),
            down_payment=D("150"),
            down_payment_date=date(2026, 1, 20),
        )
        # 150 down, then 300, 300 and the 250 left.
        self.assertEqual(
            [(i.date_due, i.amount) for i in plan],
            [
                (date(2026, 1, 20), D("150.00")),
                (date(2026, 2, 1), D("300.00")),
                (date(2026, 3, 1), D("300.00")),
                (date(2026, 4, 1), D("250.00")),
            ],
        )

    def test_zero_decimal_currency(self):
        plan = schedule(D("10000"), date(2026, 1, 1), "weekly", count=3, decimals=0)
        self.assertEqual([i.amount for i in plan], [D(3333), D(3333), D(3334)])

    def test_bad_input(self):
        start = date(2026, 1, 1)
        for kwargs, message in (
            ({"count": 0}, "at least one installment"),
            ({"count": 10, "total": D("0.05")}, "too many installments"),
            ({"amount": D(0)}, "must be positive"),
            ({"count": 2, "down_payment": D(1000)}, "down payment"),
            ({}, "either"),
            ({"count": 2, "total": D(0)}, "total must be positive"),
        ):
            total = kwargs.pop("total", D(1000))
            with (
                self.subTest(kwargs=kwargs),
                self.assertRaisesRegex(ValueError, message),
            ):
                schedule(total, start, "monthly", **kwargs)
        with self.assertRaisesRegex(ValueError, "frequency"):
            schedule(D(100), start, "daily", count=2)

    @settings(max_examples=150, deadline=None)
    @given(
        cents=st.integers(min_value=1, max_value=10_000_000),
        count=st.integers(min_value=1, max_value=36),
        frequency=st.sampled_from(["weekly", "biweekly", "monthly"]),
        first=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
        decimals=st.sampled_from([0, 2, 3]),
    )
    def test_properties(self, cents, count, frequency, first, decimals):
        total = D(cents).scaleb(-decimals)
        try:
            plan = schedule(total, first, frequency, count=count, decimals=decimals)
        except ValueError as error:
            # Only refused when there are more installments than units.
            self.assertIn("too many installments", str(error))
            self.assertLess(cents, count)
            return
        self.assertEqual(sum(i.amount for i in plan), total)
        self.assertTrue(all(i.amount > 0 for i in plan))
        dates = [i.date_due for i in plan]
        self.assertTrue(all(a < b for a, b in zip(dates, dates[1:], strict=False)))
        self.assertEqual(len(plan), count)


@tagged("post_install", "-at_install")
class TestAllocationAndStatus(BaseCase):
    def test_oldest_installment_first(self):
        self.assertEqual(
            allocate([D(100), D(100), D(100)], D(150)), [D(100), D(50), D(0)]
        )
        self.assertEqual(allocate([D(100), D(100)], D(500)), [D(100), D(100)])
        self.assertEqual(allocate([D(100)], D(-5)), [D(0)])

    def test_plan_status(self):
        start = date(2026, 1, 1)
        plan = [Installment(start, D(100)), Installment(start + timedelta(30), D(100))]
        self.assertEqual(plan_status(plan, D(200), start, 5), ("completed", None))
        # First installment 5 days late: still tolerated; 6 days: broken.
        self.assertEqual(
            plan_status(plan, D(50), start + timedelta(5), 5), ("active", None)
        )
        self.assertEqual(
            plan_status(plan, D(50), start + timedelta(6), 5), ("broken", 0)
        )
        # Paid the first one: the second is judged on its own date.
        self.assertEqual(
            plan_status(plan, D(100), start + timedelta(35), 5), ("active", None)
        )
        self.assertEqual(
            plan_status(plan, D(150), start + timedelta(36), 5), ("broken", 1)
        )

    def test_promise_outcome(self):
        day = date(2026, 5, 10)
        self.assertEqual(
            promise_outcome(D(500), D(500), day, day - timedelta(3), 2), "kept"
        )
        self.assertEqual(
            promise_outcome(D(500), D(0), day, day + timedelta(2), 2), "open"
        )
        self.assertEqual(
            promise_outcome(D(500), D(0), day, day + timedelta(3), 2), "broken"
        )
        self.assertEqual(
            promise_outcome(D(500), D(200), day, day + timedelta(3), 2), "partial"
        )
