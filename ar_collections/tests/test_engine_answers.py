"""Bounds of a plan the customer requests, and when it may promise by
itself (pure engine)."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine import answers
from ..engine.answers import (
    PlanBounds,
    first_installment_date,
    plan_refusal,
    promise_refusal,
)
from ..engine.plans import schedule

TODAY = date(2026, 3, 2)
BOUNDS = PlanBounds(
    max_installments=6,
    min_installment=D("50.00"),
    max_days=120,
    frequencies=("weekly", "monthly"),
)


def refusal(total, count, frequency, bounds=BOUNDS):
    plan = schedule(D(total), first_installment_date(TODAY), frequency, count=count)
    result = plan_refusal(count, frequency, plan, TODAY, bounds)
    return result and result[0]


@tagged("post_install", "-at_install")
class TestPlanBounds(BaseCase):
    def test_within_bounds(self):
        self.assertIsNone(refusal("600", 3, "monthly"))
        self.assertIsNone(refusal("600", 6, "weekly"))

    def test_each_bound(self):
        self.assertEqual(refusal("600", 3, "biweekly"), answers.PLAN_FREQUENCY)
        self.assertEqual(refusal("600", 1, "monthly"), answers.PLAN_TOO_FEW)
        self.assertEqual(refusal("6000", 7, "weekly"), answers.PLAN_TOO_MANY)
        # 200 in 5: 40 each, below 50.
        self.assertEqual(
            refusal("200", 5, "weekly"), answers.PLAN_INSTALLMENT_TOO_SMALL
        )
        # 6 monthly installments from a week ahead: the last ~157 days away.
        self.assertEqual(refusal("6000", 6, "monthly"), answers.PLAN_TOO_LONG)

    def test_the_smallest_installment_is_the_remainder(self):
        bounds = PlanBounds(3, D("33.34"), 365, ("monthly",))
        # 100 in 3: 33.33, 33.33, 33.34: two below 33.34.
        self.assertEqual(
            refusal("100", 3, "monthly", bounds), answers.PLAN_INSTALLMENT_TOO_SMALL
        )

    @settings(max_examples=200, deadline=None)
    @given(
        total=st.integers(min_value=1, max_value=10**6),
        count=st.integers(min_value=2, max_value=6),
        frequency=st.sampled_from(["weekly", "monthly"]),
    )
    def test_accepted_plans_are_within_every_bound(self, total, count, frequency):
        plan = schedule(D(total), first_installment_date(TODAY), frequency, count=count)
        if plan_refusal(count, frequency, plan, TODAY, BOUNDS) is None:
            self.assertLessEqual(len(plan), BOUNDS.max_installments)
            self.assertGreaterEqual(min(i.amount for i in plan), BOUNDS.min_installment)
            self.assertLessEqual((plan[-1].date_due - TODAY).days, BOUNDS.max_days)
            self.assertEqual(sum(i.amount for i in plan), D(total))


@tagged("post_install", "-at_install")
class TestPromiseRefusal(BaseCase):
    def test_rules(self):
        self.assertIsNone(promise_refusal(0, 1, False, True))
        self.assertEqual(
            promise_refusal(0, 1, True, True)[0], answers.PROMISE_AFTER_BROKEN
        )
        self.assertIsNone(promise_refusal(0, 1, True, False))
        self.assertEqual(
            promise_refusal(1, 1, False, True),
            (answers.PROMISE_TOO_MANY_OPEN, {"count": 1}),
        )
