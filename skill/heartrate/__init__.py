"""Live heart rate during a workout: pairing, device tokens, the sync API and its limits, sample ingest."""
