"""GraphQL enums with a description for the type and for every value (what a
generated client shows in its documentation), instead of graphene's
"An enumeration."."""

from enum import Enum as PyEnum

import graphene


def described_enum(name, description, values):
    """A graphene Enum named `name`. `values` maps each GraphQL value name to
    (internal value, description); resolvers return and receive the internal
    value (e.g. the model's choice value "harian")."""
    python_enum = PyEnum(name, [(key, internal) for key, (internal, _doc) in values.items()])
    docs = dict(values.values())

    def describe(member):
        return description if member is None else docs[member.value]

    return graphene.Enum.from_enum(python_enum, name=name, description=describe)


def choices_enum(name, description, choices, docs=None):
    """A described enum over a model's TextChoices: every choice is a value
    (a choice added to the model appears in the API with its label as
    description); `docs` gives better descriptions by value name."""
    docs = docs or {}
    return described_enum(
        name,
        description,
        {
            member.name: (member.value, docs.get(member.name) or str(member.label))
            for member in choices
        },
    )


def choice_value(value):
    """The internal value of an enum argument (graphene passes the member)."""
    return getattr(value, "value", value)
