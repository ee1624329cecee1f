from . import portal
from . import customer_page
