import logging
import re

from markupsafe import Markup

from odoo import api, fields, models, tools
from odoo.tools import SQL

from .email_batch_rendering import (
    batch_formats,
    encapsulate,
    needs_odoo_create,
    preview_text,
    render_layout_once,
)

_logger = logging.getLogger(__name__)


class ArFollowupAction(models.Model):
    """Writing the emails of follow-up actions, in bulk.

    The daily run only records an email (``email_pending``); the scheduled
    action writes and queues them batch by batch, each template rendered once
    for all the actions of a batch.
    """

    # One file per job: ar.followup.action is extended in several files.
    # pylint: disable=consider-merging-classes-inherited
    _inherit = "ar.followup.action"

    def _execute_email(self):
        if self.env.context.get("ar_queue_emails"):
            # The daily run only records the email: composing it is the slow
            # part and is done in batches by its own scheduled action.
            self.email_pending = True
        else:
            self._send_email()

    @api.model
    def _cron_send_pending_emails(self):
        """Scheduled action: write and queue the emails the daily run recorded.

        Batch by batch, each committed; an action is locked and re-read before
        its email is written, so a second worker or a restart after a crash
        never queues an email twice.
        """
        cron = self.env["ir.cron"]
        batch_size = self.env["ar.followup.run"]._batch_size()
        while True:
            actions = self.search(
                [("email_pending", "=", True)], order="id", limit=batch_size
            )
            locked = actions.try_lock_for_update()
            locked.invalidate_recordset(["email_pending"])
            locked = locked.filtered("email_pending")
            if not locked:
                return  # nothing left, or another worker is on these
            for company, group in locked.grouped("company_id").items():
                group.with_company(company)._send_pending_emails()
            remaining = self.search_count([("email_pending", "=", True)])
            if not cron._commit_progress(len(locked), remaining=remaining):
                return

    def _send_pending_emails(self):
        """Write the emails of these actions together, else one by one.

        An action whose email cannot be written (a template that does not
        render for this customer, say) fails with the reason; the others go.
        """
        pending = self.filtered("email_pending")
        try:
            with self.env.cr.savepoint():
                pending._send_email()
                pending.email_pending = False
            return
        except Exception:  # noqa: BLE001 - retried action by action below
            _logger.info("Follow-up emails retried one by one", exc_info=True)
        for action in pending:
            try:
                with self.env.cr.savepoint():
                    action._send_email()
                    action.email_pending = False
            except Exception as error:  # noqa: BLE001 - recorded on the action
                _logger.exception("Follow-up email of action %s failed", action.id)
                action.write(
                    {
                        "state": "failed",
                        "email_pending": False,
                        "error": self.env._("No email sent: %(error)s", error=error),
                    }
                )

    def _send_email(self):
        """Queue the email of each action, rendering each template once for all.

        A template's subject and body are rendered for all the actions in one
        call (one QWeb compilation per template and language, instead of one
        per customer) and the emails are created together; an action without
        template or recipient fails with the reason.
        """
        Command = fields.Command
        recipients_by_template = {}
        for action in self:
            template = action.mail_template_id or action.level_id.mail_template_id
            contact = action.contact_id or action.partner_id._ar_get_contact()
            # The collections contact is the only addressee; escalation
            # contacts are copied (Cc), see _escalation_cc.
            recipients = contact.filtered("email")
            if not template or not recipients:
                action.write(
                    {
                        "state": "failed",
                        "error": self.env._(
                            "No email sent: %(why)s",
                            why=self.env._("the level has no template")
                            if not template
                            else self.env._(
                                "%(contact)s has no email address; set one or "
                                "choose a collections contact on the customer.",
                                contact=contact.display_name,
                            ),
                        ),
                    }
                )
                continue
            if not action.contact_id:
                action.contact_id = contact  # the template greets and translates for it
            recipients_by_template.setdefault(template, {})[action] = recipients

        layout = "ar_collections.mail_layout_collections"
        model = self.env["ir.model"]._get(self._name)
        for template, recipients_of in recipients_by_template.items():
            actions = self.browse([action.id for action in recipients_of])
            template._send_check_access(actions.ids)
            # The daily run (superuser) renders the bodies together; a user's
            # send goes through Odoo's rendering and its restrictions.
            together = self.env.su and len(actions) > 1
            rendered = template._generate_template(
                actions.ids,
                (
                    "auto_delete",
                    "email_cc",
                    "email_from",
                    "email_to",
                    "mail_server_id",
                    "reply_to",
                    "report_template_ids",
                    "scheduled_date",
                    "subject",
                )
                + (() if together else ("body_html",)),
            )
            langs = template._render_lang(actions.ids) if template.lang else {}
            if together:
                for action_id, body in self._ar_render_bodies(
                    template, actions, langs
                ).items():
                    rendered[action_id]["body_html"] = body
            companies = actions._mail_get_companies(default=self.env.company)
            # The layout is rendered once per language and company, around
            # markers, unless the reference path is asked for (tests).
            fast = together and not self.env.context.get("ar_email_reference")
            layouts = {}
            values_list, reports, chatters = [], [], []
            for action, recipients in recipients_of.items():
                values = rendered[action.id]
                values.pop("partner_ids", None)  # the recipients are ours
                reports.append(values.pop("attachments", []))
                if not values.get("email_from"):
                    values.pop("email_from", None)
                lang = langs.get(action.id) or action.recipient_lang or self.env.lang
                add_context = {
                    "company": companies.get(action.id) or self.env.company,
                    "model_description": model.with_context(lang=lang).display_name,
                }
                chatter = None
                if fast:
                    key = (lang, add_context["company"])
                    if key not in layouts:
                        layouts[key] = render_layout_once(
                            template.with_context(lang=lang),
                            layout,
                            add_context,
                            action.with_context(lang=lang),
                        )
                    email_layout, chatter_layout = layouts[key]
                    preview = preview_text(values["body_html"])
                    body = encapsulate(email_layout, values["body_html"], preview)
                    # Checked on the template's part: the layout is Odoo's.
                    if chatter_layout and not needs_odoo_create(values["body_html"]):
                        chatter = encapsulate(
                            chatter_layout, values["body_html"], preview
                        )
                else:
                    body = template.with_context(lang=lang)._render_encapsulate(
                        layout,
                        values["body_html"],
                        add_context=add_context,
                        context_record=action.with_context(lang=lang),
                    )
                attachments = (
                    action._invoice_attachments()
                    if action.level_id.attach_invoices
                    else []
                )
                values.update(
                    body_html=body,
                    body=body,
                    model="res.partner",
                    res_id=action.partner_id.id,
                    recipient_ids=[Command.set(recipients.ids)],
                    email_cc=action._escalation_cc(values.get("email_cc")),
                    attachment_ids=[Command.set(attachments)],
                    message_type="email_outgoing",
                )
                if action.date_not_before:
                    # Held by the contact rules until the customer's window.
                    values["scheduled_date"] = action.date_not_before
                values_list.append(values)
                chatters.append(chatter)
            if fast:
                mails = self._ar_create_mails(values_list, chatters)
            else:
                mails = self.env["mail.mail"].sudo().create(values_list)
            for action, mail, files in zip(actions, mails, reports, strict=True):
                if files:  # reports the template itself attaches
                    mail.with_context(default_type=None).write(
                        {
                            "attachment_ids": [
                                Command.create(
                                    {
                                        "name": name,
                                        "datas": datas,
                                        "type": "binary",
                                        "res_model": "mail.message",
                                        "res_id": mail.mail_message_id.id,
                                    }
                                )
                                for name, datas in files
                            ]
                        }
                    )
                action.mail_message_id = mail.mail_message_id

    def _ar_render_bodies(self, template, actions, langs):
        """Body of each action, with one QWeb compilation per language.

        Odoo compiles a template's body again for each record (about 20 ms
        for ours): the body is rendered once for all, looping over the
        actions, and the result cut at a marker before each action.
        """
        by_lang = {}
        for action in actions:
            lang = langs.get(action.id) or self.env.lang
            by_lang.setdefault(lang, self.browse())
            by_lang[lang] |= action
        bodies = {}
        for lang, group in by_lang.items():
            template_lang = template.with_context(lang=lang)
            output = template_lang._render_template(
                '<t t-foreach="ar_actions" t-as="object">'
                '<t t-out="ar_marker(object)"/>%s</t>' % template_lang.body_html,
                template.render_model,
                group[:1].ids,
                engine="qweb",
                add_context={
                    "ar_actions": group.with_context(lang=lang),
                    "ar_marker": lambda a: Markup("<!--ar-email-%s-->") % a.id,
                    **batch_formats(template_lang._render_eval_context()),
                },
            )[group[:1].id]
            parts = re.split(r"<!--ar-email-(\d+)-->", output)
            bodies.update(
                (int(action_id), Markup(body))
                for action_id, body in zip(parts[1::2], parts[2::2], strict=True)
            )
        return template._render_template_postprocess(template.render_model, bodies)

    def _ar_create_mails(self, values_list, chatters):
        """Create the emails in one batch, their chatter body stored as given.

        ``chatters`` holds, per email, its chatter body: the layout as Odoo's
        sanitizer leaves it (sanitized once per language and company) around
        the addon's own template rendered by QWeb (values escaped). Odoo's
        sanitizer, which would read and write every tag of every email again
        (about half the time of an email), is left out. An email without one
        (None) goes through Odoo's create and its sanitizer: a body with
        embedded images (made attachments there), or with anything the
        sanitizer would remove (a template edited with scripts, frames,
        forms, event handlers or script links): the chatter stays as safe as
        Odoo's own.
        """
        bodies = {}
        for index, (values, chatter) in enumerate(
            zip(values_list, chatters, strict=True)
        ):
            if chatter is not None:
                bodies[index] = chatter
                values["body"] = ""
        mails = self.env["mail.mail"].sudo().create(values_list)
        if bodies:
            rows = [
                SQL("(%s, %s)", mails[index].mail_message_id.id, str(body))
                for index, body in bodies.items()
            ]
            self.env.cr.execute(
                SQL(
                    "UPDATE mail_message SET body = rendered.body "
                    "FROM (VALUES %s) AS rendered(id, body) "
                    "WHERE mail_message.id = rendered.id",
                    SQL(", ").join(rows),
                )
            )
            mails.mail_message_id.invalidate_recordset(["body"])
        return mails

    def _escalation_cc(self, email_cc=False):
        """Cc of the action's email: the template's, plus the escalation contacts.

        Escalation contacts (the finance director, the owner) are copied on
        the levels that say so; the collections contact stays the addressee.
        """
        self.ensure_one()
        emails = tools.mail.email_split_and_format(email_cc or "")
        if self.level_id.copy_escalation_contacts:
            addressee = self.contact_id.email_normalized
            for contact in self.partner_id.ar_escalation_contact_ids:
                if contact.email and contact.email_normalized != addressee:
                    emails.append(contact.email_formatted)
        return ", ".join(dict.fromkeys(emails)) or False

    def _invoice_attachments(self):
        """PDF of each overdue invoice: the one already sent, or a fresh render."""
        attachment_ids = []
        report = self.env.ref("account.account_invoices")
        for move in self.line_ids.move_id:
            attachment = move.invoice_pdf_report_id
            if not attachment:
                pdf, _type = self.env["ir.actions.report"]._render_qweb_pdf(
                    report, move.ids
                )
                attachment = self.env["ir.attachment"].create(
                    {
                        "name": f"{move._get_report_base_filename()}.pdf",
                        "raw": pdf,
                        "res_model": "account.move",
                        "res_id": move.id,
                        "mimetype": "application/pdf",
                    }
                )
            attachment_ids.append(attachment.id)
        return attachment_ids
