"""Where rendered clips live: a local directory (self-hosting, `backcoach chat`) or a private S3 bucket
(production). Clips are content-addressed, so a clip is rendered once and then only looked up.

Production serves the bucket through presigned HTTPS URLs, signed for each Play directive: every URL needs to
live only from the response that carries it until the clip is played, and a resume signs a fresh one, so
`URL_SECONDS` outlives any workout's queue by far. The bucket stays private, with no distribution to run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from skill.audio.mp3 import read_mp3
from skill.audio.tts import TtsEngine, clip_id

CLIP_PATH = "/clips/"  # where `backcoach serve` serves the local clip directory
URL_SECONDS = 3 * 3600
CONTENT_TYPE = "audio/mpeg"


class ClipStore(Protocol):
    def has(self, clip: str) -> bool: ...
    def put(self, clip: str, data: bytes) -> None: ...
    def get(self, clip: str) -> bytes: ...
    def url(self, clip: str) -> str: ...


class LocalClips:
    """`directory`/<id>.mp3, served at `base_url` + /clips/<id>.mp3 (or as file: URLs with no base URL)."""

    def __init__(self, directory: Path, base_url: str = "") -> None:
        self.directory = Path(directory)
        self.base_url = base_url.rstrip("/")

    def path(self, clip: str) -> Path:
        return self.directory / f"{clip}.mp3"

    def has(self, clip: str) -> bool:
        return self.path(clip).is_file()

    def put(self, clip: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        scratch = self.path(clip).with_suffix(".part")
        scratch.write_bytes(data)
        scratch.replace(self.path(clip))  # readers never see half a clip

    def get(self, clip: str) -> bytes:
        return self.path(clip).read_bytes()

    def url(self, clip: str) -> str:
        if self.base_url:
            return f"{self.base_url}{CLIP_PATH}{clip}.mp3"
        return self.path(clip).resolve().as_uri()


class S3Clips:
    """Clips under `prefix` in a private bucket; the client (SigV4) is built on first use."""

    def __init__(self, bucket: str, prefix: str = "clips/", client: Callable[[], Any] | None = None,
                 url_seconds: int = URL_SECONDS, region: str = "") -> None:
        self.bucket = bucket
        self.region = region
        self.prefix = prefix
        self.url_seconds = url_seconds
        self._factory = client
        self._client: Any = None
        self._known: set[str] = set()  # clips seen in the bucket by this process: no second look-up

    def client(self) -> Any:
        if self._client is None:
            if self._factory is not None:
                self._client = self._factory()
            else:
                import boto3
                from botocore.config import Config

                self._client = boto3.client("s3", config=Config(signature_version="s3v4"),
                                            **({"region_name": self.region} if self.region else {}))
        return self._client

    def key(self, clip: str) -> str:
        return f"{self.prefix}{clip}.mp3"

    def has(self, clip: str) -> bool:
        if clip in self._known:
            return True
        from botocore.exceptions import ClientError

        try:
            self.client().head_object(Bucket=self.bucket, Key=self.key(clip))
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        self._known.add(clip)
        return True

    def put(self, clip: str, data: bytes) -> None:
        info = read_mp3(data)
        self.client().put_object(Bucket=self.bucket, Key=self.key(clip), Body=data, ContentType=CONTENT_TYPE,
                                 CacheControl="public, max-age=31536000, immutable",
                                 Metadata={"duration-ms": str(info.duration_ms)})
        self._known.add(clip)

    def get(self, clip: str) -> bytes:
        return self.client().get_object(Bucket=self.bucket, Key=self.key(clip))["Body"].read()

    def url(self, clip: str) -> str:
        return self.client().generate_presigned_url(
            "get_object", Params={"Bucket": self.bucket, "Key": self.key(clip)}, ExpiresIn=self.url_seconds)


@dataclass
class ClipLibrary:
    """SSML in, a playable clip out: rendered by `engine` the first time, looked up in `store` after that."""

    engine: TtsEngine
    store: ClipStore
    rendered: int = 0

    def clip(self, ssml: str, language: str = "en") -> str:
        """The id of the clip of `ssml`, rendering it first when the store does not have it."""
        clip = clip_id(ssml, self.engine.name, self.engine.voice)
        if not self.store.has(clip):
            self.store.put(clip, self.engine.render(ssml))
            self.rendered += 1
        return clip

    def url(self, clip: str) -> str:
        return self.store.url(clip)

    def duration_ms(self, clip: str) -> int:
        return read_mp3(self.store.get(clip)).duration_ms
