"""``python -m rekog_versions.cli``: the command line, as the console script runs it."""

from rekog_versions.cli import entry_point

if __name__ == "__main__":
    entry_point()
