"""Numerical gradients by central differences and the relative error used to compare gradients
(introduced in 03_backprop_numpy). They live in the grader, whose ``assert_grad_close`` uses the same
functions, so that lectures and test cells agree; the course re-exports them here."""

from autograder.judge.gradients import numerical_gradient, rel_error

__all__ = ["numerical_gradient", "rel_error"]
