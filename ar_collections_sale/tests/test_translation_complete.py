from odoo.tests import TransactionCase, tagged

from odoo.addons.ar_collections.tests.translation_checks import TranslationChecks


@tagged("post_install", "-at_install")
class TestSaleTranslationComplete(TranslationChecks, TransactionCase):
    """Every text of ar_collections_sale has its French and German translation."""

    MODULE = "ar_collections_sale"
    KNOWN_TEXTS = ("Customer on credit hold",)
