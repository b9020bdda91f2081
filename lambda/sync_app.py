"""AWS Lambda entry point of the wearable sync API: `sync_app.handler`."""

from skill.wearable.lambda_entry import LazySyncHandler

handler = LazySyncHandler()
