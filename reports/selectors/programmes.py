"""The programme records in the report: folding their rows over the tree, and the labels of their figures.

The figures are counted in ``programmes.selectors``; here they are only added up by unit and labelled. Each
breakdown (a kind of group, a source of credit, a kind of award) gets a line only where it has a value now or
in the span before, so a report does not list twenty lines of zeros.
"""

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from branches.constants import Level
from common import text
from programmes import selectors as programmes
from programmes.constants import AwardKind, CreditSource, Direction, GroupKind, Recipient, TaskKind

# Counted also by the level of the unit that did the work ("02 cấp tỉnh, 38 cấp huyện, 705 cấp cơ sở").
BY_LEVEL = ("tasks.", "contests.n")
LEVELS = (Level.CENTRAL, Level.PROVINCE, Level.DISTRICT, Level.COMMUNE, Level.BRANCH)


def campaign_key(name: str) -> str:
    """The figure of one charity campaign, the same however its name was typed."""
    return f"charity.campaign:{slugify(text.fold(name))}"


def fold(tree, span, acc, tables: dict | None = None, names: dict | None = None) -> None:
    """Add the programme rows of ``tree``'s units to ``acc``, grouped as ``acc`` asks (``acc.grouping``);
    ``names`` collects the campaigns' names by key."""
    found = programmes.figures(acc.grouping(tree), span.start, span.end)
    for by, key, value in found.rows:
        acc.add(by, key, value)
        if key.startswith(BY_LEVEL) and not key.endswith(".value"):
            acc.add(by, f"{key}:{acc.level_of(by)}", value)
    for by, name, value, _gifts, _people in found.campaigns:
        key = campaign_key(name)
        acc.add(by, key, value)
        if names is not None:
            names.setdefault(key, name.strip())
    if tables is not None:
        tables["campaigns"] = programmes.campaign_totals(found.campaigns)


def present(keys, values, previous):
    return [(key, label) for key, label in keys if values.get(key) or previous.get(key)]


def level_words() -> dict[str, str]:
    """A level as a phrase names it ("cấp tỉnh", "cấp cơ sở")."""
    return {
        Level.CENTRAL: pgettext("level in a phrase", "central"),
        Level.PROVINCE: pgettext("level in a phrase", "province"),
        Level.DISTRICT: pgettext("level in a phrase", "district"),
        Level.COMMUNE: pgettext("level in a phrase", "commune"),
        Level.BRANCH: pgettext("level in a phrase", "branch"),
    }


def by_level(key, values, previous):
    words = level_words()
    return present(
        [(f"{key}:{level.value}", _("– at %(level)s level") % {"level": words[level]}) for level in LEVELS],
        values,
        previous,
    )


def labels(values: dict, previous: dict, campaigns: dict | None = None) -> dict[str, list[tuple[str, str]]]:
    """The programme sections' figures in the order the report prints them."""
    tasks = []
    for kind in TaskKind:
        tasks += [
            (f"tasks.{kind.value}.registered", _("%(kind)s registered") % {"kind": kind.label}),
            *by_level(f"tasks.{kind.value}.registered", values, previous),
            (f"tasks.{kind.value}.completed", _("%(kind)s completed") % {"kind": kind.label}),
            *by_level(f"tasks.{kind.value}.completed", values, previous),
        ]
        tasks += present([(f"tasks.{kind.value}.value", _("– their value"))], values, previous)
    emulation = [
        *tasks,
        ("contests.n", _("Contests held")),
        *by_level("contests.n", values, previous),
        ("contests.participants", _("Contest participants")),
        ("contests.entries", _("Contest entries and ideas")),
    ]
    groups = [
        ("groups.n", _("Groups, clubs and models at the end of the period")),
        ("groups.new", _("– founded in the period")),
        ("groups.members", _("– their members")),
    ]
    for kind in GroupKind:
        groups += present(
            [
                (f"groups.{kind.value}.n", kind.label),
                (f"groups.{kind.value}.new", _("– %(kind)s founded in the period") % {"kind": kind.label.lower()}),
                (f"groups.{kind.value}.members", _("– members of %(kind)s") % {"kind": kind.label.lower()}),
            ],
            values,
            previous,
        )
    credit = [
        ("credit.outstanding", _("Loans outstanding through the Union")),
        ("credit.borrowers", _("Borrowers with a balance")),
        ("credit.households", _("Households with a balance")),
        ("credit.groups", _("Savings and loan groups")),
        ("credit.savings", _("Savings of the groups")),
        ("credit.disbursed", _("New loans in the period")),
        ("credit.new_borrowers", _("New borrowers in the period")),
    ]
    for source in CreditSource:
        credit += present(
            [
                (f"credit.{source.value}.outstanding", _("%(source)s: outstanding") % {"source": source.label}),
                (f"credit.{source.value}.households", _("%(source)s: households") % {"source": source.label}),
                (f"credit.{source.value}.disbursed", _("%(source)s: new loans") % {"source": source.label}),
                (f"credit.{source.value}.new_borrowers", _("%(source)s: new borrowers") % {"source": source.label}),
            ],
            values,
            previous,
        )
    charity = [
        ("charity.value", _("Charity raised and given")),
        ("charity.gifts", _("Gift packages")),
        ("charity.beneficiaries", _("People helped")),
        *sorted(
            ((key, _("– campaign “%(name)s”") % {"name": name}) for key, name in (campaigns or {}).items()),
            key=lambda line: line[1],
        ),
        ("houses.n", _("Houses built or repaired")),
        ("houses.built", _("– built")),
        ("houses.repaired", _("– repaired")),
        ("houses.value", _("– their value")),
        ("houses.beneficiaries", _("– people living in them")),
        ("children.sponsored", _("Children sponsored at the end of the period")),
        ("children.new", _("– sponsored in the period")),
    ]
    awards = []
    for direction in Direction:
        total = _("Awards received") if direction == Direction.RECEIVED else _("Awards given")
        awards.append((f"awards.{direction.value}", total))
        for kind in AwardKind:
            for recipient in Recipient:
                awards += present(
                    [
                        (
                            f"awards.{direction.value}.{kind.value}.{recipient.value}",
                            f"– {kind.label}: {recipient.label.lower()}",
                        )
                    ],
                    values,
                    previous,
                )
    return {"emulation": emulation, "groups": groups, "credit": credit, "charity": charity, "awards": awards}


SECTION_TITLES = {
    "emulation": lambda: _("Emulation movements, key tasks and contests"),
    "groups": lambda: _("Groups, clubs, models and cooperatives"),
    "credit": lambda: _("Credit, savings and the economy"),
    "charity": lambda: _("Charity and social work"),
    "awards": lambda: _("Awards"),
}
