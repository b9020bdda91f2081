"""AWS Lambda entry point of the Alexa skill: `app.handler`."""
from skill.bootstrap import lambda_skill

handler = lambda_skill()
