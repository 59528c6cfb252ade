"""Errors that format themselves for the user.

Every problem a user can cause (a malformed file, an unknown question, a wrong type) is raised
as an :class:`AdvisorError`. The command line turns it into one line on stderr,
``error: FILE:LINE: what is wrong``, and exit code 2. Nothing else in the package prints.
"""

from __future__ import annotations

from pathlib import Path


class AdvisorError(Exception):
    """A problem with the user's input that the user can fix.

    Args:
        message: What is wrong, in one sentence, without a trailing period.
        path: The file the problem is in, if any.
        line: The 1-based line in that file, if known.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        """Return ``FILE:LINE: message`` (or as much of it as is known), on one line."""
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        return where + " ".join(self.message.split())


class Interrupted(Exception):
    """The person pressed Ctrl-C during ``assess``; the answers so far are already saved.

    Not an :class:`AdvisorError`: nothing is wrong. The command line prints :meth:`__str__`
    and exits 130.

    Args:
        answers: The answers collected so far (``None`` if none were started).
        path: The answers file they were saved to.
        resume_command: The command that resumes the session, if known.
    """

    exit_code = 130

    def __init__(self, answers: object, path: Path, resume_command: str | None = None):
        super().__init__("interrupted")
        self.answers = answers
        self.path = path
        self.resume_command = resume_command or f"rewrite-advisor assess -o {path}"

    def __str__(self) -> str:
        """Say what was saved and how to go on."""
        if self.answers is None:
            return "Interrupted before the first answer; nothing was saved."
        return (
            f"Interrupted. Your answers are saved in {self.path}.\nTo resume: {self.resume_command}"
        )


class BankError(AdvisorError):
    """A question bank or its rules are invalid."""


class AnswersError(AdvisorError):
    """An answers file is invalid or does not fit its question bank."""


class OutputError(AdvisorError):
    """An output file cannot be written as asked."""


class RenderingUnavailable(AdvisorError):
    """A renderer's system libraries are missing (for example Pango for PDF)."""


class RecordError(AdvisorError):
    """A decision record cannot be found, made or changed as asked."""


class VerificationFailed(AdvisorError):
    """``record verify`` found tampering or drift: exit code 3, not a usage error."""

    exit_code = 3
