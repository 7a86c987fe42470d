"""``python -m model_scorecard`` runs the ``scorecard`` command."""

from model_scorecard.cli import main

if __name__ == "__main__":  # pragma: no branch
    main()
