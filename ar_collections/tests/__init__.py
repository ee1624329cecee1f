from . import test_engine
from . import test_policy
from . import test_daily_run
from . import test_security
from . import test_documents
from . import test_engine_money
from . import test_tours
from . import test_fees
