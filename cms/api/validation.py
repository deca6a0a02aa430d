"""What one request may ask for, checked in order of cost so that nothing
grows with the attacker's input before a limit stops it:

1. size: the query text is refused above MAX_QUERY_BYTES before it is parsed,
   and the parser stops after MAX_TOKENS tokens (graphql-core's `max_tokens`,
   which counts comments too), so parse time and memory are bounded;
2. budget: the fields an operation would resolve, fragments expanded, and its
   depth are measured on the AST before validation (`measure`). Each fragment
   is measured once and measuring stops as soon as a limit is passed, so n
   fragments that each spread the previous one twice cost about n steps, not
   2**n. A spread already being measured is not followed again: cycles are
   left to graphql-core's NoFragmentCyclesRule. This replaces graphene's
   depth_limit_validator, which recursed through a fragment cycle before the
   cycle rule could report it;
3. rules: graphql-core's specified_rules, plus the alias limit and, in
   production, no introspection. A rules list given to validate() replaces the
   standard ones, so ours are added *to* specified_rules.

Only documents that pass all three are cached (`DocumentCache`), so a cached
entry holds no message in anyone's language and a refused text costs its
sender the bounded work again rather than anyone memory."""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from graphene_django.settings import graphene_settings
from graphql import (
    GraphQLError,
    ValidationRule,
    Visitor,
    parse,
    specified_rules,
    validate,
    visit,
)
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
)
from graphql.validation import NoSchemaIntrospectionCustomRule

from cms.platform.api.errors import TransportCode


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
                        extensions={"code": TransportCode.ALIAS_LIMIT.value},
                    )
                )


def validation_rules():
    rules = [*specified_rules, AliasLimitRule]
    if not settings.SIKANDA_API["INTROSPECTION"]:
        rules.append(NoSchemaIntrospectionCustomRule)
    return rules


@dataclass
class Budget:
    """What measuring one document found: the largest field count and depth
    of its operations (capped just above the limits), and how many selections
    the measurement visited, the work it did."""

    fields: int = 0
    depth: int = 0
    visited: int = 0


class _Measure:
    def __init__(self, document, max_fields, max_depth):
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.max_fields = max_fields
        self.max_depth = max_depth
        self.memo = {}
        self.open = set()
        self.visited = 0

    def selection_set(self, selection_set, level):
        """(fields, depth) of a selection set with `level` field levels above
        it: `{ a { b } }` has depth 2. Stops once either limit is passed; the
        caller only needs to know that it was."""
        fields = depth = 0
        if selection_set is None:
            return 0, 0
        for selection in selection_set.selections:
            self.visited += 1
            if isinstance(selection, FieldNode):
                sub_fields = sub_depth = 0
                # Introspection is either refused (production) or a developer's
                # tool; its own types nest deeply by design.
                if not selection.name.value.startswith("__"):
                    if level + 1 > self.max_depth:
                        return fields, self.max_depth + 1 - level
                    sub_fields, sub_depth = self.selection_set(selection.selection_set, level + 1)
                fields += 1 + sub_fields
                depth = max(depth, 1 + sub_depth)
            elif isinstance(selection, InlineFragmentNode):
                sub_fields, sub_depth = self.selection_set(selection.selection_set, level)
                fields += sub_fields
                depth = max(depth, sub_depth)
            elif isinstance(selection, FragmentSpreadNode):
                sub_fields, sub_depth = self.fragment(selection.name.value, level)
                fields += sub_fields
                depth = max(depth, sub_depth)
            if fields > self.max_fields or level + depth > self.max_depth:
                break
        return min(fields, self.max_fields + 1), depth

    def fragment(self, name, level):
        """A fragment's (fields, depth) relative to where it is spread;
        measured once. Its depth only matters relative to the spread, so one
        memo entry serves every level (a deeper spread that passes the depth
        limit is caught by the level + depth check of the caller)."""
        if name in self.memo:
            return self.memo[name]
        definition = self.fragments.get(name)
        if definition is None or name in self.open:
            return 0, 0
        self.open.add(name)
        result = self.selection_set(definition.selection_set, 0)
        self.open.discard(name)
        self.memo[name] = result
        return result


def measure(document, max_fields, max_depth):
    measuring = _Measure(document, max_fields, max_depth)
    budget = Budget()
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            fields, depth = measuring.selection_set(definition.selection_set, 0)
            budget.fields = max(budget.fields, fields)
            budget.depth = max(budget.depth, depth)
    budget.visited = measuring.visited
    return budget


