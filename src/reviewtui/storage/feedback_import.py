"""Importing survey and support exports (CSV) into an employee's feedback file, all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import ValidationError

from ..errors import LoadError, Problem, SaveError
from ..models.feedback import SCALE_RANGE, FeedbackFile, Response, Scale
from ..shown import shown_path
from .atomic import atomic_write
from .employee_files import claimed_employee_file, employee_file
from .messages import shown_key, validated
from .reading import read_capped
from .records import MAX_RECORD_BYTES
from .tomlfile import TomlDocument, dumps_toml, read_toml, size_text

MAX_CSV_BYTES = 5 * 2**20
SNIFF_CHARS = 4096  # csv.Sniffer sees the first lines only: its time grows with the square of the text
DELIMITERS = (",", ";", "\t")  # what spreadsheets write: comma, semicolon (comma-decimal locales), tab
MAX_SKIPPED_LISTED = 50  # rows skipped beyond these are counted, not listed
FEEDBACK_PREFIX = "feedback_"
COLUMNS = {
    "date": ("date", "submitted", "submitted_at", "created_at", "response_date", "responded"),
    "account": ("account", "company", "customer", "organization", "organisation", "client"),
    "cohort": ("cohort", "segment"),
    "score": ("score", "rating", "nps", "csat"),
    "comment": ("comment", "comments", "feedback", "text", "verbatim"),
}


@dataclass
class ImportResult:
    """What an import did: where it wrote, what it added, which lines it skipped and why."""

    path: Path | None = None
    added: list[Response] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0


def feedback_path(sessions_dir: Path, employee: str) -> Path:
    """The employee's feedback file, `feedback_<slug>.toml`, numbered if another employee has the slug."""
    return employee_file(sessions_dir, FEEDBACK_PREFIX, employee, _feedback_owner)


def _feedback_owner(path: Path) -> str:
    return load_feedback(path).employee


def feedback_from_document(document: TomlDocument) -> FeedbackFile:
    """Validate a parsed document as a feedback file, or raise a LoadError with lines."""
    return validated(FeedbackFile, document)


def load_feedback(path: Path) -> FeedbackFile:
    """Load one feedback file."""
    return feedback_from_document(
        read_toml(path, max_bytes=MAX_RECORD_BYTES, what="feedback file", follow_symlinks=False)
    )


def _listing(header: list[str]) -> str:
    """The header's cells for a message; a first row that is a response (no header row) is not repeated."""
    if any(_is_value(cell.strip()) for cell in header):
        return "its first row looks like a response, not a header row; export it with its header"
    return f"its columns: {', '.join(shown_key(cell.strip()) for cell in header)}"


def _is_value(cell: str) -> bool:
    """A cell that is a date, a number or a long text: a client's answer, never a column name."""
    if len(cell) > 40:
        return True
    try:
        dt.date.fromisoformat(cell[:10])
        return True
    except ValueError:
        pass
    try:
        Decimal(cell.replace(",", "."))
        return True
    except InvalidOperation:
        return False


def _columns(header: list[str], mapping: dict[str, str], path: Path) -> dict[str, int]:
    names = [name.strip().lower() for name in header]
    found: dict[str, int] = {}
    for field_name, candidates in COLUMNS.items():
        wanted = [mapping[field_name].strip().lower()] if field_name in mapping else list(candidates)
        index = next((names.index(name) for name in wanted if name in names), None)
        if index is not None:
            found[field_name] = index
        elif field_name in mapping:
            raise LoadError(
                path,
                [Problem(f"has no column {mapping[field_name]!r} ({_listing(header)})", 1)],
            )
    missing = [name for name in ("date",) if name not in found]
    if "account" not in found and "cohort" not in found:
        missing.append("account or cohort")
    if "score" not in found and "comment" not in found:
        missing.append("score or comment")
    if missing:
        raise LoadError(
            path,
            [
                Problem(
                    f"has no {' and no '.join(missing)} column; name them with --column FIELD=HEADER "
                    f"({_listing(header)})",
                    1,
                )
            ],
        )
    return found


def _response_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:12]


