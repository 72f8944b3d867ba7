"""Settings for the test suite: the normal settings with NABIJ_ENV=test (fast hasher, no debug)."""

import os

os.environ.setdefault("NABIJ_ENV", "test")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-used-anywhere-else-0123456789")

from nabij.settings import *  # noqa: F403

# Tests never send mail; the locmem outbox lets them read what would have been sent.
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
NABIJ_TASK_BACKEND = "sync"
# Fast hashing in the test suite only; every real deployment keeps Django's PBKDF2 default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