def _budget_errors(document, config):
    max_fields, max_depth = config["MAX_FIELDS"], config["MAX_DEPTH"]
    try:
        budget = measure(document, max_fields, max_depth)
    except RecursionError:
        # Only a chain of hundreds of fragments gets here; no client sends one.
        budget = Budget(fields=max_fields + 1)
    if budget.fields > max_fields:
        return [GraphQLError(
            _("Permintaan terlalu besar: lebih dari %(limit)d kolom.") % {"limit": max_fields},
            extensions={"code": TransportCode.COST_LIMIT.value},
        )]
    if budget.depth > max_depth:
        return [GraphQLError(
            _("Permintaan terlalu dalam: lebih dari %(limit)d tingkat.") % {"limit": max_depth},
            extensions={"code": TransportCode.DEPTH_LIMIT.value},
        )]
    return []


def _coded(errors, code):
    """graphql-core's own errors get a code; their message stays graphql-core's."""
    coded = []
    for error in errors:
        if not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": code}
        coded.append(error)
    return coded


class DocumentCache:
    """Parsed and validated documents by query text: mobile clients send the
    same few documents over and over. Bounded by entries and by the total
    length of the cached texts (a parsed document takes roughly 120 bytes of
    memory per byte of text, so the default 512 KB of text is about 60 MB per
    process at worst); least recently used entries go first. Counters say how
    much work was done, for the tests and `make fuzz`."""

    def __init__(self):
        self._entries = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()
        self.parses = 0
        self.hits = 0

    def __len__(self):
        return len(self._entries)

    @property
    def weight(self):
        return self._weight

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def get(self, key):
        with self._lock:
            document = self._entries.get(key)
            if document is not None:
                self._entries.move_to_end(key)
                self.hits += 1
            return document

    def put(self, key, document, max_entries, max_weight):
        weight = len(key[0])
        if weight > max_weight:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = document
            self._weight += weight
            while len(self._entries) > max_entries or self._weight > max_weight:
                (text, *_rest), _document = self._entries.popitem(last=False)
                self._weight -= len(text)


documents = DocumentCache()


def checked_document(schema, query):
    """(document, []) for a query that passes every limit and rule, or
    (None, errors) with every error carrying `extensions.code`."""
    config = settings.SIKANDA_API
    # The settings are part of the key: a document valid under one set of
    # limits (tests override them) is not valid under every other.
    key = (query, tuple(sorted(config.items())))
    document = documents.get(key)
    if document is not None:
        return document, []
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > config["MAX_QUERY_BYTES"]:
        return None, [_too_large(config)]
    documents.parses += 1
    try:
        document = parse(query, max_tokens=config["MAX_TOKENS"])
    except GraphQLError as exc:
        # The token limit and nesting beyond the interpreter's recursion limit
        # abort the parse; everything else is a syntax error.
        if exc.message.endswith("Parsing aborted."):
            return None, [_too_large(config)]
        return None, _coded([exc], TransportCode.GRAPHQL_PARSE_FAILED.value)
    errors = _budget_errors(document, config)
    if errors:
        return None, errors
    where = unsafe_text(_string_literals(document))
    if where is not None:
        return None, [unsafe_text_error("query")]
    errors = validate(
        schema.graphql_schema,
        document,
        validation_rules(),
        graphene_settings.MAX_VALIDATION_ERRORS,
        # Without introspection, "Did you mean …?" would list the schema anyway.
        hide_suggestions=not config["INTROSPECTION"],
    )
    if errors:
        return None, _coded(errors, TransportCode.GRAPHQL_VALIDATION_FAILED.value)
    documents.put(key, document, config["DOCUMENT_CACHE_ENTRIES"], config["DOCUMENT_CACHE_BYTES"])
    return document, []


def unsafe_text(value):
    """Where in a JSON value (variables) a string holds a NUL character or a
    lone surrogate, or None. Neither is text any client means to send: the
    database refuses NUL and no encoder writes a lone surrogate. Walked
    without recursion, as the value may nest as deep as the JSON parser let it."""
    pending = [("variables", value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, str):
            if not _is_clean(item):
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                if not _is_clean(key):
                    return where
                pending.append((f"{where}.{key}", child))
        elif isinstance(item, list):
            pending.extend((f"{where}.{index}", child) for index, child in enumerate(item))
    return None


def _is_clean(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def unsafe_text_error(where):
    return GraphQLError(
        _("Teks tidak boleh berisi karakter NUL atau surrogate tunggal (%(where)s).")
        % {"where": where},
        # INVALID, as the argument rules answer the same text (cms.platform.api.inputs):
        # one code for "text no field may hold", wherever it was caught.
        extensions={"code": "INVALID"},
    )


def _string_literals(document):
    """String values written in the query itself (escapes like \\u0000 are
    only resolved by the parser)."""
    strings = []

    class Collect(Visitor):
        def enter_string_value(self, node, *args):
            strings.append(node.value)

    visit(document, Collect())
    return strings


def _too_large(config):
    return GraphQLError(
        _("Query terlalu besar (batas %(bytes)d byte dan %(tokens)d token).")
        % {"bytes": config["MAX_QUERY_BYTES"], "tokens": config["MAX_TOKENS"]},
        extensions={"code": TransportCode.QUERY_TOO_LARGE.value},
    )
