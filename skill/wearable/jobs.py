"""An upload job: one finished workout to send to one service. Kept apart from the upload clients so the skill's
cold start, which only queues jobs, does not import them."""

from __future__ import annotations

from dataclasses import dataclass

STRAVA, FITBIT = "strava", "fitbit"
SERVICES = (STRAVA, FITBIT)
PENDING, DONE, FAILED = "pending", "done", "failed"
# How a pending job's result starts when only a fresh access token can help: a refresh makes it due at once.
WAITING_FOR_TOKEN = "waiting for a fresh access token"


@dataclass(frozen=True)
class UploadJob:
    """One workout to send to one service. `user` is the person's hashed id; `next_try` is epoch seconds."""

    user: str
    service: str
    started_at_ms: int
    status: str = PENDING
    attempts: int = 0
    next_try: int = 0
    result: str = ""  # the service's id for the workout when done; the last error otherwise
    token: str = ""  # the access token to upload with (dropped once the job is done or failed)

    def __repr__(self) -> str:  # never show the token, in logs or in test output
        return (f"UploadJob(service={self.service!r}, started_at_ms={self.started_at_ms}, status={self.status!r}, "
                f"attempts={self.attempts}, next_try={self.next_try}, result={self.result!r})")
