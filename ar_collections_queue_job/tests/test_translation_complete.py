from odoo.tests import TransactionCase, tagged

from odoo.addons.ar_collections.tests.translation_checks import TranslationChecks


@tagged("post_install", "-at_install")
class TestQueueJobTranslationComplete(TranslationChecks, TransactionCase):
    """Every text of ar_collections_queue_job has its French and German translation."""

    MODULE = "ar_collections_queue_job"
    KNOWN_TEXTS = ("Batch jobs",)
