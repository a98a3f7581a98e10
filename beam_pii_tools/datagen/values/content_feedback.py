"""User content: ratings, reviews, satisfaction scores and support conversations.

These types are what a person wrote or scored, so they are phrases and small numbers, not
shapes: "★★☆☆☆" or "Took four calls to get a refund." is a person's data only when the record
ties it to a reviewer, respondent or customer (their name, account, e-mail or handle), which
the template does. The look-alikes users see flagged are the same kinds of text with no one
behind them: averages and counts, marketing testimonials, editorial verdicts, rating scales,
survey questions, support macros, help-centre articles and queue statistics.

One person's stars, score and words agree within a record: the first of them draws the
person's sentiment (`stars`), and a review, a rating and an NPS comment of the same person
follow it, so a one-star review never reads like praise.
"""
from __future__ import annotations

from typing import Callable

from beam_pii_tools.datagen.values.content_common import fresh_pick, remember
from beam_pii_tools.datagen.values.context import ValueContext
from beam_pii_tools.datagen.values.data import pool
from beam_pii_tools.datagen.values.dates import fmt_date, recent_date
from beam_pii_tools.datagen.values.digital_usage import count, fill
from beam_pii_tools.datagen.values.registry import Value, generator

RATING = "User Ratings"
REVIEW = "User Reviews"
SCORE = "Customer Satisfaction Score"
SUPPORT = "Customer Support Interactions"

# Online ratings are J-shaped: mostly fives, a fair share of ones, few in between.
_STAR_WEIGHTS = (15, 8, 12, 25, 40)
_NPS_BY_STARS = {1: (0, 3), 2: (4, 6), 3: (7, 8), 4: (8, 9), 5: (9, 10)}


def stars(ctx: ValueContext) -> int:
    """The sentiment (1-5 stars) of the call's person, drawn once per record and person."""
    return remember(ctx, "stars", lambda: ctx.rng.choices(range(1, 6), _STAR_WEIGHTS)[0])


def sentiment(n_stars: int) -> str:
    return "neg" if n_stars <= 2 else "mixed" if n_stars == 3 else "pos"


def _values(ctx: ValueContext) -> dict[str, Callable[[], object]]:
    """Fillers for the pools' placeholders: order numbers, amounts, days, products."""
    cur = ctx.pick(["£", "€", "$"])
    return {"order": lambda: f"#{ctx.digits(ctx.ri(6, 9), True)}",
            "amount": lambda: f"{cur}{ctx.ri(8, 480)}.{ctx.ri(0, 99):02d}",
            "day": lambda: fmt_date(recent_date(ctx), ctx.pick([3, 4])),
            "version": lambda: f"{ctx.ri(3, 9)}.{ctx.ri(0, 30)}.{ctx.ri(0, 9)}",
            "product": lambda: ctx.pick(pool("content_feedback.products")),
            "score": lambda: ctx.ri(6, 9), "score2": lambda: ctx.ri(5, 9),
            "company": lambda: ctx.company().short}


# -- ratings -----------------------------------------------------------------------------------
@generator("user_rating", RATING, True)
def user_rating(ctx: ValueContext, form: str = "") -> str | int:
    """The stars the person gave (a product, app, driver, host or seller): form stars (★★★★☆),
    fraction (4/5), words (4 stars), number (a JSON number) or thumbs; default any but number."""
    n = stars(ctx)
    form = form or ctx.pick(["stars", "fraction", "words", "stars"])
    if form == "number":
        return n
    if form == "thumbs":
        return "👍 thumbs up" if n >= 4 else "👎 thumbs down" if n <= 2 else "no thumbs (neutral)"
    return {"stars": "★" * n + "☆" * (5 - n), "fraction": f"{n}/5",
            "words": f"{n} star{'s' if n > 1 else ''}"}[form]


@generator("avg_rating", RATING, False)
def avg_rating(ctx: ValueContext, form: str = "") -> str | float:
    """A product's, app's or seller's aggregate score over everyone who rated it: form text
    (4.6 out of 5 from 2,318 ratings, the default) or number (a JSON number)."""
    avg = round(ctx.rng.uniform(3.1, 4.9), 1)
    if form == "number":
        return avg
    five = min(88, max(20, round((avg - 2.6) * 30) + ctx.ri(-5, 5)))
    return ctx.pick([f"{avg} out of 5 from {count(ctx, 40, 90000)} ratings", f"★ {avg} · {count(ctx, 200, 50000)} reviews",
                     f"average rating {avg} across {count(ctx, 80, 12000)} verified buyers",
                     f"{avg}/5 ({five}% five-star, {max(2, round((5 - avg) * 6) + ctx.ri(-2, 2))}% one-star)"])


