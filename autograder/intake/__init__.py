"""Submissions found, read and copied safely; deadlines and the late policy."""
