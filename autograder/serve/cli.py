"""``python -m autograder serve ASSIGNMENT``: the command around ``service.Service``."""

import logging
import sys

from autograder.run.backends import backend
from autograder.serve.exchange import find_exchange
from autograder.serve.service import ServeOptions, Service


def serve(args, course, workdir) -> int:
    """Start the service (or, with ``--once``, grade what is in the inbox and exit)."""
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    exchange = find_exchange(course.root, args.exchange)
    exchange.require_inbound()
    options = ServeOptions.from_settings(args.settings, exchange)
    sandbox = backend(options.grade.run.sandbox)
    sandbox.require(options.grade.allow_weaker)  # refused at the start, in a sentence, never per batch
    service = Service(course, args.assignment, workdir, options)
    print(f"serve {args.assignment}: inbox {exchange.inbound}, pages to {exchange.feedback}, state in "
          f"{service.state.path}; sandbox: {sandbox.summary(options.grade.run.limits)}", flush=True)
    graded = service.run(once=args.once)
    print(f"serve {args.assignment}: graded {graded} submissions", flush=True)
    return 0
