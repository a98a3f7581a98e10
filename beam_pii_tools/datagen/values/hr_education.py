"""Education: a person's schools and degrees, their skills, languages and certifications,
their course grades and averages; each with the look-alikes users see flagged (a
university's own history, course catalogues, degree and skill requirements of adverts,
syllabi and skills taxonomies, grading scales and class averages).

A person's education is drawn once per record and matches their age and country: a
bachelor's at 18-22 at one of their country's universities, sometimes a master's after it,
a school-leaving qualification before; each call of `education_entry` gives the next entry
back in time, as CVs list them. Grades follow the country's scale.
"""
from __future__ import annotations

from typing import Any

from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.digital_usage import fill
from beam_pii_tools.datagen.values.hr_career import distinct_pick, record_book
from beam_pii_tools.datagen.values.people import AGE_REFERENCE
from beam_pii_tools.datagen.values.registry import Value, generator

EDUCATION = "Education History"
SKILLS = "Skills"
ACADEMIC = "Academic Record"

_DEGREE_SYSTEMS = {"US": "us", "CA": "us", "UK": "uk", "IE": "uk", "AU": "uk", "DE": "de", "FR": "fr"}
_LONG_DEGREES = {"Bachelor", "Master", "Licence", "Mastère", "Diplôme"}
_GRADE_SYSTEMS = {"US": "us", "CA": "us", "IN": "us", "UK": "uk", "IE": "uk", "AU": "uk", "DE": "de", "FR": "fr"}


# -- education history -------------------------------------------------------------------------
# Subjects that universities did not teach before a year.
_SUBJECT_SINCE = {"Data Science": 2012, "Computer Science": 1972, "Biomedical Science": 1980}
_ALONE = {"MBA", "JD"}  # degrees written without their subject


def subjects() -> list[str]:
    return [name for name, _ in pool("hr_education.subjects")]


def _subject(ctx: ValueContext, year: int, kind: str = "") -> tuple[str, str]:
    """A subject taught in `year` (of `kind` when given): (name, kind)."""
    return tuple(ctx.pick([(n, k) for n, k in pool("hr_education.subjects")
                           if _SUBJECT_SINCE.get(n, 0) <= year and (not kind or k == kind)]))


def _degree(title: str, subject: str) -> str:
    if title in _ALONE or subject in title:  # MBA; Bachelor of Business Administration
        return title
    joiner = " in " if title.split()[0] in _LONG_DEGREES else " "
    return f"{title}{joiner}{subject}"


def _education(ctx: ValueContext) -> list[dict[str, Any]]:
    """The person's education, most recent first (drawn once per person and record)."""
    book = record_book(ctx, "education")
    if ctx.key in book:
        return book[ctx.key]
    p = ctx.person()
    unis = pool("hr_education.universities").get(p.country) or pool("hr_education.universities.UK")
    start = p.birth.year + 18 + ctx.pick([0, 0, 0, 1, 2])
    subject, kind = _subject(ctx, start)
    bachelor, master = pool("hr_education.degrees")[_DEGREE_SYSTEMS.get(p.country, "other")][kind]
    entries: list[dict[str, Any]] = []
    if p.age >= 19:
        end = start + ctx.pick([3, 3, 4])
        entries.append({"level": "bachelor", "degree": _degree(bachelor, subject), "subject": subject,
                        "school": ctx.pick(unis), "start": start, "end": end, "kind": kind})
        if ctx.chance(0.35) and end + 2 <= AGE_REFERENCE.year + 1:
            m_start = end + ctx.pick([0, 0, 1, 3])
            m_subject = ctx.pick([subject, _subject(ctx, m_start, kind)[0]])
            entries.insert(0, {"level": "master", "degree": _degree(master, m_subject), "subject": m_subject,
                               "school": ctx.pick(unis), "start": m_start, "end": m_start + ctx.pick([1, 2]), "kind": kind})
    entries.append({"level": "school", "degree": ctx.pick(pool("hr_education.school_quals")), "subject": "",
                    "school": ctx.pick(pool("hr_education.schools")), "start": start - 2, "end": start})
    book[ctx.key] = entries
    return entries


def _years(entry: dict[str, Any]) -> str:
    end = entry["end"]
    return f"{entry['start']}–{end}" if end <= AGE_REFERENCE.year else f"{entry['start']}–present (expected {end})"


