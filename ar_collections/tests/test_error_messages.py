"""A user reads the engine's refusals and the amounts in notes in their own
language, with the currency's own decimals."""

from datetime import date, timedelta
from decimal import Decimal as D

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import BaseCase, tagged

from ..engine import errors
from ..engine.errors import EngineError, FeeError, PlanError, PolicyError
from ..engine.fees import reference_rates
from ..engine.levels import LevelSpec, PolicySpec
from ..engine.money import simple_interest
from ..engine.plans import installment_dates, schedule
from ..models.engine_messages import _MESSAGES
from .common import ArCollectionsCommon

START = date(2026, 1, 1)


@tagged("post_install", "-at_install")
class TestEngineErrors(BaseCase):
    """Each refusal carries a stable code and the figures behind it."""

    def assert_refused(self, error_class, code, call, **values):
        with self.assertRaises(error_class) as caught:
            call()
        self.assertEqual(caught.exception.code, code)
        for key, value in values.items():
            self.assertEqual(caught.exception.values[key], value)
        self.assertIsInstance(caught.exception, ValueError)
        return caught.exception

    def test_policy_refusals(self):
        self.assert_refused(PolicyError, errors.POLICY_NO_LEVEL, lambda: PolicySpec(()))
        error = self.assert_refused(
            PolicyError,
            errors.POLICY_DELAYS_NOT_INCREASING,
            lambda: PolicySpec((LevelSpec(7, 10), LevelSpec(8, 10))),
            level_id=8,
            delay=10,
            previous_id=7,
            previous_delay=10,
        )
        self.assertIn("strictly increasing", str(error))
        self.assert_refused(
            PolicyError,
            errors.POLICY_NEGATIVE_GRACE_DAYS,
            lambda: PolicySpec((LevelSpec(1, 3),), grace_days=-2),
            days=-2,
        )
        self.assert_refused(
            PolicyError,
            errors.POLICY_NEGATIVE_DAYS_BETWEEN,
            lambda: PolicySpec((LevelSpec(1, 3),), min_days_between=-1),
            days=-1,
        )
        self.assert_refused(
            PolicyError,
            errors.POLICY_NEGATIVE_PAYMENT_DAYS,
            lambda: PolicySpec((LevelSpec(4, 3, payment_days=-5),)),
            level_id=4,
            days=-5,
        )

    def test_plan_refusals(self):
        cases = [
            (errors.PLAN_NO_INSTALLMENT, {"count": 0}, {"count": 0}),
            (
                errors.PLAN_TOO_MANY_INSTALLMENTS,
                {"count": 10, "total": D("0.05")},
                {"count": 10, "total": D("0.05")},
            ),
            (errors.PLAN_INSTALLMENT_NOT_POSITIVE, {"amount": D(0)}, {}),
            (
                errors.PLAN_BAD_DOWN_PAYMENT,
                {"count": 2, "down_payment": D(1000)},
                {"down_payment": D(1000), "total": D(1000)},
            ),
            (errors.PLAN_COUNT_OR_AMOUNT, {}, {}),
            (errors.PLAN_TOTAL_NOT_POSITIVE, {"count": 2, "total": D(0)}, {}),
            (
                errors.PLAN_DOWN_PAYMENT_TOO_LATE,
                {
                    "count": 2,
                    "down_payment": D(100),
                    "down_payment_date": START + timedelta(days=3),
                },
                {"date": START + timedelta(days=3), "first": START},
            ),
        ]
        for code, kwargs, values in cases:
            with self.subTest(code=code):
                total = kwargs.pop("total", D(1000))
                self.assert_refused(
                    PlanError,
                    code,
                    lambda t=total, k=kwargs: schedule(t, START, "monthly", **k),
                    **values,
                )
        self.assert_refused(
            PlanError,
            errors.PLAN_UNKNOWN_FREQUENCY,
            lambda: installment_dates(START, 2, "daily"),
            frequency="daily",
        )

    def test_fee_refusals(self):
        self.assert_refused(
            FeeError,
            errors.FEE_NO_REFERENCE_RATE,
            lambda: reference_rates([], "eu", D(8), START, START),
            date=START,
        )
        self.assert_refused(
            FeeError,
            errors.FEE_BAD_DAYS_IN_YEAR,
            lambda: simple_interest([], [], START, START, days_in_year=366),
            days_in_year=366,
        )

    def test_every_code_has_a_message(self):
        codes = {
            value
            for name, value in vars(errors).items()
            if name.isupper() and isinstance(value, str)
        }
        self.assertEqual(set(errors.DEFAULT_TEXT), codes)
        self.assertEqual(set(_MESSAGES), codes, "every code has a translated text")
        for code in codes:
            self.assertNotEqual(str(EngineError(code, **_SAMPLE)), code)


# Enough values for any code's English text.
_SAMPLE = {
    "level_id": 1,
    "delay": 3,
    "previous_id": 2,
    "previous_delay": 3,
    "days": -1,
    "frequency": "daily",
    "down_payment": D(1),
    "total": D(1),
    "count": 2,
    "date": START,
    "first": START,
    "days_in_year": 366,
    "hour": 25.0,
    "hour_from": 21.0,
    "hour_to": 8.0,
    "cap": 0,
}


