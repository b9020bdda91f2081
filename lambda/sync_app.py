"""AWS Lambda entry point of the heart-rate sync API: `sync_app.handler`."""
from skill.bootstrap import lambda_sync

handler = lambda_sync()
