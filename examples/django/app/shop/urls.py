from django.conf import settings
from django.urls import path, re_path
from django.views.static import serve

from tasks import views as tasks

from . import views

urlpatterns = [
    path("", views.index),
    path("healthz", views.healthz),
    path("tasks/", tasks.tasks),
    path("tasks/<int:task_id>", tasks.task),
    # The example serves its collected static files itself, from the image: the index has no
    # WhiteNoise. In production put a CDN (or WhiteNoise) in front; Django's view is simple and
    # slow (django.conf.urls.static.static() would only route it with DEBUG on).
    re_path(
        r"^%s(?P<path>.*)$" % settings.STATIC_URL.lstrip("/"),
        serve,
        {"document_root": settings.STATIC_ROOT},
    ),
]
