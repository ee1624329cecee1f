from . import test_sms_run
from . import test_sms_send
from . import test_translation_complete
from . import test_sms_contact_rules
