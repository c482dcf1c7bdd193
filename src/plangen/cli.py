"""The `plangen` command. The only module that prints or exits.

Exit codes: 0 done; 1 the input has problems or the plan could not be made (every
problem is printed, one per line, naming file, sheet and cell); 2 the command was
used wrongly (unknown option or kind, missing argument, output onto the input).
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click

import plangen
from plangen import __version__
from plangen.errors import ConversionError, InvalidPlan, Issue, PlangenError, Report, Severity
from plangen.figures.view import SummaryView
from plangen.kinds import KINDS, get_kind
from plangen.safetext import for_terminal
from plangen.schema import PlanKind

EXIT_OK, EXIT_INVALID = 0, 1
SERVE_HINT = "another program uses that port: choose another with --port"


def literal(text: Any) -> str:
    """Text from a workbook, a file name or a template, ready for rich to print as it is:
    control and escape sequences removed, `[...]` not read as markup."""
    from rich.markup import escape

    return escape(for_terminal(text))


def _console() -> Any:
    """A rich console that adds no colours, links or emoji of its own to printed text."""
    from rich.console import Console

    return Console(highlight=False, emoji=False, soft_wrap=True)


class Failed(click.ClickException):
    """A plangen error as the user sees it: its message, a hint, and exit code 1."""

    exit_code = EXIT_INVALID

    def __init__(self, error: PlangenError) -> None:
        text = str(error)
        if error.hint:
            text += f"\n  hint: {error.hint}"
        super().__init__(text)

    def show(self, file: Any = None) -> None:
        label = click.style("error: ", fg="red", bold=True)
        for line in for_terminal(self.format_message()).splitlines():
            click.echo(line if line.startswith("  hint:") else label + line, err=True)


def _date(value: str | None) -> date | None:
    if value is None:
        return None
    from plangen.workbook.reader import EARLIEST_DATE, LATEST_DATE

    try:
        when = datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter(f"expected a date like 2023-06-30, got {value!r}") from None
    if not EARLIEST_DATE <= when <= LATEST_DATE:
        raise click.BadParameter(
            f"{value} is outside the dates a plan can hold "
            f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()})"
        )
    return when


def _kind(value: str | None) -> PlanKind | None:
    if value is None:
        return None
    try:
        return get_kind(value)
    except KeyError as exc:
        raise click.BadParameter(str(exc.args[0])) from None


AS_OF = click.option(
    "--as-of",
    metavar="DATE",
    help="Work out adherence figures as of this date (YYYY-MM-DD). "
    "Default: the workbook's 'Figures as of' date, else today.",
)
KIND = click.option(
    "--kind",
    type=click.Choice(sorted(KINDS)),
    help="The plan kind, when it cannot be told from the workbook.",
)
KIND_ARGUMENT = click.argument("kind", type=click.Choice(sorted(KINDS)))
TEMPLATE = click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A Word template to use instead of the built-in one.",
)


def _folder(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.exists() and not value.is_dir():
        raise click.UsageError(for_terminal(f"{value} is a file; -o takes a folder"))
    return value


def output_option(help: str) -> Any:
    """The `-o/--output` folder option (default `output`) with its own help text."""
    return click.option(
        "-o",
        "--output",
        "out_dir",
        type=click.Path(path_type=Path),
        default=Path("output"),
        show_default=True,
        callback=_folder,
        help=help,
    )


def print_issues(report: Report, limit: int | None = None) -> None:
    """Every problem of `report`, errors first, one line each, on stderr."""
    ordered = report.errors + report.warnings
    for issue in ordered[:limit]:
        click.echo(_issue_line(report.file, issue), err=True)
    if limit is not None and len(ordered) > limit:
        click.echo(f"... and {len(ordered) - limit} more", err=True)


def _issue_line(file: str, issue: Issue) -> str:
    label = "error" if issue.severity is Severity.ERROR else "warning"
    color = "red" if issue.severity is Severity.ERROR else "yellow"
    text = for_terminal(f"{file}: {issue}")
    return f"{click.style(label + ':', fg=color, bold=True)} {text}"


class PlangenGroup(click.Group):
    """The command group that turns every plangen error into its message and exit 1.

    The one place a `PlangenError` meets the user: an `InvalidPlan` prints its report's
    problems first, then the one-line verdict; a hint follows on its own line.
    """

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except InvalidPlan as exc:
            print_issues(exc.report)
            raise Failed(exc) from None
        except PlangenError as exc:
            raise Failed(exc) from None


@click.group(cls=PlangenGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plangen")
def cli() -> None:
    """Coaching Service Delivery Plans from Excel workbooks.

    Start with `plangen new system my_division.xlsx`, fill the workbook in, check it
    with `plangen validate`, then `plangen build` it into a Word plan.
    """
    _print_names_as_they_are()


def _print_names_as_they_are() -> None:
    """A file name that is not UTF-8 is printed as its own bytes (as `ls` does), never a
    crash: text streams write such names back through surrogateescape."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # not every stream has it
        with contextlib.suppress(ValueError, OSError):
            if reconfigure is not None:
                reconfigure(errors="surrogateescape")


