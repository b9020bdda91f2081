"""An upload refused because the account was linked before its API moved: the person hears it once."""

from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.bootstrap import build_skill
from skill.cli import envelopes
from skill.settings import FITBIT
from skill.storage.uploads import FAILED, UploadJob
from tests.conftest import START

USER = envelopes.user_id("relinker")


def launch(skill, at: float) -> dict:
    body = envelopes.envelope(envelopes.launch_request(at), user=USER, device=envelopes.device_id("d"),
                              session_id=envelopes.new_session_id(), new_session=True, access_token="new-token")
    serializer = DefaultSerializer()
    return serializer.serialize(skill.invoke(serializer.deserialize(json.dumps(body), RequestEnvelope), None))


def test_a_link_to_renew_is_said_once_with_a_card(content, store) -> None:
    import hashlib

    person = hashlib.sha256(USER.encode()).hexdigest()
    store.records.save(USER, {"schema": 2, "settings": {"uploads_pending": True}}, 1)
    store.uploads.add_upload(UploadJob(person, FITBIT, 1_000, status=FAILED, needs_relink=True,
                                       result="Fitbit uploads moved to Google"))
    skill = build_skill(store, content, upload_service=FITBIT)
    first = launch(skill, START)
    speech = first["response"]["outputSpeech"]["ssml"]
    assert "link Fitbit again" in speech and first["response"]["card"]["type"] == "LinkAccount"
    second = launch(skill, START + 3600)
    assert "link Fitbit again" not in second["response"]["outputSpeech"]["ssml"]
    [job] = store.uploads.uploads(person)
    assert job.told and job.needs_relink and job.result == "Fitbit uploads moved to Google"  # its reason kept


def test_a_local_store_of_the_release_before_reads_each_jobs_state_from_its_text(tmp_path) -> None:
    """Releases before the typed fields wrote a job's sub-state into its result text: a local store of theirs is
    migrated when it opens, and nothing is asked of the text after that."""
    import sqlite3

    from skill.storage.stores import activity_db_path, sqlite_stores
    from skill.storage.uploads import PENDING

    db = tmp_path / "backcoach.sqlite3"
    old = sqlite3.connect(activity_db_path(db))
    old.execute("""CREATE TABLE uploads (user TEXT, service TEXT, started_at_ms INTEGER, status TEXT,
                   attempts INTEGER, next_try INTEGER, result TEXT, token TEXT,
                   PRIMARY KEY (user, service, started_at_ms))""")
    old.executemany("INSERT INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        ("p", FITBIT, 1, FAILED, 1, 0, "link the account again (legacy Fitbit token)", ""),
        ("p", FITBIT, 2, FAILED, 1, 0, "told: link the account again (Google refused)", ""),
        ("p", FITBIT, 3, PENDING, 2, 99, "waiting for a fresh access token (401)", "old"),
        ("p", FITBIT, 4, PENDING, 1, 99, "503 from the service", "old"),
    ])
    old.commit()
    old.close()
    stores = sqlite_stores(db)
    jobs = {job.started_at_ms: job for job in stores.uploads.uploads("p")}
    assert jobs[1].needs_relink and jobs[1].relink_untold and not jobs[1].told
    assert jobs[2].needs_relink and jobs[2].told and not jobs[2].relink_untold
    assert jobs[3].waiting_for_token and not jobs[4].waiting_for_token
    assert stores.uploads.refresh_upload_token("p", FITBIT, "fresh", due=5) == 2
    due = {job.started_at_ms: job.next_try for job in stores.uploads.uploads("p")}
    assert due[3] == 5 and due[4] == 99  # only the job waiting for a token is due at once
    stores.close()
