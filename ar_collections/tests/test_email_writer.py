"""The fast email writer gives the emails Odoo's own rendering gives.

The daily run writes its emails in batches with the layout rendered once per
language and company and the chatter body stored as rendered; the reference
path (``ar_email_reference``: Odoo's ``_render_encapsulate`` and ``create``
for each email, as a user's send does) writes the same actions again, and
every email must be the same.
"""

from unittest.mock import patch

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.orm import fields_textual
from odoo.tests import tagged
from odoo.tools import format_amount

from ..models.email_batch_rendering import amount_formatter, needs_odoo_create
from .common import ArCollectionsCommon

TEMPLATES = [
    "ar_collections.mail_template_followup_reminder",
    "ar_collections.mail_template_followup_firm",
    "ar_collections.mail_template_followup_formal_notice",
]


@tagged("post_install", "-at_install")
class TestEmailWriterSameOutput(ArCollectionsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for level, xmlid in zip(cls.policy._get_levels(), TEMPLATES, strict=True):
            level.mail_template_id = cls.env.ref(xmlid)
        cls.customers = cls.env["res.partner"]
        for index in range(6):
            customer = cls.customer(f"Writer {index}", phone=f"+32 2 555 00 0{index}")
            for days in range(1 + index % 3):
                cls.invoice(customer, 100 + 10 * index + days, days_overdue=10 + days)
            cls.customers |= customer
        # A collections contact person: greeted by name, the company copied.
        cls.contact = cls.person(cls.customers[0], "Paula Payable")
        cls.customers[0].ar_contact_id = cls.contact
        cls.customers[1].ref = "CUST-0001"

    def snapshot(self, mail):
        message = mail.mail_message_id
        return {
            "subject": mail.subject,
            "body_html": mail.body_html,
            "email_from": mail.email_from,
            "email_cc": mail.email_cc,
            "reply_to": mail.reply_to,
            "recipients": mail.recipient_ids.ids,
            "attachments": sorted(mail.attachment_ids.mapped("name")),
            "author": message.author_id.id,
            "message_type": message.message_type,
            "subtype": message.subtype_id.id,
            "document": (message.model, message.res_id),
            "state": mail.state,
            "scheduled_date": mail.scheduled_date,
        }

    def write_emails(self, actions, reference):
        """Each action's email and chatter body, written then rolled back."""
        with self.env.cr.savepoint() as savepoint:
            # As the email job runs: as superuser.
            actions.sudo().with_context(ar_email_reference=reference)._send_email()
            self.env.flush_all()
            written = {
                action: (
                    self.snapshot(action.mail_message_id.mail_ids),
                    str(action.mail_message_id.body),
                )
                for action in actions
            }
            savepoint.rollback()
        self.env.invalidate_all()
        return written

    @staticmethod
    def bodies_sanitized(spy):
        """The sanitizer's calls on a whole email (an empty value is not one)."""
        return sum(1 for call in spy.call_args_list if "</table>" in str(call.args[0]))

    def test_same_emails_as_odoo_rendering(self):
        self.run_followup()
        actions = self.env["ar.followup.action"].search(
            [("partner_id", "in", self.customers.ids), ("action_type", "=", "email")]
        )
        self.assertEqual(len(actions), len(self.customers))
        self.assertTrue(all(actions.mapped("mail_message_id")), "every email written")
        # A spy on Odoo's sanitizer (it still runs): the batch path sanitizes
        # the layout once per language and company, not each email's body.
        sanitize = fields_textual.html_sanitize
        with patch.object(fields_textual, "html_sanitize", wraps=sanitize) as spy:
            fast = self.write_emails(actions, reference=False)
        self.assertLess(self.bodies_sanitized(spy), len(actions))
        with patch.object(fields_textual, "html_sanitize", wraps=sanitize) as spy:
            odoo = self.write_emails(actions, reference=True)
        self.assertGreaterEqual(self.bodies_sanitized(spy), len(actions))
        message = self.env["mail.message"]
        body_field = message._fields["body"]
        for action in actions:
            (new, new_body), (old, old_body) = fast[action], odoo[action]
            self.assertEqual(new, old)
            self.assertEqual(new["state"], "outgoing", "in Odoo's mail queue")
            self.assertEqual(new["document"], ("res.partner", action.partner_id.id))
            self.assertIn(action.partner_id.name, new["body_html"])
            # On the customer's chatter: what Odoo stores once sanitized (but
            # for the blank lines the sanitizer leaves before the layout).
            self.assertEqual(
                str(body_field.convert_to_cache(new_body, message)).strip(),
                old_body.strip(),
            )

    def test_what_only_odoo_create_may_store(self):
        unsafe = [
            "<p>Hi</p><script>alert(1)</script>",
            "<p>Hi</p>< SCRIPT >alert(1)</script>",
            '<a href="#" onclick="pay()">pay</a>',
            '<a href="#"\tONMOUSEOVER = "pay()">pay</a>',
            '<img src="data:image/png;base64,AAAA"/>',
            '<a href="JavaScript:pay()">pay</a>',
            "<iframe src='x'></iframe>",
            "<form action='/x'><input name='a'/></form>",
            '<div style="width: expression (alert(1))">x</div>',
            "<META http-equiv='refresh' content='0'>",
        ]
        safe = [
            '<p style="position: relative; font-size: 13px;">Dear Acme, '
            "your balance is due; a button below opens your page.</p>",
            '<a href="https://example.com/c/abc" style="color: #fff">Pay now</a>',
            "<table><tr><td>INV/2026/00001</td><td>1,500.00 $</td></tr></table>",
        ]
        for body in unsafe:
            self.assertTrue(needs_odoo_create(body), body)
        for body in safe:
            self.assertFalse(needs_odoo_create(body), body)

    def test_edited_template_with_script_is_sanitized_on_chatter(self):
        """A template edited with a script is cleaned on the chatter as Odoo does."""
        template = self.env.ref(TEMPLATES[0])
        # Stored as is (a template's own sanitizer may be overridden by its
        # editors): the email writer is the last guard of the chatter.
        self.env.cr.execute(
            "UPDATE mail_template SET body_html = jsonb_build_object('en_US', %s) "
            "WHERE id = %s",
            (
                '<div><p>Hello <t t-out="object.partner_id.name"/></p>'
                '<script>alert("x")</script>'
                '<a href="#" onclick="alert(1)">pay</a></div>',
                template.id,
            ),
        )
        template.invalidate_recordset(["body_html"])
        self.assertIn("<script", template.body_html)
        self.run_followup()
        actions = self.env["ar.followup.action"].search(
            [("partner_id", "in", self.customers.ids), ("action_type", "=", "email")]
        )
        self.assertTrue(actions)
        for action in actions:
            body = str(action.mail_message_id.body)
            self.assertIn(action.partner_id.name, body)
            self.assertNotIn("<script", body)
            self.assertNotIn("onclick", body)


@tagged("post_install", "-at_install")
class TestEmailAmountFormat(ArCollectionsCommon):
    """The email writer's amount formatter writes Odoo's ``format_amount``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for code in ("fr_FR", "de_DE"):
            cls.env["res.lang"]._activate_lang(code)
        cls.currencies = (
            cls.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", ("USD", "EUR", "JPY", "KWD", "CHF"))])
        )

    @settings(max_examples=300, deadline=None)
    @given(
        amount=st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        index=st.integers(min_value=0, max_value=4),
        lang=st.sampled_from(["en_US", "fr_FR", "de_DE", False]),
    )
    def test_same_text_as_odoo(self, amount, index, lang):
        currency = self.currencies[index % len(self.currencies)]
        env = self.env(context={"lang": "fr_FR"})
        fast = amount_formatter(env)
        self.assertEqual(
            fast(amount, currency, lang),
            format_amount(env, amount, currency, lang),
        )
        # A second call (the looked-up pair) gives the same text again.
        self.assertEqual(
            fast(amount, currency, lang), format_amount(env, amount, currency, lang)
        )
