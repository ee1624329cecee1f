from odoo.tests import TransactionCase, tagged

from .translation_checks import TranslationChecks


@tagged("post_install", "-at_install")
class TestTranslationComplete(TranslationChecks, TransactionCase):
    """Every text of ar_collections has its French and German translation."""

    MODULE = "ar_collections"
    KNOWN_TEXTS = ("Follow-up level", "Send reminder")
    MIN_TEXTS = 500