@cli.command()
@KIND_ARGUMENT
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option("--example", is_flag=True, help="Write the kind's filled-in example instead.")
@click.option(
    "--from",
    "source",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start next year's plan from this year's workbook: names, focus areas and goals "
    "(marked for revision) and every item not completed or dropped are carried.",
)
@click.option(
    "--period",
    metavar="START:END",
    help="With --from: the new plan's first and last day, e.g. 2025-08-01:2026-06-30. "
    "Default: the year after the source plan's.",
)
def new(
    kind: str, path: Path, force: bool, example: bool, source: Path | None, period: str | None
) -> None:
    """Write a blank, guided workbook for a plan KIND to PATH.

    With --from THIS.xlsx: next year's workbook, filled from this year's. It prints what
    was carried and the cells marked [Revise] to revise (plangen validate lists them).
    """
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the workbook's name must end in .xlsx", param_hint="PATH")
    if path.exists() and not force:
        raise click.UsageError(for_terminal(f"{path} already exists; use --force to overwrite it"))
    if (example or period) and source is None:
        if period:
            raise click.UsageError("--period goes with --from")
    elif source is not None:
        if example:
            raise click.UsageError("--example and --from cannot be used together")
        _show_next_year(_roll_forward(get_kind(kind), path, source, period))
        return
    plan_kind = get_kind(kind)
    plangen.new_workbook(plan_kind, path, example=example)
    what = "the example" if example else "a blank"
    click.echo(for_terminal(f"wrote {path}: {what} {plan_kind.title} workbook"))


def _roll_forward(kind: PlanKind, path: Path, source: Path, period: str | None) -> Any:
    from plangen.next_year import roll_forward

    span = None
    if period is not None:
        parts = period.split(":")
        if len(parts) != 2:
            raise click.BadParameter(
                f"expected START:END like 2025-08-01:2026-06-30, got {period!r}",
                param_hint="--period",
            )
        start, end = _date(parts[0]), _date(parts[1])
        assert start is not None and end is not None
        span = (start, end)
    return roll_forward(source, path, kind=kind, period=span)


