"""Every sentence the coach says in English that is not exercise content, and how English says numbers, lists
and times. Exercise names, cues and numbers come from the content data; these templates only carry them. Every
other language (skill/speech/lang/) defines the same names.
"""

from __future__ import annotations

# How fast the voice speaks: every duration estimate in this language uses it (Alexa's default voice, and the
# espeak-ng clips, speak about 150 English words a minute).
WORDS_PER_MINUTE = 150

ENCOURAGEMENT = (
    "Nice work.",
    "Good job.",
    "That's it, strong back.",
    "Well done.",
    "Great form.",
    "Keep it up.",
    "Looking good.",
)

INTRO_ROUNDS = "Here's the {workout}: {count} moves back to back, {rounds} rounds."
INTRO_BRIEF = "{rounds} rounds. Here we go."
INTRO_BRIEF_SETS = "Your {workout}. Here we go."
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
REST_END = "Go."
REST_OVER = "Time's up."
REST_THEN_NEXT = "Rest {seconds} seconds, then say next for {label}."
REST_HEART = "Rest now, and breathe easy. Next up: {label}."
LAST_THREE = "Last three."
HEART_CHECK = "Say next when you're ready, and I'll check your heart rate."
HEART_RATE_HIGH = "Heart rate {bpm} and {trend}, {seconds} more seconds."
HEART_RATE_RECOVERED = "Heart rate {bpm}. You've recovered, let's go."
TRENDS = {"falling": "falling", "rising": "rising", "steady": "steady"}
CONTINUE = "Next up: {label}. Say next when you're ready."
CONTINUE_ROUND = "Round {round} is next, starting with the {name}. Say next when you're ready."
CONTINUE_REPROMPT = "Say next to start the {label}, or stop to finish for now."
FINISHED = "That's the {workout} done: {sets} sets in about {minutes}, workout {week} of {days} this week."
MINUTES = {1: "a minute"}
MINUTES_MANY = "{minutes} minutes"
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
FALLBACK = "Sorry, I didn't catch that."
NOTHING_TO_ANSWER = "There's no question open right now."
OPTIONS_IN_WORKOUT = "You can say next, repeat, pause, slower, or how do I do this one."
OPTIONS_IDLE = "You can say start my back workout, or ask how to do an exercise."
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
RELINK = "Your {service} uploads have stopped: please link {service} again in the Alexa app. I've sent a card."
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

# -- coaching: what people say mid-workout ---------------------------------------------------------------------
SAFETY = "If anything hurts, stop and tell me."
TEMPO_SET = {True: "Slower it is.", False: "Faster it is."}
TEMPO_LIMIT = {True: "That's as slow as I count.", False: "That's as fast as I count."}
EASIER = "To make the {name} easier, go lighter and move through a smaller range."
HARDER = "To make the {name} harder, try {first} or {second}."
CANT_DO = "No problem. Say skip to move past it."
CANT_DO_SWAP = "Or ask how to do the {swap}, and try that instead."
MUSCLES = "The {name} works mostly your {muscles}, and a little of your {minor}."
MUSCLES_GENERAL = "These moves work mostly your {muscles}, and a little of your {minor}."
WHATS_NEXT = "After this, it's the {label}."
LAST_MOVE = "This is the last move of the workout."
TIME_LEFT = "About {minutes} and {sets} to go."
SETS_LEFT = {1: "one set"}
SETS_LEFT_MANY = "{sets} sets"
PAIN = (
    "Stop there and rest. Breathe, and let it settle. If it still hurts when you start again, try an easier "
    "version or end for today. Pain that stays needs a professional to look at it."
)
PAIN_IDLE = "Rest it and go easy today. Pain that stays needs a professional to look at it."
PAIN_REPROMPT = "Say easier for a gentler version, resume to carry on, or stop to end here."
EQUIPMENT_SET = "Got it: {equipment}. Say start the full session to train with it."
EQUIPMENT_LATER = (
    "Got it, I'll remember: {equipment}. This workout stays as it is; say start the full session to rebuild it."
)
EQUIPMENT_NAMES = {
    "band": "a band", "dumbbells": "dumbbells", "kettlebell": "a kettlebell", "trx": "T R X straps",
    "barbell": "a barbell", "machine": "gym machines", "none": "just your body",
}
TODAY = "Today it's {reps}{per}."
ASK_EQUIPMENT = (
    "Before your first full session: what do you have to train with? "
    "For example, say I have a band and dumbbells, or I have no equipment."
)
ASK_EQUIPMENT_REPROMPT = "What equipment do you have? Say, for example, I have a band and dumbbells."
LETTER_HOW = "The {letter}: {cue}"

