"""The one place the GraphQL schema is composed: each domain's schema module
plus what installed plugins contribute (cms.platform.plugins)."""

import graphene

from cms.accounts import schema as accounts
from cms.compliance import schema as compliance
from cms.facilities import schema as facilities
from cms.followup import schema as followup
from cms.news import schema as news
from cms.notifications import schema as notifications
from cms.platform.plugins import graphql_contributions
from cms.recaps import schema as recaps
from cms.reports import schema as reports

CORE_QUERIES = (
    accounts.Query, reports.Query, notifications.Query, news.Query, facilities.Query,
    followup.Query, compliance.Query, recaps.Query,
)
CORE_MUTATIONS = (
    accounts.Mutation, reports.Mutation, notifications.Mutation, followup.Mutation,
    compliance.Mutation,
)

# The rules every argument follows (cms.platform.api.inputs), stated where a generated
# client's documentation shows them.
RULES = (
    "Arguments: null for an argument with a default means that default; a date-time "
    "without a UTC offset is WITA (+08:00); text with NUL or unpaired surrogate characters, "
    "or longer than 20,000 characters, is refused (extensions.code INVALID). Lists page "
    "with `first`/`after` (cursor paging), newest first."
)


def build_schema(include=None):
    """The schema with the contributions of the plugins `include` accepts
    (all installed plugins by default); returns (schema, plugin field owners)."""
    queries, mutations, owners = graphql_contributions(include)
    query = type(
        "Query",
        (*CORE_QUERIES, *queries, graphene.ObjectType),
        {"Meta": type("Meta", (), {"description": "What a client may read. " + RULES})},
    )
    mutation = type(
        "Mutation",
        (*CORE_MUTATIONS, *mutations, graphene.ObjectType),
        {
            "Meta": type(
                "Meta",
                (),
                {
                    "description": "What a client may change. Refusals come in each "
                    "payload's `errors` and nothing is written. " + RULES
                },
            )
        },
    )
    return graphene.Schema(query=query, mutation=mutation), owners


schema, PLUGIN_FIELDS = build_schema()
