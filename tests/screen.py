"""A terminal of a given width, in-process: what prompt_toolkit would leave on the screen.

``Screen`` is a prompt_toolkit output (public interface, as ``DummyOutput``) that keeps the
characters where a real terminal would put them: the renderer draws with its autowrap off,
so a line longer than the terminal is cut at the last column, exactly as a person sees it;
``print_formatted_text`` writes with autowrap on, so its long lines wrap. After each redraw
(each flush) a snapshot of the screen is kept, so a test can read what was shown while a
prompt waited, not only what was left after it.
"""

from __future__ import annotations

from prompt_toolkit.data_structures import Size
from prompt_toolkit.output import DummyOutput


class Screen(DummyOutput):
    """An endless terminal ``columns`` wide (it never scrolls: row 0 stays the first line)."""

    def __init__(self, columns: int) -> None:
        self.columns = columns
        self.rows: list[list[str]] = [[]]
        self.x = 0
        self.y = 0
        self.autowrap = True
        self.snapshots: list[str] = []

    # --- what the renderer and print_formatted_text call ---------------------------------

    def get_size(self) -> Size:
        return Size(rows=200, columns=self.columns)

    def write(self, data: str) -> None:
        for char in data:
            if char == "\r":
                self.x = 0
            elif char == "\n":
                self.x = 0
                self.y += 1
            else:
                self._put(char)

    write_raw = write

    def flush(self) -> None:
        self.snapshots.append(self.text())

    def enable_autowrap(self) -> None:
        self.autowrap = True

    def disable_autowrap(self) -> None:
        self.autowrap = False

    def cursor_up(self, amount: int) -> None:
        self.y = max(0, self.y - amount)

    def cursor_down(self, amount: int) -> None:
        self.y += amount

    def cursor_forward(self, amount: int) -> None:
        self.x = min(self.columns - 1, self.x + amount)

    def cursor_backward(self, amount: int) -> None:
        self.x = max(0, min(self.x, self.columns - 1) - amount)

    def erase_end_of_line(self) -> None:
        row = self._row(self.y)
        del row[self.x :]

    def erase_down(self) -> None:
        self.erase_end_of_line()
        del self.rows[self.y + 1 :]

    # --- reading it ---------------------------------------------------------------------

    def text(self) -> str:
        """The screen as text, one line per row, trailing blanks removed."""
        return "\n".join("".join(row).rstrip() for row in self.rows).rstrip("\n")

    def _row(self, y: int) -> list[str]:
        while len(self.rows) <= y:
            self.rows.append([])
        return self.rows[y]

    def _put(self, char: str) -> None:
        if self.x >= self.columns:
            if self.autowrap:
                self.x = 0
                self.y += 1
            else:
                self.x = self.columns - 1  # the last column is written over, as a terminal does
        row = self._row(self.y)
        while len(row) < self.x:
            row.append(" ")
        if self.x < len(row):
            row[self.x] = char
        else:
            row.append(char)
        self.x += 1
