"""The ``skemotion`` command (``python -m skemotion``)."""


def main(argv=None):
    """Entry point of the ``skemotion`` console script."""
    from ._main import main as _main

    return _main(argv)
