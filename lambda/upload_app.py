"""AWS Lambda entry point of the upload worker: `upload_app.handler`."""

from skill.wearable.upload_worker import LazyUploadWorker

handler = LazyUploadWorker()
