from datetime import timedelta

from odoo import fields
from odoo.fields import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ArCollectionsCommon(AccountTestInvoicingCommon):
    """A company with a three-level policy, a collector and helpers for a book.

    Dates are relative to today: ``self.invoice(partner, 100, days_overdue=20)``
    makes an invoice that fell due 20 days ago.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.today = fields.Date.context_today(cls.env.user)
        cls.env["ar.followup.policy"].search(
            [("company_id", "=", cls.company.id), ("is_default", "=", True)]
        ).is_default = False
        cls.template = cls.env["mail.template"].create(
            {
                "name": "Test reminder",
                "model_id": cls.env["ir.model"]._get_id("ar.followup.action"),
                "subject": "Reminder from {{ object.company_id.name }}",
                "email_from": "{{ object.company_id.email_formatted }}",
                "partner_to": "{{ object.contact_id.id or object.partner_id.id }}",
                "body_html": """<div>
                    <p>Dear <t t-out="object.partner_id.name"/>,</p>
                    <t t-foreach="object.line_ids" t-as="line">
                        <p>Invoice <t t-out="line.move_id.name"/></p>
                    </t>
                </div>""",
            }
        )
        cls.collector = cls._create_user(
            "collector", "ar_collections.ar_collections_group_user"
        )
        cls.manager = cls._create_user(
            "collections_manager", "ar_collections.ar_collections_group_manager"
        )
        cls.policy = cls.env["ar.followup.policy"].create(
            {
                "name": "Test policy",
                "company_id": cls.company.id,
                "is_default": True,
                "level_ids": [
                    Command.create(
                        {
                            "name": "Friendly reminder",
                            "sequence": 10,
                            "delay": 3,
                            "send_email": True,
                            "mail_template_id": cls.template.id,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Firm reminder",
                            "sequence": 20,
                            "delay": 15,
                            "tone": "firm",
                            "send_email": True,
                            "mail_template_id": cls.template.id,
                            "schedule_call": True,
                        }
                    ),
                    Command.create(
                        {
                            "name": "Formal notice",
                            "sequence": 30,
                            "delay": 30,
                            "tone": "formal_notice",
                            "send_email": True,
                            "mail_template_id": cls.template.id,
                            "print_letter": True,
                            "set_credit_hold": True,
                        }
                    ),
                ],
            }
        )
        cls.level_1, cls.level_2, cls.level_3 = cls.policy._get_levels()

    @classmethod
    def _create_user(cls, login, group_xmlid, company=None):
        company = company or cls.company_data["company"]
        return cls.env["res.users"].create(
            {
                "name": login.replace("_", " ").title(),
                "login": login,
                "email": f"{login}@example.com",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "group_ids": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("account.group_account_invoice").id,
                            cls.env.ref(group_xmlid).id,
                        ]
                    )
                ],
            }
        )

    @classmethod
    def customer(cls, name, email=True, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": email and f"{name.lower().replace(' ', '.')}@example.com",
                **values,
            }
        )

    @classmethod
    def person(cls, company, name):
        """A contact person of ``company`` with an email address."""
        return cls.env["res.partner"].create(
            {
                "name": name,
                "parent_id": company.id,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
            }
        )

    @classmethod
    def invoice(
        cls, partner, amount, days_overdue=0, company=None, post=True, **values
    ):
        """A posted customer invoice of ``amount`` due ``days_overdue`` days ago."""
        company = company or cls.company_data["company"]
        due = fields.Date.context_today(cls.env.user) - timedelta(days=days_overdue)
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Services", "price_unit": amount, "tax_ids": []}
                        )
                    ],
                    **values,
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def pay(cls, invoice, amount=None, days_ago=0):
        """Register a payment (full by default) reconciled with ``invoice``."""
        values = {
            "payment_date": fields.Date.context_today(cls.env.user)
            - timedelta(days=days_ago)
        }
        if amount is not None:
            values["amount"] = amount
        return cls._register_payment(invoice, **values)

    def run_followup(self, company=None):
        """Run today's follow-up synchronously, as the Run now button does."""
        company = company or self.company
        run = self.env["ar.followup.run"].sudo()._start_or_resume(company, "manual")
        self.assertTrue(run, "a run should start")
        run._process(commit=False)
        return run

    def actions_of(self, partner, **filters):
        domain = [("partner_id", "=", partner.id)]
        domain += [(key, "=", value) for key, value in filters.items()]
        return self.env["ar.followup.action"].search(domain)

    def mails_to(self, partner):
        """Emails to the customer or its contacts (not notifications to users)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", partner.id),
                ("recipient_ids", "child_of", partner.id),
            ]
        )
