from psycopg2.errors import CheckViolation, UniqueViolation

from odoo.exceptions import UserError, ValidationError
from odoo.fields import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ArCollectionsCommon


@tagged("post_install", "-at_install")
class TestPolicyValidation(ArCollectionsCommon):
    def test_policy_needs_a_level(self):
        with self.assertRaisesRegex(ValidationError, "needs at least one level"):
            self.env["ar.followup.policy"].create({"name": "Empty"})

    def test_delays_must_increase(self):
        with self.assertRaisesRegex(ValidationError, "strictly increase"):
            self.env["ar.followup.policy"].create(
                {
                    "name": "Backwards",
                    "level_ids": [
                        Command.create({"name": "A", "sequence": 1, "delay": 10}),
                        Command.create({"name": "B", "sequence": 2, "delay": 10}),
                    ],
                }
            )
        with (
            self.assertRaisesRegex(ValidationError, "strictly increase"),
            self.cr.savepoint(),
        ):
            self.level_3.delay = 5
        # nothing half-written: the level keeps its delay
        self.assertEqual(self.level_3.delay, 30)

    def test_email_needs_template(self):
        with self.assertRaisesRegex(ValidationError, "has no email template"):
            self.level_1.mail_template_id = False

    def test_last_level_cannot_be_deleted(self):
        policy = self.env["ar.followup.policy"].create(
            {"name": "One", "level_ids": [Command.create({"name": "Only", "delay": 5})]}
        )
        with self.assertRaisesRegex(UserError, "archive the policy"):
            policy.level_ids.unlink()

    def test_negative_settings_rejected(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(CheckViolation),
            self.cr.savepoint(),
        ):
            self.policy.grace_days = -1
            self.env.flush_all()

    def test_one_default_per_company(self):
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(UniqueViolation),
            self.cr.savepoint(),
        ):
            self.policy.copy({"name": "Second default", "is_default": True})
            self.env.flush_all()

    def test_partner_policy_overrides_default(self):
        special = self.policy.copy({"name": "Special", "is_default": False})
        partner = self.customer("Special Customer")
        self.assertEqual(partner._ar_get_policy(self.company), self.policy)
        partner.with_company(self.company).ar_policy_id = special
        self.assertEqual(partner._ar_get_policy(self.company), special)
        special.active = False
        self.assertEqual(partner._ar_get_policy(self.company), self.policy)


@tagged("post_install", "-at_install")
class TestShippedPolicy(ArCollectionsCommon):
    def test_default_policy_levels(self):
        shipped = self.env.ref("ar_collections.ar_followup_policy_default").sudo()
        levels = shipped._get_levels()
        self.assertEqual(levels.mapped("delay"), [3, 15, 30, 45, 60, 90])
        self.assertTrue(all(lv.mail_template_id for lv in levels if lv.send_email))
        handover = levels[-1]
        self.assertTrue(handover.hand_over and handover.requires_approval)
        self.assertTrue(levels[4].set_credit_hold)
