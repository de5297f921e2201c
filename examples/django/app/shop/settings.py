"""Settings for the shop example: everything that differs per environment comes from env.

At run time the image's root filesystem is read-only and only /tmp is writable: nothing here
writes elsewhere (no SQLite file, no media uploads, static files are collected at build time).
"""
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY = os.environ.get("SHOP_SECRET_KEY", "insecure-example-key-set-SHOP_SECRET_KEY")
DEBUG = os.environ.get("SHOP_DEBUG", "") == "1"
ALLOWED_HOSTS = os.environ.get("SHOP_ALLOWED_HOSTS", "*").split(",")
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.staticfiles",
    "shop",  # for shop/static/
    "tasks",
]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def database_from_url(url):
    """DATABASES["default"] from postgresql://USER:PASSWORD@HOST:PORT/NAME?OPTION=VALUE.

    Parsed here because the index has no URL-parsing helper pinned for this app (one more pin
    for twenty lines); the query string becomes libpq options (e.g. sslmode=require).
    """
    u = urlsplit(url)
    if u.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL: scheme {u.scheme!r} is not postgresql://")
    name = unquote(u.path.lstrip("/"))
    if not name:
        raise ImproperlyConfigured("DATABASE_URL: no database name (postgresql://…/NAME)")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(u.username or ""),
        "PASSWORD": unquote(u.password or ""),
        "HOST": u.hostname or "",
        "PORT": str(u.port or ""),
        "OPTIONS": dict(parse_qsl(u.query)),
        # keep a connection per process, checked before reuse (a restarted server is noticed)
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


# Without DATABASE_URL there is no database at all (Django's dummy backend): "/" and "/healthz"
# still answer, the task views answer 503, and the commands that need it say so.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASES = {"default": database_from_url(DATABASE_URL)} if DATABASE_URL else {}

# Collected at build time (python manage.py collectstatic --noinput) into the app directory, so
# they are part of the image; the default storage copies files as they are (no manifest, no
# timestamps), so the same sources give the same bytes.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
