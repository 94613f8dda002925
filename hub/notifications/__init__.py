"""Notifications in the hub and by email (now or in a digest), and Atom feeds."""
