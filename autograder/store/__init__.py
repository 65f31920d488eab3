"""The gradebook: grades, runs and their history."""
