"""Workspace rules, pure Python: aging buckets, DSO, priority, behaviour score."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from odoo.tests import BaseCase, tagged

from ..engine.workspace import (
    AGING_BUCKETS,
    CREDIT_BUCKET,
    PaymentHistory,
    PriorityInput,
    aging,
    aging_bucket,
    behaviour_score,
    dso,
    priority,
    rank,
)


@tagged("post_install", "-at_install")
class TestEngineWorkspace(BaseCase):
    def test_aging_bucket_edges(self):
        cases = {
            -5: "current",
            0: "current",
            1: "1_30",
            30: "1_30",
            31: "31_60",
            60: "31_60",
            61: "61_90",
            90: "61_90",
            91: "90_plus",
            400: "90_plus",
        }
        for days, key in cases.items():
            with self.subTest(days=days):
                self.assertEqual(aging_bucket(days), key)

    @given(
        st.lists(
            st.tuples(st.integers(-100, 1000), st.integers(-(10**6), 10**6)),
            max_size=20,
        )
    )
    def test_aging_sums_to_total(self, rows):
        amounts = [(days, Decimal(cents) / 100) for days, cents in rows]
        buckets = aging(amounts)
        self.assertEqual(
            list(buckets), [key for key, _l, _h in AGING_BUCKETS] + [CREDIT_BUCKET]
        )
        self.assertEqual(sum(buckets.values()), sum(a for _d, a in amounts))
        # Credits are not aged: the overdue buckets hold what is owed late.
        self.assertEqual(buckets[CREDIT_BUCKET], sum(a for _d, a in amounts if a < 0))
        self.assertEqual(
            sum(buckets[key] for key, low, _h in AGING_BUCKETS if low),
            sum(a for d, a in amounts if d > 0 and a > 0),
        )

    def test_dso(self):
        # 1,200 owed at the end of a 30-day month after 1,500 of sales: 24 days.
        self.assertEqual(dso(Decimal(1200), Decimal(1500), 30), Decimal("24.0"))
        self.assertEqual(dso(Decimal(100), Decimal(300), 31), Decimal("10.3"))
        self.assertIsNone(dso(Decimal(100), Decimal(0), 30))

    def test_priority_formula(self):
        # 5,000 overdue (5) + 40 days (20) + level 2 (30) + 1 broken (20)
        # + score 80 (risk 20 * 0.5 = 10) = 85.
        item = PriorityInput(Decimal(5000), 40, 2, 1, 80)
        self.assertEqual(priority(item), Decimal("85.00"))
        # Unknown score counts as neutral (50 -> 25), caps hold.
        capped = PriorityInput(Decimal(10**9), 1000, 0, 10, None)
        self.assertEqual(priority(capped), Decimal(100 + 90 + 60 + 25))

    def test_rank(self):
        items = {
            1: PriorityInput(Decimal(100), 5),
            2: PriorityInput(Decimal(100), 50),
            3: PriorityInput(Decimal(100), 5, broken_promises=2),
            4: PriorityInput(Decimal(100), 5),
        }
        # 1 and 4: 0.1 + 2.5 + 25 = 27.6; 2: 0.1 + 25 + 25 = 50.1; 3: 27.6 + 40.
        self.assertEqual(rank(items), [3, 2, 1, 4])

    @given(
        st.integers(0, 10**7),
        st.integers(-30, 400),
        st.integers(0, 6),
        st.integers(0, 5),
        st.one_of(st.none(), st.integers(0, 100)),
    )
    def test_priority_grows_with_each_factor(self, amount, days, level, broken, score):
        base = PriorityInput(Decimal(amount), days, level, broken, score)
        worse = PriorityInput(
            Decimal(amount + 1000),
            days + 1,
            level + 1,
            broken + 1,
            None if score is None else max(score - 1, 0),
        )
        self.assertGreater(priority(worse), priority(base))

    def test_score_and_explanation(self):
        history = PaymentHistory(
            paid_count=10,
            late_count=4,
            average_days_late=Decimal(20),
            broken_promises=1,
            disputes=2,
        )
        score = behaviour_score(history)
        # 100 - 10 (20 days * 0.5) - 12 (40 % of 30) - 10 (1 broken) - 10 (2 disputes)
        self.assertEqual(score.value, 58)
        self.assertEqual(score.trust, "normal")
        self.assertEqual(
            [(f.code, f.points) for f in score.factors],
            [
                ("share_late", 12),
                ("days_late", 10),
                ("broken_promises", 10),
                ("disputes", 10),
            ],
        )

    def test_score_needs_history(self):
        self.assertIsNone(behaviour_score(PaymentHistory(paid_count=2)).value)
        perfect = behaviour_score(PaymentHistory(paid_count=3))
        self.assertEqual(
            (perfect.value, perfect.trust, perfect.factors), (100, "good", [])
        )
        broken = behaviour_score(PaymentHistory(paid_count=0, broken_promises=3))
        self.assertEqual((broken.value, broken.trust), (70, "normal"))

    @given(
        st.integers(0, 50),
        st.integers(0, 50),
        st.integers(0, 400),
        st.integers(0, 10),
        st.integers(0, 10),
    )
    def test_score_bounds(self, paid, late, days, broken, disputes):
        late = min(late, paid)
        score = behaviour_score(
            PaymentHistory(paid, late, Decimal(days), broken, disputes)
        )
        if score.value is not None:
            self.assertTrue(0 <= score.value <= 100)
            self.assertEqual(
                score.value, max(0, 100 - sum(f.points for f in score.factors))
            )
            self.assertIn(score.trust, ("good", "normal", "bad"))
