"""The one place the GraphQL schema is composed from each domain's schema
module (and, with the plugin platform, from enabled plugins)."""

import graphene

from cms.accounts import schema as accounts
from cms.facilities import schema as facilities
from cms.news import schema as news
from cms.reports import schema as reports


class Query(accounts.Query, reports.Query, news.Query, facilities.Query, graphene.ObjectType):
    pass


class Mutation(accounts.Mutation, reports.Mutation, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
