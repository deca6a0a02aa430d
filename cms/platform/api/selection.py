"""Which fields a query selected, so list resolvers fetch only what is asked
for (an anonymous page of titles must not pay for joins it never shows)."""

from graphql.language import FieldNode, FragmentSpreadNode, InlineFragmentNode


def selected_fields(info, *path):
    """Names (as written in the query) selected below the current field,
    following `path` (e.g. "items"), with fragments expanded."""
    selections = [node.selection_set for node in info.field_nodes]
    for name in path:
        selections = [
            field.selection_set
            for selection_set in selections
            for field in _fields(selection_set, info.fragments)
            if field.name.value == name and field.selection_set is not None
        ]
    return {
        field.name.value for selection_set in selections
        for field in _fields(selection_set, info.fragments)
    }


def selected_node_fields(info):
    """Fields selected on the items of a connection (`nodes` and `edges.node`)."""
    return selected_fields(info, "nodes") | selected_fields(info, "edges", "node")


def _fields(selection_set, fragments, seen=frozenset()):
    if selection_set is None:
        return
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            yield selection
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields(selection.selection_set, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode):
            name = selection.name.value
            if name not in seen and name in fragments:
                yield from _fields(fragments[name].selection_set, fragments, seen | {name})