@generator("rating_scale", RATING, False)
def rating_scale(ctx: ValueContext) -> str:
    """A rating scale as a form or survey tool defines it (1 = Very poor … 5 = Excellent)."""
    return ctx.pick(pool("content_feedback.rating_scales"))


@generator("vendor_rating", RATING, False)
def vendor_rating(ctx: ValueContext) -> str:
    """A rating the role's organisation gives a supplier or partner firm on a scorecard (a
    business's rating of a business, not a person's)."""
    a, b = ctx.rng.sample(pool("content_feedback.vendor_criteria"), 2)
    return f"{ctx.company().name} — {a} {ctx.ri(1, 5)}/5, {b} {ctx.ri(1, 5)}/5 (Q{ctx.ri(1, 4)} supplier scorecard)"


# -- reviews -----------------------------------------------------------------------------------
@generator("review_text", REVIEW, True)
def review_text(ctx: ValueContext, kind: str = "", form: str = "") -> Value:
    """A review the person wrote, matching their stars: kind app, product or place (a
    restaurant or hotel; default any); form body (the default) or full (title — body); part
    `title`."""
    table = pool("content_feedback.reviews")
    kind = kind or ctx.pick(list(table))
    title, body = fresh_pick(ctx, table[kind][sentiment(stars(ctx))], f"review:{kind}")
    return Value(f"{title} — {body}" if form == "full" else body, {"title": title})


@generator("testimonial", REVIEW, False)
def testimonial(ctx: ValueContext) -> str:
    """A marketing testimonial with no real author (“…” — Happy customer)."""
    return ctx.pick(pool("content_feedback.testimonials"))


@generator("editorial_review", REVIEW, False)
def editorial_review(ctx: ValueContext) -> str:
    """A publication's or lab's verdict on a product: an editorial review, not a customer's."""
    return fill(ctx.pick(pool("content_feedback.editorial")), _values(ctx))


@generator("review_stat", REVIEW, False)
def review_stat(ctx: ValueContext) -> str:
    """Reviews counted over everyone: counts, shares, themes."""
    return ctx.pick([f"{count(ctx, 40, 40000)} reviews · {ctx.ri(70, 97)}% would recommend",
                     f"{count(ctx, 20, 9000)} new reviews this month ({ctx.ri(2, 30)}% mention delivery)",
                     f"top review themes: {ctx.pick(['fit', 'battery', 'delivery', 'price'])} ({ctx.ri(10, 40)}%), "
                     f"{ctx.pick(['quality', 'support', 'comfort'])} ({ctx.ri(5, 25)}%)"])


@generator("review_prompt", REVIEW, False)
def review_prompt(ctx: ValueContext) -> str:
    """A request to leave a review or rating, sent to every customer alike."""
    return fill(ctx.pick(pool("content_feedback.review_prompts")), _values(ctx))


# -- NPS and CSAT ------------------------------------------------------------------------------
@generator("nps_score", SCORE, True)
def nps_score(ctx: ValueContext, form: str = "") -> Value | int:
    """The score one respondent gave in an NPS (0-10) or CSAT (1-5) survey, matching their
    sentiment: form nps (9, the default), csat (4/5), number (an NPS as a JSON number),
    csat_number or phrase (scored 9 (promoter)); parts `score` and `group`."""
    n = stars(ctx)
    nps = ctx.ri(*_NPS_BY_STARS[n])
    group = "promoter" if nps >= 9 else "passive" if nps >= 7 else "detractor"
    if form == "number":
        return nps
    if form == "csat_number":
        return n
    text = {"csat": f"{n}/5", "phrase": f"scored {nps} ({group})"}.get(form, str(nps))
    return Value(text, {"score": n if form == "csat" else nps, "group": group})


