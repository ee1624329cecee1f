"""What a follow-up level does: its flags and the history action each makes.

The one map between a level's flags (``send_email``, ``print_letter``, ...)
and the action types of the history (``email``, ``letter``, ...), in the order
the daily run carries them out. The run, its preview, the level's summary and
the send wizard all read it through :func:`level_actions`, so that a glue
addon adds an action (``ar_collections_sms``: an SMS) by overriding
``ar.followup.level._get_level_actions``.
"""

# (action type, level flag) of this addon, in the order actions are carried out.
LEVEL_ACTIONS = [
    ("fee", None),  # first: the message then shows the fees just charged
    ("email", "send_email"),
    ("letter", "print_letter"),
    ("call", "schedule_call"),
    ("terms", "payment_term_id"),  # before the hold: the level's terms win
    ("hold", "set_credit_hold"),
    ("handover", "hand_over"),
]

# The level flags of this addon, in the same order.
LEVEL_FLAGS = [flag for _action_type, flag in LEVEL_ACTIONS if flag]


def level_actions(env):
    """(action type, level flag) pairs of the installed addons, in order.

    A method of the model rather than a list changed at import: the Python
    module is shared by every database of the server, a model's methods are
    those of the addons installed in the database at hand.
    """
    return env["ar.followup.level"]._get_level_actions()


def flagged_action_types(record):
    """Action types whose flag is set on ``record`` (a level, or a wizard with
    some of the same flags), in the order they are carried out."""
    return [
        action_type
        for action_type, flag in level_actions(record.env)
        if flag and flag in record._fields and record[flag]
    ]
