import graphene


class Query(graphene.ObjectType):
    sample_ping = graphene.String(required=True)

    @staticmethod
    def resolve_sample_ping(root, info):
        return "pong"


class SampleEcho(graphene.Mutation):
    class Arguments:
        text = graphene.String(required=True)

    text = graphene.String(required=True)

    @staticmethod
    def mutate(root, info, text):
        return SampleEcho(text=text)


class Mutation(graphene.ObjectType):
    sample_echo = SampleEcho.Field()
