"""python manage.py cleanup: the scheduled job (a CronJob). Deletes finished tasks older than
--older-than-minutes and records its own run as a done task of kind "cleanup", so its runs and
the release that ran them show in GET /tasks/?kind=cleanup. Exits 0 when it did its work."""
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shop.views import RELEASE
from tasks.models import Task


class Command(BaseCommand):
    help = "Delete finished tasks older than --older-than-minutes and record the run."

    def add_arguments(self, parser):
        parser.add_argument("--older-than-minutes", type=int, default=60)

    def handle(self, *args, older_than_minutes, **options):
        if not settings.DATABASE_URL:
            raise CommandError(
                "no database: set DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/NAME"
            )
        now = timezone.now()
        deleted, _ = Task.objects.filter(
            state__in=[Task.DONE, Task.FAILED],
            done_at__lt=now - timedelta(minutes=older_than_minutes),
        ).delete()
        run = Task.objects.create(
            kind="cleanup",
            payload={"older_than_minutes": older_than_minutes},
            state=Task.DONE,
            result={"deleted": deleted},
            done_by=RELEASE,
            created_at=now,
            done_at=now,
        )
        self.stdout.write(
            f"cleanup: deleted {deleted} finished tasks older than {older_than_minutes} min"
            f" (task {run.id}, by {RELEASE})"
        )
