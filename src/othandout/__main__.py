"""Run the CLI with `python -m othandout`."""

from othandout.cli import main

if __name__ == "__main__":
    main()
