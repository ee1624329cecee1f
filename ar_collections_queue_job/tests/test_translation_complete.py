import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

MODULE = "ar_collections_queue_job"


@tagged("post_install", "-at_install")
class TestQueueJobTranslationComplete(TransactionCase):
    """Every text of the job queue addon (its fields, views and messages)
    has a French and a German translation."""

    def test_every_text_translated(self):
        reader = TranslationModuleReader(self.env.cr, modules=[MODULE])
        texts = {row[4] for row in reader if row[0] == MODULE}
        self.assertIn("Batch jobs", texts)
        for lang in ("fr", "de"):
            po = polib.pofile(file_path(f"{MODULE}/i18n/{lang}.po"))
            done = {
                entry.msgid
                for entry in po
                if not entry.obsolete
                and entry.msgstr.strip()
                and "fuzzy" not in entry.flags
            }
            with self.subTest(lang=lang):
                self.assertFalse(
                    sorted(texts - done), f"texts without a {lang} translation"
                )
