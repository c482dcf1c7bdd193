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
    tick_mark,
    title_block,
    tracked_table,
)

from plangen.kinds.coaching_action_plan import COACHING_ACTION_PLAN, QUESTIONS
from plangen.kinds.coaching_system import ALL_ROLES, COACHING_SYSTEM, COMPONENTS, MAX_DCA_SCORE
from plangen.kinds.district import DISTRICT
from plangen.kinds.system import SYSTEM

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
        [tick_mark("f.selected"), "{{ f.area }}", "{{ f.codes }}"],
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
    b.para("{{ m.review }}", "Unnumbered Heading 2")  # under a Heading 1: no level skipped
    b.para("{{ m.covers }}")
    b.tag("{%p endfor %}")
    b.heading("Review log", 2)
    review_log(b, with_type=True)

    adherence_section(b, SYSTEM, "Level")
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

    adherence_section(b, DISTRICT, "Concept")
    return b.finish()


# ------------------------------------------------------------------ the coaching kinds

COACHING_SYSTEM_ABOUT = (
    "This document is the district's written process for making coaching equitable and "
    "of high quality in every school. It says what coaching is here, when it is given, "
    "how coaches are chosen, supervised and given time, what they may decide, and how "
    "each coach plans the coaching. It is shared with coaches and implementation teams "
    "so that everyone understands each coaching role the same way, and it guides the "
    "selection of coaches, every Coaching Service Delivery Plan and the collection of "
    "coaching effectiveness data."
)


def build_coaching_system() -> DocumentObject:
    b = Builder()
    title_block(
        b,
        "District Coaching System",
        [
            ("District", "{{ district }}"),
            ("Drafted by", "{{ drafted_by }}{% if drafted_on %}, {{ drafted_on }}{% endif %}"),
            (
                "Approved by",
                "{% if approved_by %}{{ approved_by }}{% else %}Not yet approved{% endif %}"
                "{% if approved_on %}, {{ approved_on }}{% endif %}",
            ),
            ("Review date", "{{ review_date }}"),
            ("Shared with coaches and teams", "{{ shared_with }}"),
            ("Development began", "{{ date_initiated }}"),
        ],
        notice=("not approved_on", "DRAFT: not yet approved by executive leadership"),
        glance=False,
    )

    b.heading("About this coaching system", numbered=False)
    b.para(COACHING_SYSTEM_ABOUT)
    b.para(
        "It has seven components: "
        + "; ".join(
            f"({n}) {c.lower()}" for n, c in enumerate(("Definition of coaching", *COMPONENTS), 1)
        ).replace("coaching service delivery plan", "the Coaching Service Delivery Plan (CSDP)")
        + "."
    )

    b.heading("Coaching Roles", numbered=False)
    b.para("Every coaching role in the district; the components below define each.", "Intro")
    b.loop_table(
        ["Role", "Coaching type", "Who is coached", "Purpose"],
        [1.7, 1.15, 1.55, BODY_WIDTH - 4.4],
        "r in roles",
        ["{{ r.role }}", "{{ r.type }}", "{{ r.coaches }}", "{{ r.purpose }}"],
    )

    b.heading("Definition of Coaching")
    b.para("{{ definition_of_coaching }}")
    for title, key in (
        ("Coaching and training", "vs_training"),
        ("Coaching and consultation", "vs_consultation"),
        ("Systems coaching", "systems_coaching"),
        ("Instructional coaching", "instructional_coaching"),
    ):
        b.heading(title, 2)
        b.para(f"{{{{ {key} }}}}")

    for name in COMPONENTS:
        b.heading(name)
        b.loop_table(
            ["Role", "What the district says"],
            [1.9, BODY_WIDTH - 1.9],
            f'c in components if c.component == "{name}"',
            [
                f'{{% if c.role == "{ALL_ROLES}" %}}Every coaching role'
                "{% else %}{{ c.role }}{% endif %}",
                "{{ c.text }}",
            ],
        )
        b.tag(f'{{%p for c in components if c.component == "{name}" %}}')
        b.tag("{%p else %}")
        b.para("Not written yet for any role.")
        b.tag("{%p endfor %}")

    b.heading("Related District Capacity Assessment Items", numbered=False)
    b.loop_table(
        ["Item", "What the item looks at", "Score", "How the coaching system addresses it"],
        [0.55, 2.1, 0.75, BODY_WIDTH - 3.4],
        "d in dca",
        [
            "{{ d.item }}",
            "{{ d.asks }}",
            f"{{% if d.score %}}{{{{ d.score }}}} of {MAX_DCA_SCORE}{{% endif %}}",
            "{{ d.addresses }}",
        ],
    )
    b.none_recorded("dca")

    adherence_section(
        b,
        COACHING_SYSTEM,
        "Role",
        item="step",
        name="Progress",
        blank_before=False,
        next_review="{{ review_date }}",
    )

    b.heading("Steps to Develop and Use the System", numbered=False)
    b.para(
        "The timeline for drafting, finalizing and using each part of the system, by "
        "role. A ticked box marks a step already completed.",
        "Intro",
    )
    tracked_table(
        b,
        "steps_groups",
        "step",
        "Step",
        [("Step type", "type", 1.2), ("Who leads it", "lead", 1.1)],
    )
    return b.finish()


