"""typer's own words in Bahasa Indonesia: the help option, panel titles, the usage line, usage errors.

typer (0.29, with click vendored as ``typer._click``) has no translation catalogue for most of these
strings: the panel titles are module constants read at call time, the rest are English f-strings.
So the constants are replaced and the finished error text is translated by pattern. Every patch
checks that its target exists: a typer that moved a name keeps its English word, never crashes
(tests/test_messages.py fails then, so the pin in pyproject.toml is raised knowingly).
"""

from __future__ import annotations

import re

HELP_TEXT = "Tampilkan bantuan ini lalu keluar."

_CONSTANTS = {
    "ARGUMENTS_PANEL_TITLE": "Argumen",
    "OPTIONS_PANEL_TITLE": "Opsi",
    "COMMANDS_PANEL_TITLE": "Perintah",
    "ERRORS_PANEL_TITLE": "Galat",
    "ABORTED_TEXT": "Dibatalkan.",
    "RICH_HELP": "Coba [blue]'{command_path} {help_option}'[/] untuk bantuan.",
    "DEFAULT_STRING": "[bawaan: {}]",
    "REQUIRED_LONG_STRING": "[wajib]",
    "DEPRECATED_STRING": "(usang) ",
    "ENVVAR_STRING": "[variabel lingkungan: {}]",
}

# The messages of typer's usage errors, most specific first.
_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.S), r) for p, r in (
    (r"^Missing argument '([^']+)'\.", r"Argumen '\1' belum diberikan."),
    (r"^Missing option (.+?)\.$", r"Opsi \1 wajib diisi."),
    (r"^Missing (parameter|argument|option)\b", r"Parameter belum diberikan"),
    (r"^Missing command\.", "Perintah belum diberikan."),
    (r"^No such command '([^']+)'\.", r"Perintah '\1' tidak dikenal."),
    (r"^No such option: (\S+)", r"Opsi tidak dikenal: \1"),
    (r"\(Possible options: ([^)]*)\)", r"(mungkin maksudnya: \1)"),
    (r"Did you mean ([^?]+)\?", r"Mungkin maksudnya \1?"),
    (r"^Option '([^']+)' requires an argument\.", r"Opsi '\1' memerlukan nilai."),
    (r"^Option '([^']+)' does not take a value\.", r"Opsi '\1' tidak menerima nilai."),
    (r"^Got unexpected extra arguments? \(([^)]*)\)", r"Argumen berlebih: \1"),
    (r"^Invalid value for ([^:]+): ", r"Nilai tidak sah untuk \1: "),
    (r"^Invalid value: ", "Nilai tidak sah: "),
    (r"Value error, ", ""),
    (r"'([^']*)' is not one of (.+)\.$", r"'\1' bukan salah satu dari \2."),
    (r"(File|Directory|Path) '([^']*)' does not exist\.", r"Path '\2' tidak ada."),
    (r"Value '?([^']*)'? is not a valid (integer|float)\b\.?", r"'\1' bukan angka yang sah."),
    (r"'([^']*)' is not a valid (integer|float)\b\.?", r"'\1' bukan angka yang sah."),
    (r"is not in the range (.+)\.$", r"di luar rentang \1."),
    # typer 0.29 checks types with pydantic, whose messages are English too.
    (r"Input should be a valid integer.*$", "harus bilangan bulat, misalnya 2."),
    (r"Input should be a valid number.*$", "harus angka."),
    (r"Input should be greater than or equal to (\S+?)\.?$", r"harus paling sedikit \1."),
    (r"Input should be less than or equal to (\S+?)\.?$", r"harus paling banyak \1."),
))


def translate(message: str) -> str:
    """A typer usage-error message in Bahasa Indonesia (unknown messages pass unchanged).

    >>> translate("Missing argument 'folders'.")
    "Argumen 'folders' belum diberikan."
    >>> translate("Invalid value for '--format' / '-f': Value error, 'x' is not one of 'table', 'json'.")
    "Nilai tidak sah untuk '--format' / '-f': 'x' bukan salah satu dari 'table', 'json'."
    """
    for pattern, replacement in _ERRORS:
        message = pattern.sub(replacement, message)
    return message


def install() -> None:
    """Patch typer once, before the app is built or run."""
    from typer import rich_utils

    for name, text in _CONSTANTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    original_error = getattr(rich_utils, "rich_format_error", None)
    if original_error is not None and not getattr(original_error, "_bahasa", False):
        def rich_format_error(self) -> None:  # noqa: ANN001
            english = self.format_message
            self.format_message = lambda: translate(english())
            original_error(self)

        rich_format_error._bahasa = True  # type: ignore[attr-defined]
        rich_utils.rich_format_error = rich_format_error
    _flags_without_metavar()
    try:
        from typer._click import core as click_core
        from typer._click import formatting
    except ImportError:  # an older typer on click itself: only the constants above apply
        return
    command = getattr(click_core, "Command", None)
    if command is not None and hasattr(command, "get_help_option") and not hasattr(command, "_bahasa"):
        original_help = command.get_help_option

        def get_help_option(self, ctx):  # noqa: ANN001
            option = original_help(self, ctx)
            if option is not None:
                option.help = HELP_TEXT
            return option

        command.get_help_option = get_help_option
        command._bahasa = True
    formatter = getattr(formatting, "HelpFormatter", None)
    if formatter is not None and hasattr(formatter, "write_usage") and not hasattr(formatter, "_bahasa"):
        original_usage = formatter.write_usage

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            original_usage(self, prog, args, "Pemakaian: " if prefix is None else prefix)

        formatter.write_usage = write_usage
        formatter._bahasa = True


def _flags_without_metavar() -> None:
    """A flag takes no value, so its help row shows none: typer 0.29 prints the type of every option,
    ``--help <bool>``, ``--markdown <bool>``, as if a value had to follow."""
    try:
        from typer.core import TyperOption
    except ImportError:
        return
    original = getattr(TyperOption, "display_type_rich", None)
    if original is None or getattr(original, "_bahasa", False):
        return

    def display_type_rich(self, ctx):  # noqa: ANN001
        if getattr(self, "is_flag", False) and not getattr(self, "count", False):
            return None
        return original(self, ctx)

    display_type_rich._bahasa = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich
