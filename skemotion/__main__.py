"""``python -m skemotion``: the same as the ``skemotion`` command."""

if __name__ == "__main__":
    import sys

    from skemotion.cli import main

    sys.exit(main())
