"""Every log line of a full workout, pairing, sync and faults, searched for anything that identifies a person
or grants access: raw Alexa user or device ids, API access tokens, pairing codes, device tokens."""

from __future__ import annotations

import json
import logging
import re
import time

import requests
from requests.adapters import HTTPAdapter

from skill.activity.uploaders import uploaders
from skill.bootstrap import build_upload_worker
from skill.cli import envelopes
from skill.companion.stream import Companion, open_mhealth
from skill.speech.timing import estimate_seconds
from skill.storage.records import SQLiteRecordStore
from skill.storage.sqlite import Database
from skill.storage.stores import sqlite_stores
from skill.web.app import create_app

USER = "amzn1.ask.account.PRIVATE-USER-ID-1234567890"
LINKED_TOKEN = "Atza|PRIVATE-LINKED-ACCOUNT-TOKEN"


class Nowhere(HTTPAdapter):
    """Sends what is addressed to Strava to a port nothing listens on."""

    def send(self, request, **kwargs):  # type: ignore[override]
        request.url = request.url.replace("https://www.strava.com", "http://127.0.0.1:9")
        return super().send(request, **kwargs)
DEVICE = "amzn1.ask.device.PRIVATE-DEVICE-ID-0987654321"


class Broken(SQLiteRecordStore):
    fail = False

    def save(self, key, data, version):
        if Broken.fail:
            raise ConnectionError(f"could not save for {key}")
        super().save(key, data, version)


def test_no_identifier_or_secret_reaches_the_logs(caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="backcoach")
    caplog.set_level(logging.INFO)
    stores = sqlite_stores()
    stores.records = Broken(Database())
    client = create_app(stores, "", verify_signature=False, verify_timestamp=False,
                        upload_service="strava").test_client()
    secrets: list[str] = [USER, DEVICE, LINKED_TOKEN]
    now, attributes, session = time.time() - 1200, {}, "s1"

    def say(intent: str, new: bool = False, at: float | None = None) -> dict:
        nonlocal attributes
        body = envelopes.envelope(envelopes.intent_request(intent, at or now), user=USER, device=DEVICE,
                                  session_id=session, new_session=new, attributes={} if new else attributes,
                                  access_token=LINKED_TOKEN)
        secrets.append(body["context"]["System"]["apiAccessToken"])
        answer = client.post("/", json=body).get_json()
        attributes = answer.get("sessionAttributes") or {}
        return answer

    paired = say("PairWatchIntent", new=True, at=time.time())
    code = re.search(r'digits">(\d{6})<', paired["response"]["outputSpeech"]["ssml"]).group(1)
    secrets.append(code)

    def post(path, body, headers):
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.get_json() or {}

    companion = Companion(post)
    secrets.append(companion.pair(code, "Polar H10"))
    companion.add((int((now + i) * 1000), 120) for i in range(60))
    companion.flush()
    client.post("/v1/heart-rate", json={"samples": [open_mhealth(int(now * 1000), 90)]},
                headers={"Authorization": "Bearer not-a-token"})
    session = "s2"
    answer = say("StartWorkoutIntent", new=True)
    while "send this workout" not in answer["response"]["outputSpeech"]["ssml"]:
        now += estimate_seconds(answer["response"]["outputSpeech"]["ssml"]) + 1
        Broken.fail = not Broken.fail  # every other save fails
        answer = say("AMAZON.NextIntent")
    Broken.fail = False
    now += estimate_seconds(answer["response"]["outputSpeech"]["ssml"]) + 1
    say("AMAZON.YesIntent")
    # The worker tries Strava, which is unreachable here (a closed port): the failure is logged, the token not.
    session_to_nowhere = requests.Session()
    session_to_nowhere.mount("https://www.strava.com", Nowhere())
    build_upload_worker(stores, uploaders(strava_session=session_to_nowhere, poll_seconds=0.01)).run_due()
    assert "upload service=strava status=pending" in caplog.text
    say("UnpairWatchIntent", new=True)
    logged = caplog.text + json.dumps([r.args for r in caplog.records], default=str)
    assert len(caplog.records) > 10  # the flows above did log: user keys, results, failures
    for secret in secrets:
        assert secret not in logged, f"{secret[:12]}… was logged"
