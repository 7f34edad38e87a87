"""Subcommands of `shadowbox`, one module each (`register(subparsers)`, `run(args)`)."""