def _show_next_year(made: Any) -> None:
    """What `plangen new --from` carried, left behind and marked for revision."""
    echo = lambda text="": click.echo(for_terminal(text))  # noqa: E731
    one, many = made.kind.item_noun
    echo(
        f"wrote {made.path}: next year's {made.kind.title} ({made.period}, "
        f"{made.start.isoformat()} to {made.end.isoformat()}), from {made.source} "
        f"({made.old_period})"
    )
    kept = ", ".join(f"{name} ({n} row{'s' * (n != 1)})" for name, n in made.kept.items())
    echo(f"carried as they were: the Plan sheet's names{', ' + kept if kept else ''}")
    echo(
        f"carried {len(made.carried)} open {one if len(made.carried) == 1 else many}, "
        "each with its status and a note 'Carried from "
        f"{made.old_period}', target dates moved into {made.period}:"
    )
    for item in made.carried:
        due = item.target.isoformat() if item.target else "no target date"
        words = " ".join(item.text.split())
        echo(f"  {item.sheet}!{item.cell}  {item.status}, {due}: {words[:70]}")
    left = [f"{n} {key}" for key, n in made.left.items() if key in ("completed", "dropped")]
    left += [
        f"{n} row{'s' * (n != 1)} of {key}"
        for key, n in made.left.items()
        if key not in ("completed", "dropped")
    ]
    if left:
        echo(f"left in last year's plan: {', '.join(left)}")
    if made.reviews:
        echo("reviews due: " + "; ".join(f"{r.name} by {r.due.isoformat()}" for r in made.reviews))
    echo(
        f"to revise ({len(made.revise)} cells starting with [Revise]; plangen validate lists "
        "them until the mark is deleted):"
    )
    for mark in made.revise:
        words = " ".join(mark.text.split()) or "a new row to write"
        echo(f"  {mark.sheet}!{mark.cell}  {mark.header}: {words[:70]}")


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@KIND
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON on stdout.")
def validate(workbook: Path, kind: str | None, as_of: str | None, as_json: bool) -> None:
    """Check WORKBOOK and list every problem with its sheet and cell.

    Exits 0 when the workbook is valid (warnings allowed), 1 when it is not.
    """
    try:
        loaded = plangen.load(workbook, kind=_kind(kind), as_of=_date(as_of))
    except PlangenError as exc:
        if not as_json:
            raise
        report = Report(str(workbook), issues=[Issue(str(exc), code="unreadable")])
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        sys.exit(EXIT_INVALID)
    report = loaded.report
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
    else:
        print_issues(report)
        n, w = len(report.errors), len(report.warnings)
        verdict = "valid" if report.valid else "not valid"
        click.echo(
            f"{for_terminal(workbook)}: {verdict} "
            f"({n} error{'s' * (n != 1)}, {w} warning{'s' * (w != 1)})"
        )
    sys.exit(EXIT_OK if report.valid else EXIT_INVALID)


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@output_option("Folder to write the plan into.")
@KIND
@AS_OF
@TEMPLATE
@click.option("--pdf", is_flag=True, help="Also save the plan as PDF beside it (LibreOffice).")
@click.option(
    "--force",
    is_flag=True,
    help="Replace a plan edited in Word, keeping the edited copy as <name>.edited-N.docx.",
)
def build(
    workbook: Path,
    out_dir: Path,
    kind: str | None,
    as_of: str | None,
    template: Path | None,
    pdf: bool,
    force: bool,
) -> None:
    """Validate WORKBOOK and write its plan as OUTPUT/<workbook name>.docx.

    With --pdf, also OUTPUT/<workbook name>.pdf (needs LibreOffice). A plan edited in
    Word since plangen wrote it is not replaced (exit 1): bring its ticks back with
    `plangen pull`, or use --force.
    """
    built = plangen.build(
        workbook, out_dir, kind=_kind(kind), as_of=_date(as_of), template=template, force=force
    )
    print_issues(built.loaded.report)
    if built.kept is not None:
        click.echo(for_terminal(f"kept the edited plan as {built.kept}"))
    click.echo(for_terminal(f"wrote {built.docx} ({built.summary.headline})"))
    if pdf:
        try:
            click.echo(for_terminal(f"wrote {plangen.to_pdf(built.docx)}"))
        except ConversionError as exc:
            raise ConversionError(
                f"{built.docx} was written, but not its PDF: {exc}", exc.hint
            ) from None


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@KIND
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON on stdout.")
def status(workbook: Path, kind: str | None, as_of: str | None, as_json: bool) -> None:
    """Show WORKBOOK's adherence: supports completed, reviews held, what is overdue."""
    loaded = plangen.load(workbook, kind=_kind(kind), as_of=_date(as_of))
    report = loaded.status()
    if as_json:
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
        return
    _show_summary(report["district"] or str(workbook), loaded.require_view())


