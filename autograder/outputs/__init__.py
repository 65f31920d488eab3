"""What grading hands out: feedback, exports, reports, pages."""
