"""Speech to audio: text-to-speech engines, MP3 frames, and the content-addressed clip stores.

Infrastructure, like skill.storage: it imports no feature package. The skill hands it SSML and gets back a clip
(an id, a URL Alexa can play, its length)."""
