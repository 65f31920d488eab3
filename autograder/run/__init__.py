"""Running notebooks: assembly, the sandbox and its backends, kernels, the worker, the runners, the reference run."""
