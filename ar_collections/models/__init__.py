from . import ar_followup_policy
from . import ar_followup_level
from . import ar_followup_action
from . import ar_followup_run_batch
from . import ar_followup_run
from . import ar_followup_customer
from . import account_move
from . import res_partner
