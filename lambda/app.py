"""AWS Lambda entry point of the Alexa skill: `app.handler`."""

from skill.alexa.entry import LazySkillHandler

handler = LazySkillHandler()