@generator("education_entry", EDUCATION, True)
def education_entry(ctx: ValueContext, form: str = "") -> Value:
    """The person's next degree or school back in time (the first call of a record is the
    latest): form full (BSc (Hons) Computer Science, University of Leeds, 2012–2015; the
    default), degree (BSc (Hons) Computer Science) or school (University of Leeds,
    2012–2015); parts `degree`, `subject`, `school`, `years`, `start`, `end` and `level`."""
    entries = _education(ctx)
    used = record_book(ctx, "education_used")
    i = used.get(ctx.key, 0)
    used[ctx.key] = i + 1
    e = entries[min(i, len(entries) - 1)]
    degree = e["degree"]
    years = _years(e)
    parts = {"degree": degree, "subject": e["subject"], "school": e["school"], "years": years,
             "start": str(e["start"]), "end": str(e["end"]), "level": e["level"]}
    if form == "degree":
        return Value(degree, parts)
    if form == "school":
        return Value(f"{e['school']}, {years}", parts)
    return Value(ctx.pick([f"{degree}, {e['school']}, {years}", f"{e['school']} — {degree} ({years})",
                           f"{degree} ({e['school']}, {years})"]), parts)


@generator("university_profile", EDUCATION, False)
def university_profile(ctx: ValueContext) -> str:
    """A university's own history or ranking: about the institution, no student."""
    uni = ctx.pick(ctx.pick(list(pool("hr_education.universities").values())))
    return fill(ctx.pick(pool("hr_education.university_profiles")),
                {"year": lambda: ctx.ri(1450, 2005), "n": lambda: f"{ctx.ri(4, 60) * 1000:,}", "m": lambda: ctx.ri(3, 200),
                 "uni": lambda: uni, "subject": lambda: ctx.pick(subjects())})


@generator("degree_requirement", EDUCATION, False)
def degree_requirement(ctx: ValueContext) -> str:
    """The degree a job advert asks for: no applicant's education."""
    return fill(ctx.pick(pool("hr_education.degree_requirements")),
                {"subject": lambda: ctx.pick(subjects())})


@generator("course_catalogue", EDUCATION, False, also={ACADEMIC: ""})
def course_catalogue(ctx: ValueContext) -> str:
    """A course catalogue's entry (code, title, credits, prerequisite): nobody's enrolment
    or grade."""
    code, title, credits, _ = distinct_pick(ctx, "hr_education.courses")
    return ctx.pick([f"{code} {title} ({credits} credits)", f"{code} — {title}, {credits} cr, offered {ctx.pick(['Fall', 'Spring'])}",
                     f"{title} ({code}, {credits} credits; prerequisite: CS 101)"])


# -- skills ------------------------------------------------------------------------------------
def _skill(ctx: ValueContext, kind: str) -> str:
    if kind == "language":
        return f"{ctx.pick(pool('hr_education.languages'))} ({ctx.pick(pool('hr_education.language_levels'))})"
    if kind == "cert":
        return ctx.pick(pool("hr_education.certifications"))
    if kind == "soft":
        return ctx.pick(pool("hr_education.skills_soft"))
    return ctx.pick(pool("hr_education.skills_technical"))


@generator("skills_list", SKILLS, True)
def skills_list(ctx: ValueContext, n: str = "", kind: str = "", sep: str = "") -> str:
    """Skills, languages or certifications of the person: n of them (default 3-6), kind
    technical, soft, language, cert or mixed (the default), joined by sep (default ', ')."""
    k = int(n) if n else ctx.ri(3, 6)
    kinds = [kind] * k if kind else [ctx.pick(["technical", "technical", "technical", "soft", "language", "cert"]) for _ in range(k)]
    out: list[str] = []
    for kd in kinds:
        for _ in range(6):
            s = _skill(ctx, kd)
            if s not in out and s.split(" (")[0] not in {x.split(" (")[0] for x in out}:
                out.append(s)
                break
    return (sep or ", ").join(out)


@generator("skill_level", SKILLS, True)
def skill_level(ctx: ValueContext) -> Value:
    """One skill of the person (Python), never one already drawn for them in the record;
    parts `skill`, `level` (advanced), `years` and `type` (hard_skill or soft_skill)."""
    used = record_book(ctx, "skills_used").setdefault(ctx.key, set())
    skill = _skill(ctx, ctx.pick(["technical", "technical", "soft"]))
    for _ in range(8):
        if skill not in used:
            break
        skill = _skill(ctx, "technical")
    used.add(skill)
    level = ctx.pick(pool("hr_education.skill_levels"))
    kind = "soft_skill" if skill in pool("hr_education.skills_soft") else "hard_skill"
    return Value(skill, {"skill": skill, "level": level, "years": ctx.ri(1, 12), "type": kind})


