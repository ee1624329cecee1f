# The shipped levels and the SMS text each gets.
SHIPPED_LEVELS = {
    "ar_collections.ar_followup_level_reminder": "reminder",
    "ar_collections.ar_followup_level_firm": "firm",
    "ar_collections.ar_followup_level_formal_notice": "formal_notice",
    "ar_collections.ar_followup_level_final_notice": "final_notice",
    "ar_collections.ar_followup_level_credit_hold": "credit_hold",
    "ar_collections.ar_followup_level_handover": "handover",
}


def post_init_hook(env):
    """Give every level without an SMS template the shipped text of its kind.

    The shipped levels get their own text; the other levels (the copies each
    company got of the shipped policy, the levels users made) the text of
    their tone. "Send an SMS" stays unticked: texting customers, which the
    SMS provider bills, is the company's choice.
    """
    levels = env["ar.followup.level"].search([("sms_template_id", "=", False)])
    shipped = {}
    for xmlid, key in SHIPPED_LEVELS.items():
        level = env.ref(xmlid, raise_if_not_found=False)
        if level:
            shipped[level.id] = key
    for level in levels:
        key = shipped.get(level.id, level.tone)
        template = env.ref(
            f"ar_collections_sms.sms_template_followup_{key}", raise_if_not_found=False
        )
        if template:
            level.sms_template_id = template
