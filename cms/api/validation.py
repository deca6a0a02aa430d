"""Limits on what one request may ask for. These rules are added *to*
graphql-core's specified_rules: a rules list given to validate() replaces
the standard ones, which would switch off ordinary validation."""

from django.conf import settings
from django.utils.translation import gettext as _
from graphene.validation import depth_limit_validator
from graphql import GraphQLError, ValidationRule, specified_rules
from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode
from graphql.validation import NoSchemaIntrospectionCustomRule


class AliasLimitRule(ValidationRule):
    """Aliases let one request repeat an expensive field many times."""

    def __init__(self, context):
        super().__init__(context)
        self.count = 0

    def enter_field(self, node, *args):
        if node.alias is not None:
            self.count += 1
            limit = settings.SIKANDA_API["MAX_ALIASES"]
            if self.count == limit + 1:
                self.report_error(
                    GraphQLError(
                        _("Terlalu banyak alias dalam satu permintaan (batas %(limit)d).")
                        % {"limit": limit},
                        node,
                        extensions={"code": "ALIAS_LIMIT"},
                    )
                )


class FieldCostRule(ValidationRule):
    """Counts every field the operation would resolve, fragments expanded;
    a cheap, predictable stand-in for query cost."""

    def enter_operation_definition(self, node, *args):
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if definition.kind == "fragment_definition"
        }
        cost = self._count(node.selection_set, fragments, set())
        limit = settings.SIKANDA_API["MAX_FIELDS"]
        if cost > limit:
            self.report_error(
                GraphQLError(
                    _("Permintaan terlalu besar: %(cost)d kolom (batas %(limit)d).")
                    % {"cost": cost, "limit": limit},
                    node,
                    extensions={"code": "COST_LIMIT"},
                )
            )

    def _count(self, selection_set, fragments, seen):
        if selection_set is None:
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                total += 1 + self._count(selection.selection_set, fragments, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += self._count(selection.selection_set, fragments, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:
                    total += self._count(fragments[name].selection_set, fragments, seen | {name})
        return total


def validation_rules():
    config = settings.SIKANDA_API
    rules = [
        *specified_rules,
        depth_limit_validator(max_depth=config["MAX_DEPTH"]),
        AliasLimitRule,
        FieldCostRule,
    ]
    if not config["INTROSPECTION"]:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules
