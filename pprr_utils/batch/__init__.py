"""The batch: notebook execution on reused kernels, HTML export, publishing, the CLI.

Runs the ``report`` notebooks over ``dataset`` periods. Imports ``ingest`` only inside the
``pprr build-data`` command.
"""
