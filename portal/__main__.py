"""The `portal` command (also `python -m portal`): Flask's run and db, and portal.cli's commands.
`portal verify --trust CA.pem FILE` needs no portal at all: it is handed to signing.cli before
anything of the web app is imported (a fraction of the start-up time)."""

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["verify"] and any(a == "--trust" or a.startswith("--trust=") for a in args):
        from signing.cli import main as verify_main

        sys.exit(verify_main(args[1:]))
    from flask.cli import FlaskGroup

    from portal import create_app

    FlaskGroup(create_app=create_app, help="The Sopu agreement portal.").main(prog_name="portal")


if __name__ == "__main__":
    main()
