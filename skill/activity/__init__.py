"""After a workout: its log, FIT and TCX exports, and uploads to Strava and Fitbit."""