# -- Coaching over weeks (issue 17): the week, progressions, reminders, one profile per voice, the card --------
COUNT_HOLD = "hold"
COUNT_LOWER = "back, two, three"
PROGRESS_WHY_COMPLETE = "You've done every set of the {exercise} the last {sessions} workouts."
PROGRESS_WHY_EASY = "You said the {exercise} felt easy."
PROGRESS_OFFER = "Ready for the next step, {step}? {how} Say yes, or not yet."
PROGRESS_REPROMPT = "Shall I make that change for next time? Say yes, or not yet."
PROGRESS_ACCEPTED = "Done. From your next workout, the {exercise} uses {step}. I'll cue you as you go."
PROGRESS_DECLINED = "Okay, not yet. I'll ask again after a few more workouts."
EASY_NOTED = "Noted: the {exercise} felt easy. I may offer you its next step when the workout ends."
EASY_TOP = "That's the hardest version of the {exercise} I have. Slow every rep down to make it harder."
EASIER_AS_TAUGHT = "You're doing it as first taught. Stop a rep or two short whenever you need to."
STEP_BACK = "Okay, one step back: the {exercise} goes back to {step}."
STEP_BACK_TAUGHT = "Okay, one step back: the {exercise} goes back to the way you first learned it."
MISSED_LAST_WEEK = "Last week came to {count} of {target}. This week is a fresh start."
MISSED_A_WHILE = "Welcome back. It's been a while, and this week is a fresh start."
WEEK_MET = "That's {target} of {target} this week: the plan is met."
STREAK = "That's {weeks} weeks in a row."
WEEK_NONE = "Nothing yet this week, {left} to go."
WEEK_SOME = "{done} of {target} this week, {left} to go."
WEEK_DAYS = "{days} would do it."
WEEK_SHORT = "There aren't enough days left for {target}, so do what you can."
WEEK_DONE = "{done} of {target} this week: you've met the plan."
WEEK_STREAK_NEXT = "Meet it to make {weeks} weeks in a row."
CARD_TITLE = "Back Coach: workout done"
CARD_WORKOUT = "{workout}: {sets} sets in {minutes} minutes."
CARD_HEART = "Heart rate at the end: {bpm} beats a minute."
CARD_WEEK = "This week: {count} of {target} workouts."
ADOPT_OFFER = (
    "I know your voice now, so your workouts and plan will be your own. "
    "Shall I bring over the workouts already done on this account?"
)
ADOPT_REPROMPT = "Shall I bring over the workouts done on this account so far? Say yes or no."
ADOPTED = "Done. {count} {workouts} brought over, and they're yours now."
ADOPTED_NONE = "There was nothing to bring over, so you start fresh."
FRESH_START = "Okay, you start fresh, and the shared history stays as it is."
REMINDER_DAYS = {"weekdays": "every weekday", "daily": "every day", "weekends": "on Saturdays and Sundays"}
REMINDER_OFFER = "Shall I remind you to do your back workout {days} at {time}? Say yes or no."
REMINDERS_SET = "Okay, I'll remind you {days} at {time}. Say stop reminding me to turn them off."
REMINDER_DECLINED = "Okay, no reminder."
NO_REMINDERS = "You don't have any workout reminders from me."
REMINDERS_CANCELLED = "Done. I've turned off your workout reminders."
REMINDERS_PERMISSION = (
    "To set reminders, I need your permission. I've put a card in the Alexa app: "
    "open it, allow reminders, then ask me again."
)
REMINDERS_ALLOWED = "Thanks, reminders are allowed now. Say remind me to work out, and pick the days."
REMINDERS_NOT_ALLOWED = "Okay, no reminders then."
REMINDERS_PERMISSION_AGAIN = "I still need your permission for reminders. The card is in the Alexa app."
REMINDERS_FAILED = {
    "too_many": "You already have as many reminders as Alexa allows. Delete a few in the Alexa app, then ask again.",
    "busy": "Alexa's reminders are busy right now. Please ask me again in a minute.",
    "down": "I can't reach Alexa's reminders right now. Nothing has changed; please try again later.",
    "refused": "Alexa didn't accept that reminder. Please try a different time.",
    "no_api": "Reminders aren't available on this device.",
}
REMINDERS_PERMISSION_NAME = "alexa::alerts:reminders:skill:readwrite"
REMINDER_TEXT = "Time for your back workout. Say: Alexa, ask back coach to start my back workout."