@cli.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The calendar file to write. Default: output/<workbook name>.ics.",
)
@KIND
@AS_OF
def calendar(workbook: Path, target: Path | None, kind: str | None, as_of: str | None) -> None:
    """Write WORKBOOK's dates as a calendar file (.ics) for Outlook or Google Calendar.

    Every required review, every monitored item's target date and the plan's last day.
    Import the file made next month again: each event is updated, not doubled, and an
    item completed or dropped since is cancelled.
    """
    if target is None:
        target = plangen.output_path(workbook, Path("output"), ".ics")
    elif target.suffix.lower() != ".ics":
        raise click.BadParameter("the calendar's name must end in .ics", param_hint="-o")
    made = plangen.export_calendar(workbook, target, kind=_kind(kind), as_of=_date(as_of))
    click.echo(
        for_terminal(f"wrote {made.path}: {made.events} events ({made.cancelled} cancelled)")
    )


def _show_summary(name: str, view: SummaryView) -> None:
    """The adherence summary as terminal tables, in the words of `figures.view`."""
    from rich.table import Table

    summary = view.summary
    console = _console()
    console.print(
        f"[bold]{literal(name)}[/bold]: {literal(view.headline)}, "
        f"as of {summary.as_of.isoformat()}"
    )
    if summary.reviews or summary.schedule:
        console.print(f"{view.on_track_label}: {literal(view.on_track_text)}")
    if summary.schedule or view.next_review is not None:
        console.print(f"Next review due: {literal(view.next_review_text)}")
    groups = Table(title=literal(view.group_title), title_justify="left")
    for header in ("Section", literal(view.group_header), "Completed", "%"):
        groups.add_column(header)
    for g in summary.by_group:
        pct = "" if g.tally.percent is None else f"{g.tally.percent}%"
        groups.add_row(literal(g.section), literal(g.group), g.tally.fraction, pct)
    console.print(groups)
    goals = Table(title="Completion by SMART goal", title_justify="left")
    for header in ("Goal", "Completed", "%"):
        goals.add_column(header)
    for goal, t in summary.by_goal:
        goals.add_row(literal(goal), t.fraction, "" if t.percent is None else f"{t.percent}%")
    if summary.by_goal:
        console.print(goals)
    reviews = Table(title="Reviews", title_justify="left")
    for header in ("Date", "Type", "Completed", "On track"):
        reviews.add_column(header)
    for r in summary.reviews:
        reviews.add_row(
            r.date.isoformat(), literal(r.type), r.tally.fraction, literal(r.on_track or "")
        )
    if summary.reviews:
        console.print(reviews)
    for s in summary.schedule:
        state = s.status(summary.as_of)
        if state == "missed":
            console.print(f"[red]missed:[/red] {literal(s.name)}, due {s.due.isoformat()}")
    for item in summary.overdue:
        due = item.target_date.isoformat() if item.target_date else ""
        console.print(
            f"[yellow]overdue:[/yellow] {literal(item.location)}: {literal(item.text)} (due {due})"
        )


@cli.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option("Folder for the plans (keeping FOLDER's sub-folders) and summary.xlsx/.csv.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Workbooks built (and, with --pdf, converted) at the same time. Default: the "
    "number of CPUs (with --pdf: plans are built one at a time and each CPU converts).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild plans whose workbook has not changed, and plans edited in Word "
    "(keeping each edited copy as <name>.edited-N.docx).",
)
@AS_OF
@TEMPLATE
@click.option("--pdf", is_flag=True, help="Also save each plan as PDF, beside its .docx.")
@click.option(
    "--combine", is_flag=True, help="Also write OUTPUT/all-plans.pdf, a bookmark per district."
)
@click.option(
    "--calendar", is_flag=True, help="Also save each plan's dates as .ics, beside its .docx."
)
def batch(
    folder: Path,
    out_dir: Path,
    jobs: int | None,
    force: bool,
    as_of: str | None,
    template: Path | None,
    pdf: bool,
    combine: bool,
    calendar: bool,
) -> None:
    """Build the plan of every workbook under FOLDER, and a summary across them.

    One bad workbook never stops the others; a table of what failed and why comes at
    the end. Plans whose workbook and template are unchanged since their last good
    build are skipped (use --force to rebuild), so an interrupted batch resumes.
    Writes OUTPUT/summary.xlsx and OUTPUT/summary.csv. A plan edited in Word since
    plangen wrote it is not replaced (status `edited`; `plangen pull` brings its ticks
    back). Exits 1 if any workbook failed or any plan was edited.
    """
    from plangen.batch.operation import BatchRefused, run_batch

    shown = _BatchProgress()
    try:
        done = run_batch(
            folder, out_dir, jobs=jobs, force=force, as_of=_date(as_of), template=template,
            pdf=pdf, combine=combine, calendar=calendar, progress=shown,
        )  # fmt: skip
    except BatchRefused as exc:
        raise click.UsageError(for_terminal(str(exc))) from None
    finally:
        shown.close()
    for name, why in done.pdf_failed.items():
        line = for_terminal(f"{name}: PDF: {why}")
        click.echo(f"{click.style('error:', fg='red', bold=True)} {line}", err=True)
    if done.combined is not None:
        click.echo(for_terminal(f"wrote {done.combined}"))
    if not done.ok:
        sys.exit(EXIT_INVALID)


