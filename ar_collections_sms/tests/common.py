from odoo.addons.ar_collections.tests.common import ArCollectionsCommon
from odoo.addons.sms.tests.common import SMSCase


class ArSmsCommon(ArCollectionsCommon, SMSCase):
    """The collections test company, its first level texting too, and Odoo's
    SMS gateway mocked (``self.mockSMSGateway()``): nothing leaves the test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sms_template = cls.env["sms.template"].create(
            {
                "name": "Test SMS reminder",
                "model_id": cls.env["ir.model"]._get_id("ar.followup.action"),
                "lang": "{{ object.recipient_lang }}",
                "body": "{{ object.company_id.name }}: please pay "
                "{{ format_amount(object.amount_to_pay, object.summary_currency_id) }}"
                " (ref. {{ object.payment_reference }}).",
            }
        )
        cls.level_1.write({"send_sms": True, "sms_template_id": cls.sms_template.id})

    @classmethod
    def sms_customer(cls, name, phone="+32 470 12 34 56", **values):
        """A customer whose collections contact has the mobile ``phone``."""
        partner = cls.customer(name, **values)
        contact = cls.person(partner, f"{name} Payables")
        contact.phone = phone
        partner.ar_contact_id = contact
        return partner

    @staticmethod
    def number(partner):
        """The number Odoo's SMS texts for the customer's collections contact:
        in E.164 form when the ``phonenumbers`` library is installed (as Odoo
        recommends), as entered otherwise."""
        return partner.ar_contact_id._phone_format()

    def send_queued_sms(self):
        """What Odoo's scheduled action "SMS: SMS Queue Manager" does."""
        self.env.ref("sms.ir_cron_sms_scheduler_action").method_direct_trigger()
        self.env.invalidate_all()
