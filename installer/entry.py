"""The frozen bundle's entry point: the same `caseapp` command as `pip install` gives."""

import sys

from caseapp.cli import main

if __name__ == "__main__":
    sys.exit(main())