# -- On a screen (Echo Show, Fire TV; skill/alexa/screens.py): short labels, numbers as digits --------------------
SCREEN_ROUND = "Round {round} of {rounds}"
SCREEN_SET = "Set {set} of {sets}"
SCREEN_PART = {"side": "{label} arm", "grip": "{label}", "letter": "{label} position"}
SCREEN_REST = "Rest"
SCREEN_REPS = "of {reps} reps"
SCREEN_REPS_RANGE = "of {reps_min} to {reps_max} reps"
SCREEN_REST_LEFT = "seconds of rest left"
SCREEN_READY = "Say next when you're ready"
SCREEN_NEXT = "Next: {label}"
SCREEN_LAST = "Last set of the workout"
SCREEN_PAUSED = "Paused"
SCREEN_BUTTONS = {"pause": "Pause", "resume": "Resume", "next": "Next", "repeat": "Repeat"}
SCREEN_DONE = "Workout complete"
SCREEN_TIME = "{minutes} min {seconds} s of work"
SCREEN_SETS = "{sets} sets done"
SCREEN_HEART = "Heart rate {average} average, {peak} peak"
SCREEN_WEEK = "{count} of {days} days this week"
SCREEN_THIS_WEEK = "This week"
SCREEN_LAST_WORKOUT = "Last time: {workout}, {sets} sets"
SCREEN_NO_WORKOUTS = "No workouts yet"
SCREEN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SCREEN_HOME = "Back Coach"
SCREEN_HOME_HINT = "Say: start my back workout"
SCREEN_HOW = "How to do it"
SCREEN_PAIR = "Pair your watch"
SCREEN_PAIR_HINT = "Enter this code in the Back Coach companion"

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


# -- Words for counts, and how English says numbers, lists and times -----------------------------------------------
MOVES = {1: "move"}
MOVES_MANY = "moves"
WORKOUTS = {1: "workout"}
WORKOUTS_MANY = "workouts"
SUGGESTIONS_JOIN = " or the "  # "Did you mean the band pull apart or the face pull?"
NONE_DONE = "None"  # "None of five last week."
UNKNOWN_MOVE = "move"  # an exercise that is not in the content, named in passing
AND = " and "
_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """A whole number as a person says it: 12 -> 'twelve', 45 -> 'forty five', 120 -> 'one hundred twenty'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + number_words(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    return number_words(thousands) + " thousand" + (" " + number_words(rest) if rest else "")


def join(items: list[str]) -> str:
    """'a, b and c'."""
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + AND + items[-1]


def clock_time(minute: int) -> str:
    """Minutes after midnight as a time of day: 'seven a.m.', 'six thirty p.m.', 'seven oh five a.m.'."""
    hour, minutes = divmod(minute % (24 * 60), 60)
    twelve = hour % 12 or 12
    part = f" {number_words(minutes)}" if minutes >= 10 else (f" oh {number_words(minutes)}" if minutes else "")
    return f"{number_words(twelve)}{part} {'a.m.' if hour < 12 else 'p.m.'}"
