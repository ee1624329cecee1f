from . import portal
from . import customer_page
from . import customer_page_answers
