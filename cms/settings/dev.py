from .base import *

DEBUG = env_bool("DJANGO_DEBUG", True)
# A fixed development key keeps sessions across restarts; production refuses to
# start without its own (see production.py).
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-sikanda-balangan-do-not-deploy"
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SIKANDA_DEMO_DATA_ALLOWED = True
SIKANDA_API = {**SIKANDA_API, "INTROSPECTION": True, "GRAPHIQL": True}
