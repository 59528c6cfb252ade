"""Allow ``python -m rewrite_advisor``."""

from .cli import main

main()