@generator("required_skills", SKILLS, False)
def required_skills(ctx: ValueContext) -> str:
    """The skills a job advert asks for: nobody's skills."""
    chosen = ctx.rng.sample(pool("hr_education.skills_technical"), 5)
    must = ", ".join(chosen[:3])
    nice = ", ".join([chosen[3], ctx.pick([chosen[4]] + pool("hr_education.certifications"))])
    return ctx.pick([f"Must have: {must}. Nice to have: {nice}.", f"Required skills: {must}; {ctx.pick(pool('hr_education.skills_soft'))}",
                     f"You'll need {must} and ideally {nice}."])


@generator("syllabus_outcome", SKILLS, False)
def syllabus_outcome(ctx: ValueContext) -> str:
    """A course syllabus's learning outcome or assessment rule."""
    return distinct_pick(ctx, "hr_education.syllabus_outcomes")


@generator("skill_taxonomy", SKILLS, False)
def skill_taxonomy(ctx: ValueContext) -> str:
    """An entry of a skills taxonomy or competency framework (ESCO, O*NET, SFIA)."""
    return distinct_pick(ctx, "hr_education.skill_taxonomy")


# -- academic records --------------------------------------------------------------------------
def _grade_system(ctx: ValueContext) -> str:
    return _GRADE_SYSTEMS.get(ctx.person().country, "us")


@generator("course_grade", ACADEMIC, True)
def course_grade(ctx: ValueContext, form: str = "") -> Value:
    """The person's grade in one course, on their country's scale: form line (MATH 201
    Linear Algebra — A- (3 cr), the default) or grade (the grade alone); parts `code`,
    `title`, `credits`, `grade` and `points`. A student's courses in a record differ and
    belong to the subject of their degree when the record shows it."""
    taken = record_book(ctx, "courses_taken").setdefault(ctx.key, set())
    studied = record_book(ctx, "education").get(ctx.key)
    kind = next((e["kind"] for e in studied if e.get("kind")), "") if studied else ""
    courses = [c for c in pool("hr_education.courses") if c[0] not in taken and (not kind or c[3] in (kind, "any"))]
    code, title, credits, _ = ctx.pick(courses or pool("hr_education.courses"))
    taken.add(code)
    grade, points = ctx.pick(pool(f"hr_education.grades.{_grade_system(ctx)}"))
    parts = {"code": code, "title": title, "credits": int(credits), "grade": str(grade), "points": points}
    if form == "grade":
        return Value(str(grade), parts)
    layouts = record_book(ctx, "grade_layout")  # one transcript, one layout
    layout = layouts.setdefault(ctx.key, ctx.ri(0, 2))
    return Value([f"{code} {title} — {grade} ({credits} cr)", f"{code}  {title}  {credits}  {grade}",
                  f"{title} ({code}): {grade}"][layout], parts)


@generator("gpa", ACADEMIC, True)
def gpa(ctx: ValueContext, form: str = "") -> str | float:
    """The person's overall result on their country's scale: form phrase (cumulative GPA
    3.62 / 4.0, the default) or number."""
    system = _grade_system(ctx)
    if ctx.person().country == "IN":
        value, text = round(ctx.rng.uniform(5.5, 9.6), 2), "CGPA {v} / 10"
    elif system == "uk":
        value, text = round(ctx.rng.uniform(45, 79), 1), "overall average {v}%"
    elif system == "de":
        value, text = round(ctx.rng.uniform(1.0, 3.6), 1), "Gesamtnote {v}"
    elif system == "fr":
        value, text = round(ctx.rng.uniform(10, 17), 2), "moyenne générale {v}/20"
    else:
        value, text = round(ctx.rng.uniform(2.3, 4.0), 2), "cumulative GPA {v} / 4.0"
    if form == "number":
        return value
    shown = str(value).replace(".", ",") if system in ("de", "fr") else str(value)
    return text.format(v=shown)


@generator("grading_scale", ACADEMIC, False)
def grading_scale(ctx: ValueContext) -> str:
    """A grading scale or how averages are computed: no student's grade."""
    return distinct_pick(ctx, "hr_education.grading_scales")


@generator("class_average", ACADEMIC, False)
def class_average(ctx: ValueContext) -> str:
    """A course's results over the whole class (average, median, pass rate)."""
    code, title, _, _ = distinct_pick(ctx, "hr_education.courses")
    return ctx.pick([f"{code} {title}: class average {ctx.ri(550, 820) / 10}% (n={ctx.ri(20, 400)})",
                     f"{code}: median grade {ctx.pick(['B', 'B+', 'B-', 'C+'])}, pass rate {ctx.ri(60, 98)}%",
                     f"{title} — {ctx.ri(5, 30)}% of students scored A or above this term"])
