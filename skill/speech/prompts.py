"""Every sentence the coach says that is not exercise content. Exercise names, cues and numbers come from
the content data; these templates only carry them.
"""

from __future__ import annotations

ENCOURAGEMENT = (
    "Nice work.",
    "Good job.",
    "That's it, strong back.",
    "Well done.",
    "Great form.",
    "Keep it up.",
    "Looking good.",
)

INTRO_ROUNDS = (
    "Here's the {workout}: {moves}. Do them back to back, {rounds} rounds, "
    "with a {round_rest} second rest between rounds. I'll count the reps."
)
INTRO_SETS = (
    "Here's your {workout}: {moves}. Beginner sets and reps, with a {set_rest} second rest between sets. "
    "I'll count the reps."
)
ROUND = "Round {round} of {rounds}."
SETS = "Set {set} of {sets}."
REPS_EXACT = "{reps} reps"
REPS_RANGE = "{reps_min} to {reps_max} reps"
PER_PART = {"side": " each arm", "grip": " with each grip", "letter": " in each position", "": ""}
PART_FIRST = {"side": "{label} arm first.", "grip": "{label} first."}
PART_SWITCH = {"side": "Switch arms: {label} arm.", "grip": "Switch to an {label}."}
LETTER = "{letter} position."
COUNT_START = "Ready, go."
COUNT_MORE = "If you have more in you, keep going."
REST_START = "Rest for {seconds} seconds."
REST_NEXT = "Next up: {label}."
REST_MARK = "{seconds} seconds."
REST_END = "And go."
HEART_CHECK = "Say next when you're ready, and I'll check your heart rate."
HEART_RATE_HIGH = "Heart rate {bpm} and {trend}, {seconds} more seconds."
HEART_RATE_RECOVERED = "Heart rate {bpm}. You've recovered, let's go."
CONTINUE = "Next up: {label}. Say next when you're ready."
CONTINUE_ROUND = "Round {round} is next, starting with the {name}. Say next when you're ready."
CONTINUE_REPROMPT = "Say next to start the {label}, or stop to finish for now."
FINISHED = "That's the {workout} done. Great work! The plan is {days} days a week, so see you next time."
RESUMING = "Picking up where you left off."
AGAIN = "Once more."
GOING_BACK = "Going back."
AT_START = "This is the first move."
SKIPPING = "Skipping the {name}."
PAUSED = "Paused at the {label}. When you're ready, say: Alexa, ask back coach to resume."
STATUS = "You're in round {round} of {rounds} of the {workout}, {doing} the {label}."
STATUS_SINGLE_ROUND = "You're in the {workout}, {doing} the {label}."
STATUS_DOING = {True: "on", False: "about to start"}
STATUS_LEFT = "{moves_left} {moves} to go, {moves_left_in_round} in this round."
STATUS_LEFT_SINGLE = "{moves_left} {moves} to go."
WORKOUT_DONE = "You've finished the {workout}. Say start over to do it again, or stop."
PRESCRIPTION = "Start with {sets} sets of {reps}{per}."
UNKNOWN_EXERCISE = "I don't know an exercise called {heard}. Did you mean the {suggestions}?"
WHICH_EXERCISE = "Which exercise? For example, say: how do I do a band pull apart."
BACK_TO_WORKOUT = "Say resume to pick up the {label}, or next to move on."
HELP = (
    "I coach you through the six minute upper back workout, or a full upper back session with the equipment you "
    "have, counting every rep. While you work, say next, repeat, pause, resume, skip this exercise, go back, "
    "start over, or where am I. Ask how do I do an exercise for its form cues."
)
HELP_IDLE = "Say start my back workout to begin."
FALLBACK = "Sorry, I didn't catch that. You can say next, repeat, pause, or ask how to do an exercise."
WELCOME = (
    "Welcome to Back Coach. I can take you through the six minute upper back workout, or a full upper back "
    "session with the equipment you have. Say start my back workout to begin."
)
WELCOME_BACK = (
    "Welcome back. Last time you got to the {label} of the {workout}. Say resume to pick up there, or start over."
)
WELCOME_BACK_RESUME = "Welcome back. Picking up at the {label}."
IN_PROGRESS = (
    "You're partway through the {workout}, at the {label}. Say resume to pick up there, or start over to begin again."
)
STOPPED = "Stopping here. Your place is saved at the {label}. To carry on, say: Alexa, ask back coach to resume."
GOODBYE = "Goodbye. See you next workout."
NO_WORKOUT = "There's no workout going right now. Say start my back workout to begin."
NO_EXERCISES = "I couldn't find exercises for that equipment. Say start my back workout for the six minute workout."
REPROMPT_IN_WORKOUT = "Say resume to carry on with the {label}, or ask how to do an exercise."
WHAT_NOW = "Say start my back workout when you're ready, or ask about another move."
REPROMPT_IDLE = "Say start my back workout, or ask how to do an exercise."

