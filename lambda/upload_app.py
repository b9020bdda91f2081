"""AWS Lambda entry point of the upload worker: `upload_app.handler`."""
from skill.bootstrap import lambda_uploads

handler = lambda_uploads()
