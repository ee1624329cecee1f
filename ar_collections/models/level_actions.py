"""What a follow-up level does: its flags and the history action each makes.

The one map between a level's flags (``send_email``, ``print_letter``, ...)
and the action types of the history (``email``, ``letter``, ...), in the order
the daily run carries them out. The run, its preview, the level's summary and
the send wizard all read it.
"""

# (action type, level flag) in the order actions are carried out.
LEVEL_ACTIONS = [
    ("fee", None),  # first: the message then shows the fees just charged
    ("email", "send_email"),
    ("letter", "print_letter"),
    ("call", "schedule_call"),
    ("terms", "payment_term_id"),  # before the hold: the level's terms win
    ("hold", "set_credit_hold"),
    ("handover", "hand_over"),
]

# The level flags, in the same order.
LEVEL_FLAGS = [flag for _action_type, flag in LEVEL_ACTIONS if flag]


def flagged_action_types(record):
    """Action types whose flag is set on ``record`` (a level, or a wizard with
    some of the same flags), in the order they are carried out."""
    return [
        action_type
        for action_type, flag in LEVEL_ACTIONS
        if flag and flag in record._fields and record[flag]
    ]
