"""Learning sessions: announced in a community, registered for, reminded, and turned into shared knowledge."""
