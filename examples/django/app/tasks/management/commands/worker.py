"""python manage.py worker: takes queued tasks from Postgres, one at a time, until SIGTERM.

Each task is claimed with SELECT ... FOR UPDATE SKIP LOCKED inside a transaction that also
records its result: any number of workers share the table without taking the same task, and a
worker killed mid-task leaves it queued (its transaction rolls back). When the queue is empty
the worker sleeps on LISTEN until the web's NOTIFY, or --poll seconds as a safety net.

SIGTERM/SIGINT: the task in hand is finished, then the worker exits 0. The handlers are
installed explicitly, which also makes SIGTERM work when this runs as PID 1 in a container.
"""
import os
import select
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from shop.views import RELEASE
from tasks import work
from tasks.models import Task


class Command(BaseCommand):
    help = "Run queued tasks from the database until SIGTERM."

    def add_arguments(self, parser):
        parser.add_argument(
            "--poll", type=float, default=5.0, help="seconds to sleep when idle without a NOTIFY"
        )

    def handle(self, *args, poll, **options):
        if not settings.DATABASE_URL:
            raise CommandError(
                "no database: set DATABASE_URL=postgresql://USER:PASSWORD@HOST:PORT/NAME"
            )
        self.stopping = False
        self.listening = False
        # A signal writes a byte to this pipe, so a select() that waits for a NOTIFY returns at
        # once (Python retries an interrupted select, so the flag alone would wait for --poll).
        self.wake, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.say(f"worker: {RELEASE} (pid {os.getpid()}) waiting for tasks")
        while not self.stopping:
            try:
                if not self.run_one():
                    self.wait(poll)
            except (OperationalError, InterfaceError) as e:
                # the server went away: reconnect (and LISTEN again) after a pause
                reason = " ".join(str(e).split())  # one log line
                self.say(f"worker: database error, retrying in 1 s: {reason}")
                self.listening = False
                try:
                    connection.close()
                except Exception:
                    pass
                self.sleep(1.0)
        connection.close()
        self.say("worker: stopped")

    def stop(self, signum, frame):
        self.stopping = True

    def say(self, line):
        self.stdout.write(line)
        self.stdout.flush()  # one line per task in the pod's log as it happens, not when a buffer fills

    def run_one(self):
        """Claims, runs and completes the oldest queued task; False when there is none."""
        with transaction.atomic():
            task = (
                Task.objects.select_for_update(skip_locked=True)
                .filter(state=Task.QUEUED)
                .order_by("id")
                .first()
            )
            if task is None:
                return False
            t0 = time.monotonic()
            try:
                task.result, task.state = work.run(task.kind, task.payload), Task.DONE
            except Exception as e:  # a bad task fails alone; the worker goes on
                task.result, task.state = {"error": f"{type(e).__name__}: {e}"}, Task.FAILED
            task.done_by = RELEASE
            task.done_at = timezone.now()
            task.save(update_fields=["result", "state", "done_by", "done_at"])
        ms = (time.monotonic() - t0) * 1000
        self.say(f"worker: task {task.id} {task.kind} {task.state} by {RELEASE} in {ms:.1f} ms")
        return True

    def wait(self, timeout):
        """Until a NOTIFY, a signal or the timeout."""
        if not self.listening:
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {work.NOTIFY_CHANNEL}")
            self.listening = True
            return  # look at the queue again: a task queued before LISTEN sent no wake-up we saw
        raw = connection.connection
        if raw.notifies:  # read along with an earlier query's answer
            raw.notifies.clear()
            return
        readable, _, _ = select.select([raw, self.wake], [], [], timeout)
        if self.wake in readable:
            os.read(self.wake, 512)
        if raw in readable:
            raw.poll()
            raw.notifies.clear()

    def sleep(self, seconds):
        """time.sleep that a signal ends early."""
        readable, _, _ = select.select([self.wake], [], [], seconds)
        if readable:
            os.read(self.wake, 512)
