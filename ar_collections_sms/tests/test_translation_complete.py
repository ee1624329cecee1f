from odoo.tests import TransactionCase, tagged

from odoo.addons.ar_collections.tests.translation_checks import TranslationChecks


@tagged("post_install", "-at_install")
class TestSmsTranslationComplete(TranslationChecks, TransactionCase):
    """Every text of ar_collections_sms has its French and German translation."""

    MODULE = "ar_collections_sms"
    KNOWN_TEXTS = ("Send an SMS",)
