"""mlc: the operator command-line tool."""
