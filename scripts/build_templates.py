"""Build plangen's Word templates: the base document's look, each kind's content and tags.

Run from the repository root:  python3 scripts/build_templates.py
For each kind, one function below fills the base document (`src/plangen/templates/
base.docx`) with the kind's sections and jinja tags, using the named styles only
(scripts/template_builder.py has the pieces), and writes `<kind>.docx` beside it. A test
checks the committed templates hold the content and tags this script makes. To change the
look, restyle base.docx in Word instead (docs/restyling.md).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from docx.document import Document as DocumentObject
from template_builder import (
    BODY_WIDTH,
    TEMPLATES,
    TICK_TO_RECORD,
    Builder,
    adherence_section,
    checkbox,
    review_log,
    status_cell,
    title_block,
    tracked_table,
)

# ------------------------------------------------------------------ the System CSDP

BACKGROUND = (
    "A Coaching Service Delivery Plan (CSDP) sets out, ahead of time, the coaching a team "
    "will receive and why. It names the supports each level of the coaching system will "
    "provide, how and how often they will be delivered, and how everyone will know the "
    "coaching is working. The plan is the shared reference for continuous improvement of "
    "the multi-tiered system of supports (MTSS): it is revisited during the year and "
    "adjusted as the team grows, always aiming at aligned systems and better services and "
    "outcomes for every student."
)

CONSIDERATIONS = (
    (
        "Data to support the need",
        "Which numbers and observations point to these focus areas and call for coaching?",
    ),
    (
        "Focus areas",
        "Which concepts or skills will be coached, what improvement in implementation is "
        "expected, and which measures (DCA items, observations, product reviews, surveys) "
        "will show it?",
    ),
    (
        "Systems and support structure for coaching",
        "What must each level of the division's coaching infrastructure provide?",
    ),
    (
        "Coaching process",
        "Which processes (observation, data review, modeling, co-facilitation, coaching "
        "conversations, fading, consultation) will build the team's knowledge and skill in "
        "each focus area?",
    ),
    (
        "Frequency",
        "How often will each process happen, and how will that change as staff gain skill?",
    ),
    (
        "Feedback and communication",
        "How will feedback travel in both directions between levels, in what form, and how "
        "quickly?",
    ),
    (
        "Monitoring adherence",
        "At least twice a year, review and update the plan: is the team on track for its "
        "SMART goals in time, and what needs to change?",
    ),
)


def build_system() -> DocumentObject:
    b = Builder()
    title_block(
        b,
        "System Coaching Service Delivery Plan",
        [
            ("Division or district", "{{ district }}"),
            ("Date initiated", "{{ date_initiated }}"),
            ("Plan period", "{{ date_initiated }} to {{ plan_end }}"),
            ("Coordinator", "{{ coordinator }}"),
            ("Figures as of", "{{ as_of }}"),
        ],
    )
    b.heading("Background", numbered=False)
    b.para(BACKGROUND)
    b.para("Seven questions guide the plan:", "Intro")
    for name, question in CONSIDERATIONS:
        p = b.para(style="List Number")
        p.add_run(f"{name}. ", style="Strong")
        p.add_run(question)

    b.heading("Data to Support the Need")
    b.heading("Quantitative data", 2)
    b.loop_table(
        ["Measure", "Score", "N", "Note"],
        [2.9, 0.8, 0.6, BODY_WIDTH - 4.3],
        "r in data",
        [
            [
                ("{%p if r.sub_score %}", "Table Text"),
                ("{{ r.measure }}", "Table Text Indented"),
                ("{%p else %}", "Table Text"),
                ("{{ r.measure }}", "Table Text"),
                ("{%p endif %}", "Table Text"),
            ],
            "{{ r.score }}",
            "{{ r.n }}",
            "{{ r.note }}",
        ],
    )
    b.none_recorded("data")
    b.heading("Qualitative observations", 2)
    b.tag("{%p for o in observations %}")
    b.para("{{ o.observation }}", "List Bullet")
    b.tag("{%p endfor %}")
    b.none_recorded("observations")

    b.heading("Focus Areas and SMART Goals")
    b.heading("Focus areas (a maximum of 3 are selected)", 2)
    b.loop_table(
        ["Selected", "Focus area", "Matrix codes"],
        [0.75, BODY_WIDTH - 0.75 - 1.9, 1.9],
        "f in focus_areas",
        [checkbox("f.selected"), "{{ f.area }}", "{{ f.codes }}"],
    )
    b.heading("SMART goals", 2)
    b.loop_table(
        ["Goal", "SMART goal", "Effectiveness measures", "Target date"],
        [0.5, BODY_WIDTH - 0.5 - 1.9 - 1.15, 1.9, 1.15],
        "g in goals",
        ["{{ g.number }}", "{{ g.goal }}", "{{ g.measures }}", "{{ g.target_date }}"],
    )

    b.heading("Description of Systems & Support Structure for Coaching")
    b.para(
        "The supports required at each level of the coaching infrastructure. A ticked box "
        "marks a support already completed.",
        "Intro",
    )
    b.para(TICK_TO_RECORD, "Intro")
    tracked_table(b, "supports_groups", "support", "Support", [("Goal", "goal", 0.5)])

    b.heading("Coaching Process")
    b.para("How coaching is provided in each coaching relationship.", "Intro")
    tracked_table(
        b,
        "process_groups",
        "activity",
        "Activity",
        [("Process", "process", 1.2), ("Goal", "goal", 0.5)],
    )

    b.heading("Frequency")
    b.grouped_bullets("frequency_groups", "item")

    b.heading("Feedback & Communication Plans")
    b.grouped_bullets("feedback_groups", "item")

    b.heading("Plan for Monitoring Adherence")
    b.tag("{%p for m in monitoring %}")
    b.para("{{ m.review }}", "Heading 3")
    b.para("{{ m.covers }}")
    b.tag("{%p endfor %}")
    b.heading("Review log", 2)
    review_log(b, with_type=True)

    adherence_section(b)
    return b.finish()


# ------------------------------------------------------------------ the District CSDP

DISTRICT_BACKGROUND = (
    "This plan sets out the coaching the district coordinator will give the District "
    "Implementation Team (DIT) this year, and why. Baseline data show where implementation "
    "needs support; one or two coaching concepts are chosen from the DIT Coaching Concepts, "
    "each with a SMART goal and measures of coaching effectiveness; the coaching supports "
    "and the preparation they need are then planned step by step. The plan is reviewed "
    "every month and coaching progress is shared with the DIT two to three times a year."
)

MONTHLY_STEPS = (
    "Update coaching supports and preparation: check off what has been completed.",
    "Update coaching plan adherence: the date of the review, supports completed out of the "
    "total, and whether the team is on track to meet the SMART goals in time.",
    "Review the remaining supports and preparation, and refine the plan where needed.",
    "Prepare for, and plan to provide, the next supports in the plan.",
)


def build_district() -> DocumentObject:
    b = Builder()
    title_block(
        b,
        "District Individualized Coaching Service Delivery Plan",
        [
            ("District", "{{ district }}"),
            ("Coordinator", "{{ coordinator }}"),
            (
                "Area of focus",
                "{% if area_of_focus %}{{ area_of_focus }}{% else %}Installation and use of "
                "a district implementation infrastructure{% endif %}",
            ),
            ("Plan period", "{{ date_initiated }} to {{ plan_end }}"),
            ("Figures as of", "{{ as_of }}"),
        ],
    )
    b.heading("About this plan", numbered=False)
    b.para(DISTRICT_BACKGROUND)

    b.heading("Baseline Data")
    b.para(
        "The data reviewed to find where coaching will keep implementation moving forward.", "Intro"
    )
    b.grouped_table(
        "baseline_groups",
        ["Data", "Score", "What it shows"],
        [2.4, 0.75, BODY_WIDTH - 3.15],
        [
            "{{ s.data }}",
            "{{ s.score }}",
            [
                ("{{ s.shows }}", "Table Text"),
                ("{%p if s.accuracy_in_question %}", "Table Text"),
                ("⚠ The accuracy of this data is in question.", "Table Note"),
                ("{%p endif %}", "Table Text"),
            ],
        ],
    )
    b.heading("Summary of baseline data: areas for improvement", 2)
    b.tag("{%p for s in summary %}")
    b.para("{{ s.point }}", "List Bullet")
    b.tag("{%p endfor %}")
    b.tag("{%p for r in baseline if r.accuracy_in_question %}")
    b.para(
        "Data accuracy: {{ r.data }} ({{ r.source }}) may not be accurate; making this data "
        "trustworthy is an area for improvement.",
        "List Bullet",
    )
    b.tag("{%p endfor %}")
    b.none_recorded("summary")  # required, so never empty in a valid plan

    b.heading("SMART Goals")
    b.heading("Coaching concepts and goals", 2)
    b.loop_table(
        ["Goal", "Coaching concept", "SMART goal", "Target date"],
        [0.5, 1.6, BODY_WIDTH - 0.5 - 1.6 - 1.15, 1.15],
        "g in goals",
        ["{{ g.number }}", "{{ g.concept }}", "{{ g.goal }}", "{{ g.target_date }}"],
    )
    b.heading("Effectiveness measures", 2)
    b.para(
        "The data that will show the team improved implementation as a result of coaching.",
        "Intro",
    )
    b.loop_table(
        ["Goal", "Measure type", "Measure"],
        [0.5, 2.0, BODY_WIDTH - 2.5],
        "m in measures",
        ["{{ m.goal }}", "{{ m.type }}", "{{ m.measure }}"],
    )

    b.heading("Coaching Supports")
    b.para(
        "How coaching support is provided for each concept, by method from the continuum of "
        "coaching methods. A ticked box marks a support already completed.",
        "Intro",
    )
    b.para(TICK_TO_RECORD, "Intro")
    b.grouped_table(
        "supports_groups",
        ["Done", "Method", "Coaching support", "When", "People involved", "Status"],
        [0.5, 1.0, 1.85, 1.0, 0.95, 1.6],
        [
            checkbox("s.done", "s.ref ~ '|done'"),
            "{{ s.method }}",
            [
                ("{{ s.support }}", "Table Text"),
                ("{%p if s.feedback %}", "Table Text"),
                ("Feedback: {{ s.feedback }}", "Table Note"),
                ("{%p endif %}", "Table Text"),
            ],
            [("{{ s.frequency }}", "Table Text"), ("{{ s.timeline }}", "Table Note")],
            "{{ s.people }}",
            status_cell(),
        ],
    )

    b.heading("Preparation Required")
    b.para("What the coordinator does to be ready to provide the supports.", "Intro")
    tracked_table(
        b, "preparation_groups", "step", "Preparation step", [("Preparation", "type", 1.6)]
    )

    b.heading("Monitoring and Use of the Plan")
    b.para("The plan is reviewed every month:", "Intro")
    for step in MONTHLY_STEPS:
        b.para(step, "List Number")
    b.heading("Monthly reviews", 2)
    review_log(b, with_type=False)

    b.heading("Communicating Coaching Progress")
    b.para(
        "Two to three times a year the coordinator shares accomplishments, barriers and "
        "progress with the District Implementation Team, to improve the district coaching "
        "system and find further implementation supports.",
        "Intro",
    )
    b.loop_table(
        ["Date", "Accomplishments", "Barriers", "Progress"],
        [1.2, 1.9, 1.9, 1.9],
        "d in dit_updates",
        ["{{ d.date }}", "{{ d.accomplishments }}", "{{ d.barriers }}", "{{ d.progress }}"],
    )
    b.none_recorded("dit_updates", "No progress communication has been logged yet.")

    adherence_section(b, "Concept")
    return b.finish()


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "system.docx": build_system,
    "district.docx": build_district,
}


def main(out_dir: Path = TEMPLATES) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        doc = build()
        doc.core_properties.title = f"plangen template: {name}"
        doc.save(out_dir / name)
        print(f"wrote {out_dir / name}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES)