# How positions are named.
LABEL_SIDE = "{name}, {label} arm"
LABEL_GRIP = "{name}, {label}"
LABEL_LETTER = "{name}, {label} position"
LABEL_SET = ", set {set} of {sets}"
LABEL_REST = "{seconds} second rest"
STORAGE_DOWN = "Sorry, I can't reach your saved workout right now. Please try again in a moment."
SAVE_FAILED = "I couldn't save your place just now; I'll keep it and try again."
PAIR_CODE = (
    "Your pairing code is {code}. Again: {code}. Enter it in the Back Coach companion within {minutes} minutes."
)
UNPAIRED = "Done. Your watch is unpaired, and rests go back to the article's fixed times."
WEARABLE_UNAVAILABLE = "Pairing a watch isn't set up for this skill yet."
RECOVERY_SET = "Got it. Rests will wait for your heart rate to come down to {bpm}."
RECOVERY_RANGE = "Please pick a recovery heart rate between {low} and {high} beats a minute."
AGE_SET = "Thanks. Your estimated maximum heart rate is {max}, so rests will wait for about {bpm}."
AGE_RANGE = "Please tell me an age between {low} and {high}."
HISTORY = (
    "You've done {count} {workouts} this week; the plan is {days} days a week. "
    "Last time, {when}, you did the {last} with {sets} sets."
)
HISTORY_STOPPED = (
    "You've done {count} {workouts} this week; the plan is {days} days a week. "
    "Last time, {when}, you did {sets} sets of the {last} before stopping."
)
HISTORY_NONE = "You haven't done a workout with me yet. The plan is {days} days a week: say start my back workout."
WHEN = {0: "today", 1: "yesterday"}
WHEN_DAYS = "{days} days ago"
SERVICE_NAMES = {"strava": "Strava", "fitbit": "Fitbit"}
UPLOAD_OFFER = "Shall I send this workout to {service}?"
UPLOAD_OFFER_REPROMPT = "Shall I send this workout to {service}? Say yes or no."
UPLOAD_QUEUED = "Sending it to {service}. It will show up there in a few minutes."
UPLOAD_DECLINED = "Okay, I won't send it. See you next time."
UPLOAD_ALREADY = "This workout is already on its way to {service}."
UPLOAD_NOTHING = "Once you finish a workout, I can send it to {service}."
UPLOAD_NOT_QUEUED = (
    "Sorry, I couldn't queue the upload just now. Say send my workout to {service} in a little while to try again."
)
LINK_ACCOUNT = (
    "To send workouts to {service}, link your {service} account to Back Coach in the Alexa app. "
    "I've put a card there to get you started."
)
UPLOADS_UNAVAILABLE = "Sending workouts to other apps isn't set up for this skill yet."
APOLOGY = "Sorry, something went wrong on my side. Your place is saved. Please try that again."
APOLOGY_REPROMPT = "Please try that again, or say stop."

# -- The continuous-audio mode (issue 15): clips played by Alexa's AudioPlayer ---------------------------------
TRANSITION = "Next up: {label}. Get set."
REST_MORE = "Your heart rate is still up. {seconds} more seconds."
AUDIO_RESUME = "Back to the {label}."
MODE_AUDIO = "Okay. Your workouts now play as one stream, with no need to say next. Say pause any time."
MODE_SPEECH = "Okay. I'll coach you one part at a time, and you say next when you're ready."
NO_LOOP = "A workout plays in order, so there's nothing to loop or shuffle."
# What the player screen shows (Echo Show, the Alexa app): display text, not speech.
DISPLAY_REST = "Rest"
DISPLAY_ROUND = "Round {round} of {rounds}"
DISPLAY_SET = "Set {set} of {sets}"
DISPLAY_FINISHED = "Workout done"
