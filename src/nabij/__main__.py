"""`python -m nabij ...` is the same as the `nabij` command."""

from nabij.cli import main

main()
