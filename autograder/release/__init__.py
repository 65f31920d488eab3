"""The student version: generated, verified, validated."""
