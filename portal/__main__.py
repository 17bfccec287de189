"""The `portal` command (also `python -m portal`): Flask's run and db, and portal.cli's commands."""

from flask.cli import FlaskGroup

from portal import create_app


def main() -> None:
    FlaskGroup(create_app=create_app, help="The Sopu agreement portal.").main(prog_name="portal")


if __name__ == "__main__":
    main()