def _rows(text: str, path: Path, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each row with its line; a file the csv module gives up on is a LoadError at that line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            # e.g. a field over csv.field_size_limit() (128 KiB), which no survey export has.
            line = reader.line_num or 1
            message = (
                "cannot be read as CSV from this line (a field too long or badly quoted); export it again"
            )
            raise LoadError(path, [Problem(message, line)]) from None
        yield reader.line_num, row


def _export_text(path: Path) -> str:
    raw = read_capped(
        path, max_bytes=MAX_CSV_BYTES, what="file", too_large="is larger than 5 MiB; export a shorter period"
    )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise LoadError(path, [Problem("is not UTF-8 text; export it as CSV UTF-8", line)]) from None


def _header_fits(text: str, delimiter: str, mapping: dict[str, str], path: Path) -> bool:
    try:
        _, header = next(_rows(text, path, delimiter), (1, None))
        return bool(header) and bool(_columns(header, mapping, path))
    except LoadError:
        return False


def export_delimiter(text: str, mapping: dict[str, str], path: Path) -> str:
    """The export's separator: what csv.Sniffer sees in its first lines, if the header row then has the columns.

    Spreadsheets write `;` where a comma is the decimal mark, and tab-separated text; the sniffer can
    guess wrong (a one-column guess, or a separator that is common in the comments), so its guess is
    kept only if the header row then names the columns an import needs; else the usual separators are
    tried in turn, and a file none fits is read with commas (and told which columns it lacks).
    """
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    try:
        guessed = [csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter]
    except csv.Error:  # "could not determine delimiter"
        guessed = []
    for delimiter in dict.fromkeys([*guessed, *DELIMITERS]):
        if _header_fits(text, delimiter, mapping, path):
            return delimiter
    return ","


@dataclass
class ParsedExport:
    """An export's responses, each once (bounded: they fit in a feedback file), and what was passed over."""

    responses: list[Response] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    duplicates: int = 0
    """Rows that repeat an earlier row of the same export."""


def response_bytes(response: Response) -> int:
    """About how many bytes the response takes in a feedback file (its `[[responses]]` table).

    Counted, not written out: a TOML dump per row costs more than the rest of the import. Escapes
    of control characters are not counted; the whole file's size is checked again before writing.
    """
    size = len('\n[[responses]]\nid = ""\nsource = ""\nscale = ""\ndate = 2026-01-01\n')
    size += len(response.id) + len(response.source) + len(response.scale)
    if response.score is not None:
        size += len(f"score = {response.score}\n")
    for key in ("account", "cohort", "comment", "imported_from"):
        value: str = getattr(response, key)
        if value:
            size += len(key) + 6 + len(value.encode("utf-8")) + value.count('"') + value.count("\\")
            size += 6 if "\n" in value else 0  # a multi-line string's two extra pairs of quotes
    return size


def too_many_responses(limit: int = MAX_RECORD_BYTES) -> str:
    return (
        f"a feedback file holds at most {size_text(limit)} of responses (the most reviewtui reads), "
        "and this export has more than that from this line on; nothing was written: export a shorter period"
    )


def parse_csv(
    path: Path, *, scale: Scale, source: str, mapping: dict[str, str], budget: int = MAX_RECORD_BYTES
) -> ParsedExport:
    """Responses from a CSV export, and one `file:line: reason` per row skipped; file problems raise.

    Row by row, in bounded memory: repeated rows are kept once, only the first MAX_SKIPPED_LISTED
    skipped rows are listed, and reading stops with a LoadError as soon as the responses would not
    fit in `budget` bytes of a feedback file (the line says where).
    """
    text = _export_text(path)
    delimiter = export_delimiter(text, mapping, path)
    reader = _rows(text, path, delimiter)
    _, header = next(reader, (1, None))
    if not header or not any(cell.strip() for cell in header):
        raise LoadError(path, [Problem("is empty: it needs a header row and at least one response", 1)])
    columns = _columns(header, mapping, path)
    low, high = SCALE_RANGE[scale]
    parsed = ParsedExport()
    seen: set[str] = set()
    skipped_count = 0
    size = 0

    def cell(row: list[str], name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    def skip(line: int, reason: str) -> None:
        nonlocal skipped_count
        skipped_count += 1
        if skipped_count <= MAX_SKIPPED_LISTED:
            parsed.skipped.append(f"{shown_path(path)}:{line}: skipped: {reason}")

    for line, row in reader:
        if not any(value.strip() for value in row):
            continue
        try:
            date = dt.date.fromisoformat(cell(row, "date")[:10])
        except ValueError:
            skip(line, "the date is not YYYY-MM-DD")
            continue
        score = None
        if cell(row, "score"):
            try:
                score = Decimal(cell(row, "score").replace(",", "."))
            except InvalidOperation:
                skip(line, "the score is not a number")
                continue
            if not score.is_finite():  # Decimal("nan") parses, and refuses to be compared
                skip(line, "the score is not a number")
                continue
            if not low <= score <= high:
                skip(line, f"the score is outside {low}–{high} for {scale.upper()}")
                continue
        account, cohort, comment = cell(row, "account"), cell(row, "cohort"), cell(row, "comment")
        if score is None and not comment:
            skip(line, "neither a score nor a comment")
            continue
        response_id = _response_id(source, scale, date, account, cohort, score, comment)
        if response_id in seen:
            parsed.duplicates += 1
            continue
        try:
            response = Response(
                id=response_id,
                source=source,  # type: ignore[arg-type]
                scale=scale,
                date=date,
                account=account,
                cohort=cohort,
                score=score,
                comment=comment,
                imported_from=path.name,
            )
        except ValidationError:
            skip(line, "a value is too long or not valid text")
            continue
        size += response_bytes(response)
        if size > budget:
            raise LoadError(path, [Problem(too_many_responses(), line)])
        seen.add(response_id)
        parsed.responses.append(response)
    if skipped_count > MAX_SKIPPED_LISTED:
        more = skipped_count - MAX_SKIPPED_LISTED
        parsed.skipped.append(f"{shown_path(path)}: and {more} more row(s) skipped, not listed")
    return parsed


def import_feedback(
    sessions_dir: Path, employee: str, csv_path: Path, *, scale: Scale, source: str, mapping: dict[str, str]
) -> ImportResult:
    """Add a CSV's new responses to the employee's feedback file in one atomic write."""
    parsed = parse_csv(csv_path, scale=scale, source=source, mapping=mapping)
    # Read, add and write as one step: another reviewtui's import is not lost.
    with claimed_employee_file(sessions_dir, FEEDBACK_PREFIX, employee, _feedback_owner) as path:
        return _add_responses(path, employee, parsed)


def _add_responses(path: Path, employee: str, parsed: ParsedExport) -> ImportResult:
    existing = load_feedback(path) if path.exists() else FeedbackFile(employee=employee)
    seen = {response.id for response in existing.responses}
    result = ImportResult(skipped=parsed.skipped, duplicates=parsed.duplicates)
    for response in parsed.responses:
        if response.id in seen:
            result.duplicates += 1
            continue
        seen.add(response.id)
        result.added.append(response)
    if not result.added:
        return result
    updated = FeedbackFile(employee=existing.employee, responses=[*existing.responses, *result.added])
    data = updated.model_dump(mode="python", exclude_defaults=True)
    text = dumps_toml({"schema_version": 1, "kind": "feedback", **data})
    if len(text.encode("utf-8")) > MAX_RECORD_BYTES:
        raise SaveError(
            f"the feedback file {shown_path(path)} would pass {size_text(MAX_RECORD_BYTES)}, the most "
            f"reviewtui reads, with these {len(result.added)} new response(s), so nothing was written; "
            "import a shorter period, or move that file into a sub-folder (after `reviewtui archive`) "
            "and import again to start a new one"
        )
    if (
        FeedbackFile.model_validate(tomllib.loads(text, parse_float=Decimal)).model_dump()
        != updated.model_dump()
    ):
        raise SaveError("the feedback file would not read back the same, so nothing was written")
    atomic_write(path, text.encode("utf-8"))
    result.path = path
    return result
