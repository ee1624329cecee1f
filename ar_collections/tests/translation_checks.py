"""Checks that an addon of this repository is wholly translated.

A mixin, not a test case: each addon's ``test_translation_complete`` mixes it
with ``TransactionCase`` and names its module and a text the exporter must
find (a guard against a vacuous pass).
"""

import re

import polib
from lxml import etree

from odoo.modules.module import get_manifest
from odoo.tools.misc import file_open, file_path
from odoo.tools.translate import TranslationModuleReader

# "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdf]|%[sdf]")


def placeholders(text):
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


class TranslationChecks:
    """A French or German user sees no English left in ``MODULE``: every text
    Odoo's exporter finds (menus, fields, buttons, messages, reports) has a
    reviewed translation in fr.po and de.po, with the same placeholders."""

    # Odoo's test loader runs only the methods a test class defines itself,
    # unless told to take the inherited ones.
    allow_inherited_tests_method = True
    MODULE = None
    KNOWN_TEXTS = ()  # texts the exporter must find
    MIN_TEXTS = 1
    LANGS = ("fr", "de")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        demo = cls._demo_xmlids()
        reader = TranslationModuleReader(cls.env.cr, modules=[cls.MODULE])
        cls.texts = {
            source
            for module, _type, _name, res_id, source, _value, _comments in reader
            if module == cls.MODULE and res_id not in demo
        }
        cls.po = {
            lang: polib.pofile(file_path(f"{cls.MODULE}/i18n/{lang}.po"))
            for lang in cls.LANGS
        }

    @classmethod
    def _demo_xmlids(cls):
        """Records of the demo files: Odoo exports without demo data, so their
        texts are not part of the translation template."""
        xmlids = set()
        for path in get_manifest(cls.MODULE).get("demo", []):
            with file_open(f"{cls.MODULE}/{path}", "rb") as demo_file:
                for node in etree.parse(demo_file).xpath("//*[@id]"):
                    xmlid = node.get("id")
                    xmlids.add(xmlid if "." in xmlid else f"{cls.MODULE}.{xmlid}")
        return xmlids

    def test_exporter_finds_the_texts(self):
        """Guard against a vacuous pass: the reader sees the addon's texts."""
        for text in self.KNOWN_TEXTS:
            self.assertIn(text, self.texts)
        self.assertGreaterEqual(len(self.texts), self.MIN_TEXTS)

    def test_every_text_translated(self):
        for lang, po in self.po.items():
            with self.subTest(lang=lang):
                done = {
                    entry.msgid
                    for entry in po
                    if not entry.obsolete
                    and entry.msgstr.strip()
                    and "fuzzy" not in entry.flags
                }
                missing = sorted(self.texts - done)
                if missing:
                    self.fail(
                        f"{len(missing)} of {len(self.texts)} texts have no {lang} "
                        "translation (re-export the .pot, msgmerge, translate):\n"
                        + "\n".join(repr(text) for text in missing)
                    )

    def test_placeholders_kept(self):
        for lang, po in self.po.items():
            with self.subTest(lang=lang):
                wrong = [
                    f"{entry.msgid!r} -> {entry.msgstr!r}"
                    for entry in po
                    if entry.msgstr
                    and placeholders(entry.msgid) != placeholders(entry.msgstr)
                ]
                if wrong:
                    self.fail(
                        f"{lang}: placeholders differ from the English:\n"
                        + "\n".join(wrong)
                    )