ACTION_PLAN_ABOUT = (
    "This plan sets out how the leadership team will build coaching given by the "
    "district's own staff, so that what educators learn in training is practiced, with "
    "feedback, in their own classrooms. The team first answers five guiding questions, "
    "then chooses a coaching process and plans the action steps area by area, with the "
    "data that will show whether coaching works."
)


def build_coaching_action_plan() -> DocumentObject:
    b = Builder()
    title_block(
        b,
        "Plan for Internal Coaching",
        [
            ("District or building", "{{ district }}"),
            ("Scope", "{{ scope }}"),
            ("Leadership team", "{{ team }}"),
            ("Lead administrator", "{{ coordinator }}"),
            ("Plan period", "{{ date_initiated }} to {{ plan_end }}"),
            ("Figures as of", "{{ as_of }}"),
        ],
    )
    b.heading("About this plan", numbered=False)
    b.para(ACTION_PLAN_ABOUT)

    b.heading("Guiding Questions")
    for question, prompt in QUESTIONS:
        b.heading(question, 2, numbered=False)
        b.para(prompt, "Intro")
        b.tag(f'{{%p for a in answers if a.question == "{question}" and a.answer %}}')
        b.para("{{ a.answer }}", "List Bullet")
        b.tag("{%p else %}")
        b.para("Not answered yet.")
        b.tag("{%p endfor %}")

    b.heading("Coaching Process Chosen")
    b.loop_table(
        ["Process", "Where and for whom", "Why it fits"],
        [2.2, 2.1, BODY_WIDTH - 4.3],
        "c in process",
        ["{{ c.process }}", "{{ c.where }}", "{{ c.why }}"],
    )

    b.heading("Action Steps")
    b.para("What the team will do, by area. A ticked box marks a step already completed.", "Intro")
    tracked_table(b, "steps_groups", "step", "Action step", [("Who is responsible", "lead", 1.25)])

    b.heading("Collecting and Using Coaching Data")
    b.para("What the team looks at to know whether coaching works, and the latest result.", "Intro")
    b.loop_table(
        ["Question or measure", "How it is collected", "When", "Reviewed by", "Latest result"],
        [1.6, 1.55, 1.0, 1.1, BODY_WIDTH - 5.25],
        "d in data",
        [
            "{{ d.measure }}",
            "{{ d.how }}",
            "{{ d.when }}",
            "{{ d.reviewed_by }}",
            [
                ("{{ d.result }}", "Table Text"),
                ("{%p if d.result_date %}", "Table Text"),
                ("{{ d.result_date }}", "Table Note"),
                ("{%p endif %}", "Table Text"),
            ],
        ],
    )
    b.none_recorded("data", "No coaching data are planned yet.")

    b.heading("Reviews")
    review_log(b, with_type=True)
    adherence_section(b, COACHING_ACTION_PLAN, "Area", item="action step", name="Progress")
    return b.finish()


BUILDERS: dict[str, Callable[[], DocumentObject]] = {
    "system.docx": build_system,
    "district.docx": build_district,
    "coaching-system.docx": build_coaching_system,
    "coaching-action-plan.docx": build_coaching_action_plan,
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
