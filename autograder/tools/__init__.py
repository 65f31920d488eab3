"""Instructor's tools: rescoring, similarity, mutants, migration, the host report, samples and fixtures."""
