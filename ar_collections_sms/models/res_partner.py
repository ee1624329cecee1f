from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ar_sms_numbers(self):
        """The number an SMS to each contact goes to, and why none can.

        The number is found as Odoo's SMS finds it (the contact's mobile, else
        its phone, see ``_sms_get_recipients_info``), in E.164 form. Returns
        ``{partner id: (number, why)}``: ``why`` is False when the contact can
        be texted, else a sentence (no number, a number that is not valid, a
        number on the phone blacklist: the contact opted out).
        """
        infos = self._sms_get_recipients_info() if self else {}
        numbers = [info["sanitized"] for info in infos.values() if info["sanitized"]]
        blacklisted = set()
        if numbers:
            blacklisted = set(
                self.env["phone.blacklist"]
                .sudo()
                .search([("number", "in", numbers)])
                .mapped("number")
            )
        result = {}
        for partner in self:
            info = infos[partner.id]
            number = info["sanitized"]
            why = False
            if not number and not info["number"]:
                why = self.env._(
                    "%(contact)s has no mobile or phone number",
                    contact=partner.display_name,
                )
            elif not number:
                number = info["number"]
                why = self.env._(
                    "%(number)s, the number of %(contact)s, is not a valid phone "
                    "number",
                    number=number,
                    contact=partner.display_name,
                )
            elif number in blacklisted:
                why = self.env._(
                    "%(number)s is on the phone blacklist: %(contact)s opted out "
                    "of text messages",
                    number=number,
                    contact=partner.display_name,
                )
            result[partner.id] = (number or False, why)
        return result