class _BatchProgress:
    """Shows a batch as `run_batch` reports it: done, failed, rate and time left (plain
    `[n/total] status: name` lines off a terminal), then the end table, then the PDFs."""

    def __init__(self) -> None:
        from rich.console import Console

        self.console = Console(highlight=False)
        self.bar: Any = None
        self.task: Any = None
        self.failed = 0

    def __call__(self, event: Any) -> None:
        if event.what == "started" and self.console.is_terminal:
            self._start_bar(event.total)
        elif event.what == "result":
            self.failed += not event.result.ok
            if self.bar is None:
                line = f"[{event.done}/{event.total}] {event.result.status}: {event.result.name}"
                click.echo(for_terminal(line))
                return
            speed = self.bar.tasks[0].speed
            self.bar.update(
                self.task, advance=1, failed=self.failed, rate=f"{speed:.1f}/s" if speed else ""
            )
        elif event.what == "summary":
            self.close()
            done = event.batch
            _show_batch_end(done.results, done.summary_xlsx, done.summary_csv)
        elif event.what == "pdfs":
            click.echo(f"PDF of {event.total} plans (up-to-date PDFs are kept)...")

    def _start_bar(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        columns = (
            TextColumn("[bold]building plans"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[red]{task.fields[failed]} failed"),
            TextColumn("{task.fields[rate]}"),
            TimeRemainingColumn(),
        )
        self.bar = Progress(*columns, console=self.console)
        self.bar.start()
        self.task = self.bar.add_task("batch", total=total, failed=0, rate="")

    def close(self) -> None:
        """Stop drawing the bar (the batch ended, or stopped)."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def _show_batch_end(results: list[Any], xlsx: Path, csv_path: Path) -> None:
    """The table of failed workbooks (first problems, with cells) and the counts."""
    from rich.table import Table

    console = _console()
    bad = [r for r in results if not r.ok]
    if bad:
        table = Table(title="Plans not built", title_justify="left", show_lines=True)
        for header in ("Workbook", "Status", "Problems"):
            table.add_column(header, overflow="fold")
        for r in bad:
            errors = [i for i in r.issues if i.severity is Severity.ERROR]
            lines = [literal(i) for i in errors[:3]]
            if len(errors) > 3:
                lines.append(f"... and {len(errors) - 3} more")
            table.add_row(literal(r.name), r.status, "\n".join(lines))
        console.print(table)
    counts = {s: sum(r.status == s for r in results) for s in ("built", "skipped")}
    invalid = sum(r.status == "invalid" for r in results)
    failed = sum(r.status == "failed" for r in results)
    edited = sum(r.status == "edited" for r in results)
    for r in results:
        if r.kept is not None:
            click.echo(f"kept the edited plan as {r.kept}")
    console.print(
        f"{len(results)} workbooks: {counts['built']} built, {counts['skipped']} skipped "
        f"(unchanged), {invalid} invalid, {failed} failed"
        + (f", {edited} edited in Word (not replaced)" if edited else "")
    )
    console.print(f"summary: {literal(xlsx)} and {literal(csv_path)}")


@cli.command()
@click.argument("plan", type=click.Path(exists=True, path_type=Path))
@click.argument("workbook", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Print the changes; write nothing.")
@click.option(
    "--prefer",
    type=click.Choice(["workbook", "word"]),
    default=None,
    help="Settle values changed in both: word takes Word's, workbook keeps the workbook's "
    "(and remembers it, so the plan can be built again). Without it conflicts are listed "
    "and nothing of their record changes.",
)
def pull(plan: Path, workbook: Path, dry_run: bool, prefer: str | None) -> None:
    """Bring ticks, statuses, dates and review notes edited in PLAN (.docx) into WORKBOOK.

    A three-way merge: a value changed in Word only is taken; changed in both to the same
    value, nothing; changed in both differently, a conflict (the workbook's is kept).
    PLAN and WORKBOOK may also be folders: every plan under PLAN (as `plangen batch`
    wrote them) with its workbook inside WORKBOOK. Each change is printed as
    `Supports!D7 "Attend the institute": Status In progress → Completed`; only the
    changed cells are rewritten, and the previous workbook is kept beside it as
    <name>.before-pull-N.xlsx. Exits 1 on a conflict or a value that could not be taken.
    """
    from plangen.roundtrip.pull import pull_folders

    if plan.is_dir() != workbook.is_dir():
        raise click.UsageError(
            "give a plan and its workbook, or a folder of plans and a folder of workbooks"
        )
    if not plan.is_dir():
        if not _pull_one(plan, workbook, dry_run, prefer, False):
            sys.exit(EXIT_INVALID)
        return
    pulls = pull_folders(plan, workbook, dry_run=dry_run, prefer=prefer)
    if not pulls:
        raise click.UsageError(f"no plan documents (.docx) found under {plan}")
    for one in pulls:
        if one.result is None:
            click.echo(f"{click.style('error:', fg='red', bold=True)} {one.refused}", err=True)
        else:
            assert one.workbook is not None
            _show_pull(one.result, one.document, one.workbook, dry_run, True)
    attention = sum(not one.ok for one in pulls)
    click.echo(f"{len(pulls)} plans: {len(pulls) - attention} pulled cleanly, "
               f"{attention} to look at (conflicts or problems above)")
    if attention:
        sys.exit(EXIT_INVALID)


def _pull_one(docx: Path, workbook: Path, dry_run: bool, prefer: str | None, many: bool) -> bool:
    """Pull one plan and print what happened; False when the user must look at it."""
    from plangen.roundtrip.pull import pull as pull_plan

    try:
        result = pull_plan(docx, workbook, dry_run=dry_run, prefer=prefer)
    except PlangenError as exc:
        Failed(exc).show()
        return False
    _show_pull(result, docx, workbook, dry_run, many)
    return result.ok


def _show_pull(result: Any, docx: Path, workbook: Path, dry_run: bool, many: bool) -> None:
    """The lines of one pull: changes, conflicts, problems, notes, and what was written."""
    if many:
        click.echo(f"{docx} -> {workbook}")
    for change in result.changes:
        click.echo(for_terminal(str(change)))
    for conflict in result.conflicts:
        click.echo(f"{click.style('conflict:', fg='red', bold=True)} "
                   f"{for_terminal(str(conflict))}", err=True)
    for issue in result.issues:
        click.echo(_issue_line(str(docx), issue), err=True)
    for note in result.notes:
        click.echo(f"note: {for_terminal(note)}")
    n = len(result.changes)
    changes = f"{n} change{'s' * (n != 1)}"
    if dry_run:
        click.echo(f"{workbook}: {changes} (dry run: nothing written)")
    elif result.written and not n:
        click.echo(f"{workbook}: no changes to write (it now remembers the values Word and "
                   f"the workbook agree on; the previous workbook is {result.backup})")
    elif result.written:
        click.echo(f"{workbook}: {changes} written (the previous workbook is {result.backup})")
    else:
        click.echo(f"{workbook}: no changes to write")


@cli.command()
@click.argument(
    "folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@output_option("Folder for the plans of FOLDER's workbooks (as with plangen batch).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port."
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in a browser.")
@click.option(
    "--secure-cookies",
    is_flag=True,
    help="Browsers reach this server over HTTPS through a reverse proxy: cookies are "
    "Secure and __Host- (see README, Serving to other computers).",
)
def serve(
    folder: Path | None,
    out_dir: Path,
    host: str,
    port: int,
    open_browser: bool,
    secure_cookies: bool,
) -> None:
    """Open plangen as a web page: make plans from workbooks, start new workbooks and,
    with FOLDER, a dashboard of every workbook under it.

    Listens on this computer only (127.0.0.1) unless --host says otherwise; then an
    access code is printed and the page asks for it once per browser. Stop with Ctrl-C.
    """
    import socket
    import webbrowser

    import uvicorn

    from plangen.web import ServeConfig, create_app
    from plangen.web.guard import is_local, new_token
    from plangen.web.server import server_config

    token = None if is_local(host) else new_token()
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise PlangenError(
            f"cannot listen on {host}:{port} ({exc.strerror or exc})", SERVE_HINT
        ) from None
    port = sock.getsockname()[1]
    config = ServeConfig(
        host=host, port=port, token=token, folder=folder, out_dir=out_dir, secure=secure_cookies
    )
    server = uvicorn.Server(server_config(create_app(config), host, port))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else shown}:{port}/"
    click.echo(f"plangen is serving {url} (Ctrl-C stops it)")
    if token:
        click.echo(f"access code: {token}")
        click.echo(f"or open {url}?token={token}")
    if open_browser:
        webbrowser.open(url + (f"?token={token}" if token else ""))
    server.run(sockets=[sock])


@cli.command()
@KIND_ARGUMENT
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON on stdout.")
def fields(kind: str, as_json: bool) -> None:
    """List every value, list and figure a template of KIND can use, with an example."""
    from plangen.document.template_fields import as_text

    found = plangen.list_fields(get_kind(kind))
    if as_json:
        click.echo(json.dumps([f.to_dict() for f in found], indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(found), nl=False)


@cli.group()
def template() -> None:
    """Start a Word template of your own and check it before use."""


@template.command("export")
@KIND_ARGUMENT
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
def template_export(kind: str, path: Path, force: bool) -> None:
    """Write the built-in template of KIND to PATH, as a starting point."""
    if path.suffix.lower() != ".docx":
        raise click.BadParameter("the template's name must end in .docx", param_hint="PATH")
    if path.exists() and not force:
        raise click.UsageError(for_terminal(f"{path} already exists; use --force to overwrite it"))
    plangen.export_template(get_kind(kind), path)
    click.echo(
        for_terminal(
            f"wrote {path}: the built-in {kind} template; check it with plangen template check"
        )
    )


@template.command("check")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--kind", type=click.Choice(sorted(KINDS)), required=True, help="The plan kind.")
def template_check(file: Path, kind: str) -> None:
    """Check a Word template FILE for a plan KIND and try it on the kind's example.

    Lists every problem (syntax errors, unknown values, tags split across runs, a
    failed trial render) and exits 1; exits 0 when the template is fine.
    """
    problems = plangen.check_template(file, get_kind(kind))
    for line in "\n".join(problems).splitlines():
        click.echo(click.style("error: ", fg="red", bold=True) + for_terminal(line), err=True)
    if problems:
        sys.exit(EXIT_INVALID)
    click.echo(f"{for_terminal(file)}: fine for a {kind} plan (the example renders)")


def main() -> None:
    """Entry point of the `plangen` console script.

    Any error plangen did not foresee is still one line, not a traceback; set
    PLANGEN_DEBUG=1 to see the traceback.
    """
    try:
        cli(standalone_mode=True)
    except Exception as exc:
        if os.environ.get("PLANGEN_DEBUG"):
            raise
        line = for_terminal(f"unexpected failure: {type(exc).__name__}: {exc}")
        click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_INVALID)
