c = get_config()
# each plugin is one class in course_plugins.py (beside this file) and one line here
c.Autograder.sandbox = "course_plugins.RecordingSandbox"
c.Autograder.late_method = "course_plugins.HalfOff"
c.Autograder.export_format = "course_plugins.Gradescope"

c.Autograder.due = {"hw1": "2026-12-01T12:00:00Z"}
