from django.core.wsgi import get_wsgi_application

from config.settings import use_default_settings
from config.startup import refuse_misconfigured_start

use_default_settings()
application = get_wsgi_application()

refuse_misconfigured_start()
