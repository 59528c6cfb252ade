"""rewrite-advisor: decide whether to rewrite a system, and write the decision down."""

__version__ = "0.4.0"
