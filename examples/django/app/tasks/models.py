from django.db import models
from django.utils import timezone


class Task(models.Model):
    """One unit of background work: the table is the queue (see tasks/management/commands/worker.py)."""

    QUEUED = "queued"
    DONE = "done"
    FAILED = "failed"
    STATES = [(QUEUED, "queued"), (DONE, "done"), (FAILED, "failed")]

    kind = models.CharField(max_length=50)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=STATES, default=QUEUED)
    result = models.JSONField(null=True, blank=True)
    # the RELEASE of the code that did the task: shows which revision's worker ran it
    done_by = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # the worker's "oldest queued task" query reads only this small index
            models.Index(
                fields=["id"], condition=models.Q(state="queued"), name="tasks_task_queued"
            ),
        ]

    def as_json(self):
        return {
            "id": self.id,
            "kind": self.kind,
            "payload": self.payload,
            "state": self.state,
            "result": self.result,
            "done_by": self.done_by,
            "created_at": self.created_at.isoformat(),
            "done_at": self.done_at.isoformat() if self.done_at else None,
        }
