"""The hub's one job mechanism: jobs recorded in the database, run by `flask --app hub jobs run`."""
