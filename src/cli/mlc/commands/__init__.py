"""One module per `mlc` command, each a Click command named `command` (mlc.main adds them to the group).

A command module imports Click and mlc.options only at the top: the engine, boto3 and Rich are imported when the
command runs, so `mlc --help` stays quick."""
