"""The queue over HTTP.

POST /tasks/ {"kind": "sha256", "payload": {"text": "hi"}} -> 201 {"id": 1, "state": "queued", ...}
GET  /tasks/1                                             -> 200 {"id": 1, "state": "done", "result": ..., "done_by": "shop 1", ...}
GET  /tasks/?kind=cleanup                                 -> 200 {"tasks": [the newest 20, newest first]}
"""
import functools
import json

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import work
from .models import Task


def needs_database(view):
    """503 with the reason when there is no database (no DATABASE_URL) or it cannot be reached."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.DATABASE_URL:
            return JsonResponse(
                {"error": "no database: set DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/NAME"},
                status=503,
            )
        try:
            return view(request, *args, **kwargs)
        except DatabaseError as e:
            return JsonResponse({"error": f"database unavailable: {e}".strip()}, status=503)

    return wrapped


@csrf_exempt  # a JSON API without cookies; the example has no CSRF middleware anyway
@require_http_methods(["GET", "POST"])
@needs_database
def tasks(request):
    if request.method == "GET":
        query = Task.objects.order_by("-id")
        if request.GET.get("kind"):
            query = query.filter(kind=request.GET["kind"])
        return JsonResponse({"tasks": [t.as_json() for t in query[:20]]})
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return JsonResponse({"error": 'send JSON: {"kind": "sha256", "payload": {...}}'}, status=400)
    kind, payload = body.get("kind"), body.get("payload", {})
    wrong = work.problem(kind, payload)
    if wrong:
        return JsonResponse({"error": wrong}, status=400)
    task = Task.objects.create(kind=kind, payload=payload)
    # autocommit: the row is committed, so a woken worker finds it
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, %s)", [work.NOTIFY_CHANNEL, str(task.id)])
    return JsonResponse(task.as_json(), status=201)


@require_http_methods(["GET"])
@needs_database
def task(request, task_id):
    found = Task.objects.filter(id=task_id).first()
    if found is None:
        return JsonResponse({"error": f"no task {task_id}"}, status=404)
    return JsonResponse(found.as_json())