@generator("feedback_comment")
def feedback_comment(ctx: ValueContext) -> str:
    """A respondent's comment that matches their score (not labelled on its own: the score
    and the respondent make it theirs)."""
    return fresh_pick(ctx, pool("content_feedback.comments")[sentiment(stars(ctx))], "comment")


@generator("nps_stat", SCORE, False)
def nps_stat(ctx: ValueContext) -> str:
    """A company's overall NPS or CSAT, or its distribution: no one respondent's score."""
    pro, det = ctx.ri(35, 70), ctx.ri(5, 25)
    return ctx.pick([f"NPS {pro - det:+d} (promoters {pro}%, passives {100 - pro - det}%, detractors {det}%; n={count(ctx, 300, 20000)})",
                     f"CSAT {ctx.ri(78, 96)}% satisfied this quarter ({ctx.ri(-4, 6):+d} pts vs last quarter)",
                     f"average CSAT {ctx.ri(36, 48) / 10}/5 across {count(ctx, 500, 40000)} surveys",
                     f"NPS by region: EMEA {ctx.ri(10, 60):+d}, NA {ctx.ri(10, 60):+d}, APAC {ctx.ri(10, 60):+d}"])


@generator("survey_question", SCORE, False)
def survey_question(ctx: ValueContext, form: str = "") -> str:
    """The survey question itself, as every respondent sees it: form nps (0-10) or csat (1-5);
    default either."""
    c = ctx.company().short
    nps = [f"How likely are you to recommend {c} to a friend or colleague? (0 = not at all likely, 10 = extremely likely)",
           f"On a scale of 0 to 10, how likely is it that you would recommend {c}?"]
    csat = ["How satisfied were you with your support experience today? (1-5)",
            f"Overall, how satisfied are you with {c}? Very dissatisfied / Dissatisfied / Neutral / Satisfied / Very satisfied",
            f"How easy was it to get your issue resolved with {c}? (1 = very difficult, 5 = very easy)"]
    return ctx.pick({"nps": nps, "csat": csat}.get(form) or nps + csat)


# -- customer support --------------------------------------------------------------------------
@generator("support_exchange", SUPPORT, True)
def support_exchange(ctx: ValueContext, form: str = "") -> Value:
    """One customer's support conversation: form chat (their message and the agent's reply,
    the default), issue (their message alone) or note (the agent's summary); parts `issue`,
    `reply` and `topic`."""
    topic, issue, reply, note = fresh_pick(ctx, pool("content_feedback.support"), "support")
    values = _values(ctx)
    fixed = {k: str(v()) for k, v in values.items()}  # one order, amount and day per exchange
    issue, reply, note = (fill(s, {k: (lambda v=v: v) for k, v in fixed.items()}) for s in (issue, reply, note))
    text = {"issue": issue, "note": note}.get(form, f"Customer: {issue}\nAgent: {reply}")
    return Value(text, {"issue": issue, "reply": reply, "topic": topic})


@generator("canned_reply", SUPPORT, False)
def canned_reply(ctx: ValueContext) -> str:
    """A support macro or auto-reply with its merge tags unfilled: the same text for everyone."""
    return ctx.pick(pool("content_feedback.canned_replies"))


@generator("help_article", SUPPORT, False)
def help_article(ctx: ValueContext, form: str = "") -> Value:
    """A help-centre article: form excerpt (the default) or title; part `title`."""
    title, excerpt = ctx.pick(pool("content_feedback.help_articles"))
    return Value(title if form == "title" else excerpt, {"title": title})


@generator("queue_stat", SUPPORT, False, also={SCORE: ""})
def queue_stat(ctx: ValueContext) -> str:
    """A support queue's figures over all its tickets (open tickets, reply times, CSAT %): the
    team's statistics, no customer's conversation or score."""
    q = ctx.pick(pool("content_feedback.queues"))
    return ctx.pick([f"{q} queue: {ctx.ri(3, 240)} open, median first reply {ctx.ri(0, 9)}h {ctx.ri(0, 59):02d}m, CSAT {ctx.ri(70, 97)}%",
                     f"{q}: {count(ctx, 100, 9000)} tickets solved last week, {ctx.ri(2, 30)}% reopened",
                     f"{q} backlog {ctx.ri(10, 900)} tickets, SLA breaches {ctx.ri(0, 40)} ({ctx.ri(0, 9)}.{ctx.ri(0, 9)}%)"])
