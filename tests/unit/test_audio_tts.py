"""Speech to audio: the MP3 frame reader, espeak-ng clips, Polly's requests (botocore's Stubber, real request
shapes) and the clip stores (a directory, and S3 through moto)."""

from __future__ import annotations

import io

import boto3
import botocore.session
import pytest
from botocore.response import StreamingBody
from botocore.stub import Stubber
from moto import mock_aws
from mutagen.mp3 import MP3

from skill.audio.clips import ClipLibrary, LocalClips, S3Clips
from skill.audio.mp3 import read_mp3
from skill.audio.polly import MAX_REQUEST_CHARS, PollyEngine, polly_requests
from skill.audio.tts import EspeakEngine, clip_id
from skill.speech.ssml import check

SSML = '<speak>Rest for fifteen seconds. <break time="3000ms"/> Three. Two. One. And go.</speak>'


@pytest.fixture(scope="module")
def espeak_mp3() -> bytes:
    return EspeakEngine().render(SSML)


def test_espeak_clips_are_48_kbps_24_khz_mono_mp3(espeak_mp3: bytes) -> None:
    info = read_mp3(espeak_mp3)
    reference = MP3(io.BytesIO(espeak_mp3)).info
    assert (info.bitrate_kbps, info.sample_rate, info.channels, info.version) == (48, 24000, 1, 2)
    assert reference.bitrate == 48000 and reference.sample_rate == 24000 and reference.channels == 1
    assert abs(info.duration_ms - reference.length * 1000) < 60  # one or two frames (24 ms each)
    assert 3000 < info.duration_ms < 9000  # the three-second break is in it


def test_the_frame_reader_refuses_what_is_not_mp3() -> None:
    with pytest.raises(ValueError):
        read_mp3(b"RIFF....WAVEfmt " + bytes(100))


def test_a_clip_is_named_by_its_words_engine_and_voice() -> None:
    assert clip_id(SSML, "espeak-ng", "en-us") == clip_id(SSML, "espeak-ng", "en-us")
    assert len({clip_id(SSML, "espeak-ng", "en-us"), clip_id(SSML, "polly-neural", "en-us"),
                clip_id(SSML, "espeak-ng", "en-gb"), clip_id(SSML + " ", "espeak-ng", "en-us")}) == 4


def test_polly_gets_only_the_tags_its_neural_voices_accept() -> None:
    alexa = ('<speak>Hi &amp; welcome. <break time="25s"/><say-as interpret-as="digits">123</say-as> '
             '<say-as interpret-as="characters">TRX</say-as><audio src="https://x/y.mp3"/>'
             '<amazon:effect name="whispered">quiet</amazon:effect><p>One.</p></speak>')
    [document] = polly_requests(alexa)
    assert document == ('<speak>Hi &amp; welcome. <break time="10000ms"/><break time="10000ms"/>'
                        '<break time="5000ms"/><say-as interpret-as="digits">123</say-as> TRXquiet<p>One.</p></speak>')
    assert check(document) == []


def test_a_long_clip_is_cut_into_requests_within_polly_limits() -> None:
    words = "Keep your shoulders down and squeeze. " * 400  # about 15,000 characters
    documents = polly_requests(f"<speak><p>Set one.</p>{words}</speak>")
    assert len(documents) == 3
    assert all(len(d) <= MAX_REQUEST_CHARS for d in documents)
    assert "".join(d.removeprefix("<speak>").removesuffix("</speak>") for d in documents).count("squeeze") == 400


def _polly_client():
    return botocore.session.get_session().create_client(
        "polly", region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")


def test_polly_renders_through_synthesize_speech_with_a_neural_voice(espeak_mp3: bytes) -> None:
    client = _polly_client()
    words = "Squeeze your shoulder blades together. " * 200
    ssml = f"<speak>{words}</speak>"
    documents = polly_requests(ssml)
    assert len(documents) == 2
    with Stubber(client) as stub:
        for document in documents:
            stub.add_response(
                "synthesize_speech",
                {"AudioStream": StreamingBody(io.BytesIO(espeak_mp3), len(espeak_mp3)),
                 "ContentType": "audio/mpeg", "RequestCharacters": len(document) - len("<speak></speak>")},
                {"Engine": "neural", "OutputFormat": "mp3", "SampleRate": "24000", "Text": document,
                 "TextType": "ssml", "VoiceId": "Joanna"})
        engine = PollyEngine("Joanna", client=lambda: client)
        audio = engine.render(ssml)
        stub.assert_no_pending_responses()
    assert read_mp3(audio).frames == 2 * read_mp3(espeak_mp3).frames  # the pieces joined, frame for frame
    assert engine.characters == sum(len(d) - len("<speak></speak>") for d in documents)


def test_a_polly_error_is_not_swallowed() -> None:
    client = _polly_client()
    with Stubber(client) as stub:
        stub.add_client_error("synthesize_speech", "TextLengthExceededException", http_status_code=400)
        with pytest.raises(client.exceptions.TextLengthExceededException):
            PollyEngine(client=lambda: client).render(SSML)


class CountingEngine:
    name, voice = "espeak-ng", "en-us"

    def __init__(self, audio: bytes) -> None:
        self.audio = audio
        self.calls = 0

    def render(self, ssml: str) -> bytes:
        self.calls += 1
        return self.audio


def test_local_clips_are_rendered_once_and_served_under_the_public_base(tmp_path, espeak_mp3: bytes) -> None:
    engine = CountingEngine(espeak_mp3)
    library = ClipLibrary(engine, LocalClips(tmp_path, "https://coach.example.org/"))
    first = library.clip(SSML)
    assert library.clip(SSML) == first and engine.calls == 1
    assert library.url(first) == f"https://coach.example.org/clips/{first}.mp3"
    assert (tmp_path / f"{first}.mp3").read_bytes() == espeak_mp3
    assert library.duration_ms(first) == read_mp3(espeak_mp3).duration_ms


@mock_aws
def test_s3_clips_are_private_objects_behind_presigned_https_urls(espeak_mp3: bytes) -> None:
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="clips-bucket")
    engine = CountingEngine(espeak_mp3)
    store = S3Clips("clips-bucket", "clips/", url_seconds=3600, region="us-east-1")  # its own SigV4 client
    clip = ClipLibrary(engine, store).clip(SSML)
    again = ClipLibrary(engine, S3Clips("clips-bucket", "clips/", client=lambda: s3)).clip(SSML)  # a new process
    assert again == clip and engine.calls == 1
    head = s3.head_object(Bucket="clips-bucket", Key=f"clips/{clip}.mp3")
    assert head["ContentType"] == "audio/mpeg"
    assert head["Metadata"]["duration-ms"] == str(read_mp3(espeak_mp3).duration_ms)
    url = store.url(clip)
    assert url.startswith("https://") and f"clips/{clip}.mp3" in url
    assert "X-Amz-Expires=3600" in url and "X-Amz-Signature=" in url
    assert store.get(clip) == espeak_mp3
