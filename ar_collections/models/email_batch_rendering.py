"""Rendering the follow-up emails of a batch without repeating per email
what is the same for all: the layout (rendered and sanitized once per
language and company), the language's and currency's formats, the check of
what only Odoo's create may store."""

import ast
import re
import textwrap

from markupsafe import Markup, escape

from odoo import tools
from odoo.tools import float_round
from odoo.tools.misc import get_lang

from odoo.addons.base.models.res_lang import intersperse

# The body and the preview of the layout rendered once (see ``render_layout_once``).
BODY_MARKER = "ar-email-body-marker"
BODY_MARKUP = Markup("<p>%s</p>") % BODY_MARKER


# What only Odoo's create may store: embedded images (made attachments) and
# anything its sanitizer would take out of a chatter body. Checked on the
# lowercased body, with patterns that start with a literal (a scan of each
# body, fast enough to run on every email).
_UNSAFE_TEXTS = ("data:", "javascript:", "vbscript:")
_UNSAFE_TAG = re.compile(
    r"<[\s/]*(?:script|iframe|frame|object|embed|applet|form|input|button|"
    r"textarea|select|meta|link|base|svg|math)\b"
)
_HANDLER = re.compile(r"on[a-z]+\s*=")  # an event handler when after a space
_EXPRESSION = re.compile(r"expression\s*\(")


def needs_odoo_create(body):
    """True when only Odoo's create and sanitizer may store ``body``."""
    text = str(body).lower()
    return (
        any(unsafe in text for unsafe in _UNSAFE_TEXTS)
        or bool(_UNSAFE_TAG.search(text) or _EXPRESSION.search(text))
        or any(
            match.start() and text[match.start() - 1].isspace()
            for match in _HANDLER.finditer(text)
        )
    )


def batch_formats(context):
    """Odoo's ``format_date`` of a rendering context, remembering its results
    (the same due dates come back in many emails of a batch, and each call
    looks up the language again), and ``format_amount`` with the language
    and currency looked up once per pair (see ``amount_formatter``)."""
    results = {}

    def format_date(*args, **kwargs):
        key = (args, tuple(sorted(kwargs.items())))
        try:
            if key not in results:
                results[key] = context["format_date"](*args, **kwargs)
        except TypeError:  # an argument that cannot be a key
            return context["format_date"](*args, **kwargs)
        return results[key]

    return {
        "format_date": format_date,
        "format_amount": amount_formatter(context["env"]),
    }


def amount_formatter(env):
    """``odoo.tools.format_amount(env, amount, currency, lang_code)`` with the
    language's separators and the currency's symbol read once per pair: the
    same text, at a fraction of the cost (each of Odoo's calls looks the
    language up, parses its grouping and reads the currency again)."""
    specs = {}

    def format_amount(amount, currency, lang_code=False):
        key = (currency.id, lang_code)
        if key not in specs:
            lang = get_lang(env, lang_code)
            symbol = currency.symbol or ""
            specs[key] = (
                f"%.{currency.decimal_places}f",
                currency.rounding,
                lang.decimal_point,
                ast.literal_eval(lang.grouping),
                lang.thousands_sep or "",
                f"{symbol}\N{NO-BREAK SPACE}" if currency.position == "before" else "",
                f"\N{NO-BREAK SPACE}{symbol}" if currency.position != "before" else "",
            )
        fmt, rounding, point, grouping, separator, pre, post = specs[key]
        parts = (fmt % float_round(amount, precision_rounding=rounding)).split(".")
        parts[0] = intersperse(parts[0], grouping, separator)[0]
        text = (
            point.join(parts)
            .replace(" ", "\N{NO-BREAK SPACE}")
            .replace("-", "-\N{ZERO WIDTH NO-BREAK SPACE}")
        )
        return f"{pre}{text}{post}"

    return format_amount


def render_layout_once(template, layout_xmlid, add_context, record):
    """The layout rendered once around a marker body.

    Odoo's ``_render_encapsulate`` renders the whole layout for each email;
    its only parts that change from one email to the next here are the body
    and the preview text taken from it (the header and footer depend on the
    company and the language). Returns the email's (head, tail) and the
    chatter's: the same layout once through the chatter body's sanitizer
    (which drops the page's head and ``html``/``body`` tags), or None when
    the marker does not come out of it whole.
    """
    html = template._render_encapsulate(
        layout_xmlid, BODY_MARKUP, add_context=add_context, context_record=record
    )
    head, tail = str(html).split(str(BODY_MARKUP))
    message = template.env["mail.message"]
    chatter = message._fields["body"].convert_to_cache(html, message)
    parts = str(chatter).split(str(BODY_MARKUP))
    chatter_parts = (parts[0], Markup(parts[1])) if len(parts) == 2 else None
    return (head, Markup(tail)), chatter_parts


def preview_text(body):
    """The preview text Odoo's layout shows before the body (the inbox line)."""
    return str(escape(textwrap.shorten(tools.mail.html_to_inner_content(body), 190)))


def encapsulate(layout, body, preview):
    """``body`` in a layout part rendered by ``render_layout_once``: what Odoo's
    ``_render_encapsulate`` gives, without rendering the layout again."""
    head, tail = layout
    return Markup(head.replace(BODY_MARKER, preview)) + Markup(body) + tail