@tagged("post_install", "-at_install")
class TestMessagesInFrench(ArCollectionsCommon):
    """A French user gets the engine's refusals in French, with amounts and
    dates written the French way."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(
            ["ar_collections"], ["fr_FR"], overwrite=True
        )
        for user in (cls.collector, cls.manager):
            user.lang = "fr_FR"
        cls.customer_fr = cls.customer("Client Français")
        cls.move = cls.invoice(cls.customer_fr, 1234.5, days_overdue=20)

    def french(self, model, user):
        """``model`` as ``user`` sees it in the web client: in their language."""
        return self.env[model].with_user(user).with_context(lang=user.lang)

    def plan_wizard(self, **values):
        return (
            self.french("ar.payment.plan.create", self.collector)
            .with_context(active_model="account.move", active_ids=self.move.ids)
            .create(
                {
                    "installment_count": 3,
                    "frequency": "monthly",
                    "date_first": self.today + timedelta(days=7),
                    **values,
                }
            )
        )

    def test_bad_plan_in_french(self):
        with self.assertRaises(UserError) as caught:
            self.plan_wizard(installment_count=0).action_create()
        self.assertEqual(
            str(caught.exception),
            "L'échéancier ne peut pas être construit : un échéancier nécessite au "
            "moins une échéance.",
        )
        first = self.today + timedelta(days=7)
        late = first + timedelta(days=2)
        with self.assertRaises(UserError) as caught:
            self.plan_wizard(
                amount_down_payment=100, date_down_payment=late
            ).action_create()
        self.assertEqual(
            str(caught.exception),
            "L'échéancier ne peut pas être construit : l'acompte (dû le "
            f"{late:%d/%m/%Y}) doit être exigible avant la première échéance "
            f"({first:%d/%m/%Y}).",
        )
        with self.assertRaises(UserError) as caught:
            self.plan_wizard(
                amount_down_payment=1234.5, installment_count=2
            ).action_create()
        message = str(caught.exception)
        self.assertIn("l'acompte (", message)
        self.assertRegex(message, r"1\s234,50", "the total written the French way")
        self.assertNotIn("1234.5", message)

    def test_bad_policy_in_french(self):
        with self.assertRaises(ValidationError) as caught:
            self.french("ar.followup.policy", self.manager).create(
                {
                    "name": "À rebours",
                    "level_ids": [
                        Command.create({"name": "Premier", "sequence": 1, "delay": 10}),
                        Command.create({"name": "Second", "sequence": 2, "delay": 10}),
                    ],
                }
            )
        self.assertEqual(
            str(caught.exception),
            "Dans la politique « À rebours », le niveau « Second » (10 jours) doit "
            "venir après plus de jours de retard que « Premier » (10 jours) : les "
            "jours de retard des niveaux doivent augmenter strictement d'un niveau "
            "au suivant.",
        )
        with self.assertRaises(ValidationError) as caught:
            self.french("ar.followup.policy", self.manager).create({"name": "Vide"})
        self.assertIn("« Vide » nécessite au moins un niveau", str(caught.exception))

    def test_dispute_amounts_in_french(self):
        with self.assertRaises(ValidationError) as caught:
            self.french("ar.dispute", self.collector).create(
                {
                    "move_id": self.move.id,
                    "reason_id": self.env.ref(
                        "ar_collections.ar_nonpayment_reason_dispute_goods"
                    ).id,
                    "amount_disputed": 2000,
                }
            )
        message = str(caught.exception)
        self.assertRegex(message, r"2\s000,00", "the amount written the French way")
        self.assertRegex(message, r"1\s234,50")
        self.assertNotIn("2000.0", message)
        self.assertNotIn("1234.5", message)


@tagged("post_install", "-at_install")
class TestAmountsInNotes(ArCollectionsCommon):
    """Notes name amounts with their currency's decimals: no cents for yen."""

    def test_yen_dispute_note_has_no_decimals(self):
        jpy = self.setup_other_currency("JPY", rates=[("1900-01-01", 100.0)])
        self.assertEqual(jpy.decimal_places, 0)
        customer = self.customer("Tokyo KK")
        move = self.invoice(customer, 123456, days_overdue=20, currency_id=jpy.id)
        reason = self.env.ref("ar_collections.ar_nonpayment_reason_dispute_goods")
        Dispute = self.env["ar.dispute"].with_user(self.collector)
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            Dispute.create(
                {"move_id": move.id, "reason_id": reason.id, "amount_disputed": 200000}
            )
        message = str(caught.exception)
        self.assertIn("¥", message)
        self.assertIn("200,000", message)
        self.assertIn("123,456", message)
        self.assertNotIn("200000.0", message)
        self.assertNotIn("123,456.00", message)
        Dispute.create(
            {"move_id": move.id, "reason_id": reason.id, "amount_disputed": 23456}
        )
        note = self.actions_of(customer, action_type="dispute").note
        self.assertIn("23,456", note)
        self.assertIn("¥", note)
        self.assertNotIn("23,456.", note)
