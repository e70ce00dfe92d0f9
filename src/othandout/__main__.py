"""Run the CLI with `python -m othandout`."""

from othandout.cli import main

main()
