import graphene


class Query(graphene.ObjectType):
    hello_sikanda = graphene.String(required=True, description="Greeting from the example plugin.")

    @staticmethod
    def resolve_hello_sikanda(root, info):
        return "Halo dari plugin contoh"
