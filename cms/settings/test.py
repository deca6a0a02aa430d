from .base import *

DEBUG = False
SECRET_KEY = "test-only-insecure-key-sikanda-balangan"
ALLOWED_HOSTS = ["*"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SIKANDA_DEMO_DATA_ALLOWED = True
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / ".test-media" / "public"))
SIKANDA_PRIVATE_MEDIA_ROOT = BASE_DIR / ".test-media" / "private"
# Whitenoise would look for collected files; the test client serves none.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
LOGGING["root"]["level"] = "WARNING"
# Tests print and validate the schema, so introspection stays on here; the
# production default (off) is tested explicitly.
SIKANDA_API = {**SIKANDA_API, "INTROSPECTION": True}

# A plugin that exercises every extension point (tests/plugins/sample).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugins.sample"]

# The tests' webhook receivers listen on 127.0.0.1.
SIKANDA_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1"]
