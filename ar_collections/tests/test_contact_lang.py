from lxml import etree

from odoo.tests import Form, TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestContactLanguage(TransactionCase):
    """Reminders go out in the collections contact's language: the contact
    dialog of a customer (Contacts & Addresses tab) shows and sets it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")

    def _child_form_lang_nodes(self):
        views = self.env["res.partner"].get_views([(False, "form")])
        arch = etree.fromstring(views["views"]["form"]["arch"])
        return arch.xpath("//field[@name='child_ids']/form//field[@name='lang']")

    def test_lang_visible_in_contact_dialog(self):
        nodes = self._child_form_lang_nodes()
        self.assertEqual(len(nodes), 1)
        self.assertNotIn(nodes[0].get("invisible"), ("True", "1", "true"))

    def test_contact_language_set_from_customer_form(self):
        with Form(self.env["res.partner"]) as customer:
            customer.name = "Lumière SARL"
            customer.company_type = "company"
            with customer.child_ids.new() as contact:
                contact.name = "Claire Payables"
                contact.lang = "fr_FR"
        self.assertEqual(customer.record.child_ids.lang, "fr_FR")
