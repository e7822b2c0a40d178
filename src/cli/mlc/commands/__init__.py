"""One module per `mlc` command: each has add_parser(subparsers, common) and run(args) -> exit code."""
