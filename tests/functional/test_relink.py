"""An upload refused because the account was linked before its API moved: the person hears it once."""

from __future__ import annotations

import json

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.activity.worker import RELINK
from skill.bootstrap import build_skill
from skill.cli import envelopes
from skill.settings import FITBIT
from skill.storage.uploads import FAILED, UploadJob
from tests.conftest import START

USER = envelopes.user_id("relinker")


def launch(skill, at: float) -> dict:
    body = envelopes.envelope(envelopes.launch_request(at), user=USER, device="d",
                              session_id=envelopes.new_session_id(), new_session=True, access_token="new-token")
    serializer = DefaultSerializer()
    return serializer.serialize(skill.invoke(serializer.deserialize(json.dumps(body), RequestEnvelope), None))


def test_a_link_to_renew_is_said_once_with_a_card(content, store) -> None:
    import hashlib

    person = hashlib.sha256(USER.encode()).hexdigest()
    store.records.save(USER, {"schema": 2, "settings": {"uploads_pending": True}}, 1)
    store.uploads.add_upload(UploadJob(person, FITBIT, 1_000, status=FAILED,
                                       result=f"{RELINK}: Fitbit uploads moved to Google"))
    skill = build_skill(store, content, upload_service=FITBIT)
    first = launch(skill, START)
    speech = first["response"]["outputSpeech"]["ssml"]
    assert "link Fitbit again" in speech and first["response"]["card"]["type"] == "LinkAccount"
    second = launch(skill, START + 3600)
    assert "link Fitbit again" not in second["response"]["outputSpeech"]["ssml"]
    [job] = store.uploads.uploads(person)
    assert job.result.startswith("told: ")
