from django.core.management.base import BaseCommand, CommandError
from graphql import parse, validate

from cms.api.contract import CONTRACT_DIR, load_operation, operation_names, printed_schema


class Command(BaseCommand):
    help = (
        "Write graphql/schema.graphql from the code's schema, or with --check fail when the "
        "file differs; also validates graphql/operations/*.graphql against the schema."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Only compare; write nothing.")

    def handle(self, *args, check=False, **options):
        from cms.api.schema import schema

        target = CONTRACT_DIR / "schema.graphql"
        current = printed_schema()
        if check:
            if not target.exists() or target.read_text() != current:
                raise CommandError(
                    "graphql/schema.graphql differs from the code's schema. "
                    "Run: python manage.py graphql_contract"
                )
        else:
            target.write_text(current)
            self.stdout.write(f"Wrote {target}")
        problems = [
            f"{name}.graphql: {error.message}"
            for name in operation_names()
            for error in validate(schema.graphql_schema, parse(load_operation(name)))
        ]
        if problems:
            raise CommandError("Operations invalid against the schema:\n" + "\n".join(problems))
        self.stdout.write(
            self.style.SUCCESS(f"GraphQL contract OK ({len(operation_names())} operations).")
        )
