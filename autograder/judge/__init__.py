"""Judging recorded values: records, gradient checks, scores of test cells."""
