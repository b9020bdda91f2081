"""The upload queue: one job per finished workout and service, claimed by one worker at a time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol

from skill.storage.dynamo import client, conditional_failed, from_item, to_item, value

if TYPE_CHECKING:  # SQLite is the local store: a deployed function never imports sqlite3
    from skill.storage.sqlite import Database

PENDING, DONE, FAILED = "pending", "done", "failed"
# How releases before the typed fields wrote a job's sub-state into its result text; read once, when such a job is
# loaded (a SQLite file is migrated on opening, a DynamoDB item when read), never written.
LEGACY_WAITING = "waiting for a fresh access token"
LEGACY_RELINK = "link the account again"
LEGACY_TOLD = "told: "
UPLOAD_KEPT_S = 30 * 24 * 3600  # a finished job is kept a month, so a workout is never sent twice
DUE_INDEX = "due"  # the state table's sparse index of pending jobs (queue = "pending", next_try)


@dataclass(frozen=True)
class UploadJob:
    """One workout to send to one service. `user` is the person's hashed id; `next_try` is epoch seconds."""

    user: str
    service: str
    started_at_ms: int
    status: str = PENDING
    attempts: int = 0
    next_try: int = 0
    result: str = ""  # the service's id for the workout when done; the last error otherwise (for people)
    token: str = ""  # the access token to upload with (dropped once the job is done or failed)
    waiting_for_token: bool = False  # pending until a fresh access token comes: a refresh makes it due at once
    needs_relink: bool = False  # failed until the person links the account again (the skill says so once)
    told: bool = False  # the person heard that they must link it again

    def __repr__(self) -> str:  # never show the token, in logs or in test output
        return (f"UploadJob(service={self.service!r}, started_at_ms={self.started_at_ms}, status={self.status!r}, "
                f"attempts={self.attempts}, next_try={self.next_try}, result={self.result!r}, "
                f"waiting_for_token={self.waiting_for_token}, needs_relink={self.needs_relink}, told={self.told})")

    @property
    def relink_untold(self) -> bool:
        """Failed because the account must be linked again, and the person has not heard so yet."""
        return self.status == FAILED and self.needs_relink and not self.told


class UploadQueue(Protocol):
    def add_upload(self, job: UploadJob) -> bool:
        """Queues `job`; False when that workout is already queued or sent to that service."""

    def uploads(self, user: str) -> list[UploadJob]: ...

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]: ...

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        """Takes `job` for one worker until `until`; False when another worker changed it first."""

    def save_upload(self, job: UploadJob) -> None: ...

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        """Gives the person's pending jobs for `service` a fresh token; those that were waiting for one become due
        by `due` (epoch s; 0: at once), the others keep their backoff. Returns how many jobs are still pending."""


class SQLiteUploadQueue:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("""CREATE TABLE IF NOT EXISTS uploads (user TEXT, service TEXT, started_at_ms INTEGER, status TEXT,
                     attempts INTEGER, next_try INTEGER, result TEXT, token TEXT, waiting INTEGER DEFAULT 0,
                     relink INTEGER DEFAULT 0, told INTEGER DEFAULT 0, PRIMARY KEY (user, service, started_at_ms))""")
        _migrate(db)

    def add_upload(self, job: UploadJob) -> bool:
        return self.db.change(
            "INSERT OR IGNORE INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (job.user, job.service, job.started_at_ms, job.status, job.attempts, job.next_try, job.result, job.token,
             job.waiting_for_token, job.needs_relink, job.told),
        ) == 1

    def uploads(self, user: str) -> list[UploadJob]:
        return [_row_job(row) for row in self.db.rows(
            f"SELECT {COLUMNS} FROM uploads WHERE user = ? ORDER BY started_at_ms", (user,))]

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]:
        rows = self.db.rows(f"SELECT {COLUMNS} FROM uploads WHERE status = ? AND next_try <= ? ORDER BY next_try "
                            "LIMIT ?", (PENDING, now, limit))
        return [_row_job(row) for row in rows]

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        return self.db.change(
            "UPDATE uploads SET next_try = ? WHERE user = ? AND service = ? AND started_at_ms = ? AND status = ? "
            "AND next_try = ?", (until, job.user, job.service, job.started_at_ms, PENDING, job.next_try)) == 1

    def save_upload(self, job: UploadJob) -> None:
        self.db.change(
            "UPDATE uploads SET status = ?, attempts = ?, next_try = ?, result = ?, token = ?, waiting = ?, "
            "relink = ?, told = ? WHERE user = ? AND service = ? AND started_at_ms = ?",
            (job.status, job.attempts, job.next_try, job.result, job.token, job.waiting_for_token, job.needs_relink,
             job.told, job.user, job.service, job.started_at_ms))

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        with self.db.transaction() as db:
            db.execute(
                "UPDATE uploads SET token = ?, next_try = CASE WHEN waiting THEN MIN(next_try, ?) ELSE next_try "
                "END WHERE user = ? AND service = ? AND status = ? AND token != ?",
                (token, due, user, service, PENDING, token))
            return int(db.execute("SELECT COUNT(*) FROM uploads WHERE user = ? AND status = ?",
                                  (user, PENDING)).fetchone()[0])


