"""Answers with the versions of the native dependencies, proving the wheels load in the image."""
import sys

import django
import lxml.etree
import PIL
import psycopg2
from django.http import HttpResponse, JsonResponse

RELEASE = "shop 1"


def index(request):
    return JsonResponse(
        {
            "release": RELEASE,
            "python": sys.version.split()[0],
            "django": django.get_version(),
            "pillow": PIL.__version__,
            "lxml": ".".join(map(str, lxml.etree.LXML_VERSION)),
            "psycopg2": psycopg2.__version__.split()[0],
        }
    )


def healthz(request):
    return HttpResponse("ok")