class DynamoUploadQueue:
    """Items `upload#<user>#<service>#<start>` of the state table and `uploads#<user>` listing a person's jobs.
    Pending jobs carry `queue` = "pending", which puts them in the sparse DUE_INDEX."""

    def __init__(self, table: str) -> None:
        self.table = table

    def add_upload(self, job: UploadJob) -> bool:
        # The person's list first: a job is never out of reach of a token refresh (a listed job that was never
        # written is skipped).
        client().update_item(TableName=self.table, Key={"id": {"S": f"uploads#{job.user}"}},
                             UpdateExpression="ADD jobs :j", ExpressionAttributeValues={":j": value({_job_id(job)})})
        try:
            client().put_item(TableName=self.table, Item=to_item(_job_item(job)),
                              ConditionExpression="attribute_not_exists(id)")
        except Exception as e:
            if conditional_failed(e):
                return False
            raise
        return True

    def uploads(self, user: str) -> list[UploadJob]:
        index = client().get_item(TableName=self.table, Key={"id": {"S": f"uploads#{user}"}},
                                  ConsistentRead=True).get("Item")
        jobs = []
        for job_id in (from_item(index).get("jobs", []) if index else []):
            item = client().get_item(TableName=self.table, Key={"id": {"S": job_id}}, ConsistentRead=True).get("Item")
            if item:
                jobs.append(_job(from_item(item)))
        return sorted(jobs, key=lambda j: j.started_at_ms)

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]:
        answer = client().query(
            TableName=self.table, IndexName=DUE_INDEX, KeyConditionExpression="#q = :p AND next_try <= :now",
            ExpressionAttributeNames={"#q": "queue"},
            ExpressionAttributeValues={":p": {"S": PENDING}, ":now": value(now)}, Limit=limit)
        return [_job(from_item(item)) for item in answer.get("Items", [])]

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        try:
            client().update_item(
                TableName=self.table, Key={"id": {"S": _job_id(job)}}, UpdateExpression="SET next_try = :until",
                ConditionExpression="#s = :pending AND next_try = :seen", ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":until": value(until), ":pending": {"S": PENDING},
                                           ":seen": value(job.next_try)})
        except Exception as e:
            if conditional_failed(e):
                return False
            raise
        return True

    def save_upload(self, job: UploadJob) -> None:
        client().put_item(TableName=self.table, Item=to_item(_job_item(job)))

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        pending = 0
        for job in self.uploads(user):
            if job.status != PENDING:
                continue
            pending += 1
            if job.service == service and job.token != token:
                # Only jobs waiting for a token become due at once; others keep their backoff (or lease).
                next_try = min(job.next_try, due) if job.waiting_for_token else job.next_try
                self.save_upload(replace(job, token=token, next_try=next_try))
        if not pending:  # every job is done: nothing left to refresh
            client().delete_item(TableName=self.table, Key={"id": {"S": f"uploads#{user}"}})
        return pending


def _job_id(job: UploadJob) -> str:
    return f"upload#{job.user}#{job.service}#{job.started_at_ms}"


def _job_item(job: UploadJob) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": _job_id(job), "user": job.user, "service": job.service, "started_at_ms": job.started_at_ms,
        "status": job.status, "attempts": job.attempts, "next_try": job.next_try, "result": job.result[:300],
        "waiting": job.waiting_for_token, "relink": job.needs_relink, "told": job.told,
    }
    if job.status == PENDING:
        item["queue"] = PENDING
        if job.token:
            item["token"] = job.token
    else:
        item["expires_at"] = job.next_try + UPLOAD_KEPT_S
    return item


def _job(item: dict[str, Any]) -> UploadJob:
    result = str(item.get("result", ""))
    if "waiting" not in item:  # written by a release before the typed fields: its sub-state is in the text
        return _legacy(UploadJob(
            user=str(item["user"]), service=str(item["service"]), started_at_ms=int(item["started_at_ms"]),
            status=str(item["status"]), attempts=int(item["attempts"]), next_try=int(item["next_try"]),
            result=result, token=str(item.get("token", ""))))
    return UploadJob(
        user=str(item["user"]), service=str(item["service"]), started_at_ms=int(item["started_at_ms"]),
        status=str(item["status"]), attempts=int(item["attempts"]), next_try=int(item["next_try"]),
        result=result, token=str(item.get("token", "")), waiting_for_token=item.get("waiting") is True,
        needs_relink=item.get("relink") is True, told=item.get("told") is True,
    )


COLUMNS = "user, service, started_at_ms, status, attempts, next_try, result, token, waiting, relink, told"


def _row_job(row: tuple[Any, ...]) -> UploadJob:
    *head, waiting, relink, told = row
    return UploadJob(*head, waiting_for_token=bool(waiting), needs_relink=bool(relink), told=bool(told))


def _legacy(job: UploadJob) -> UploadJob:
    """A job of a release that kept its sub-state in the result text, with the typed fields read from it."""
    text = job.result
    told = text.startswith(LEGACY_TOLD)
    text = text.removeprefix(LEGACY_TOLD)
    return replace(job, result=text, waiting_for_token=job.status == PENDING and text.startswith(LEGACY_WAITING),
                   needs_relink=job.status == FAILED and text.startswith(LEGACY_RELINK), told=told)


def _migrate(db: Database) -> None:
    """A local store of a release before the typed fields: the columns added, each job's sub-state read once
    from its result text."""
    columns = {row[1] for row in db.rows("PRAGMA table_info(uploads)")}
    if {"waiting", "relink", "told"} <= columns:
        return
    with db.transaction() as tx:
        for column in ("waiting", "relink", "told"):
            if column not in columns:
                tx.execute(f"ALTER TABLE uploads ADD COLUMN {column} INTEGER DEFAULT 0")
        for row in tx.execute(f"SELECT {COLUMNS} FROM uploads").fetchall():
            job = _legacy(_row_job(row))
            tx.execute("UPDATE uploads SET result = ?, waiting = ?, relink = ?, told = ? WHERE user = ? AND "
                       "service = ? AND started_at_ms = ?", (job.result, job.waiting_for_token, job.needs_relink,
                                                            job.told, job.user, job.service, job.started_at_ms))
