"""Speaks the GraphQL-over-HTTP wire format through Django's test client:
JSON POSTs, the multipart request spec for uploads, bearer tokens."""

import json

from cms.api.contract import load_operation


class GraphQLClient:
    def __init__(self, client, token=None):
        self.client = client
        self.token = token

    def _headers(self, token, language):
        headers = {"accept-language": language}
        if token or self.token:
            headers["authorization"] = f"Bearer {token or self.token}"
        return headers

    def raw(self, query, variables=None, token=None, language="id"):
        return self.client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables or {}}),
            content_type="application/json",
            headers=self._headers(token, language),
        )

    def execute(self, query, variables=None, token=None, language="id"):
        response = self.raw(query, variables, token, language)
        assert response.headers["Content-Type"].startswith("application/json"), response.content
        return response.json()

    def op(self, name, variables=None, token=None, language="id"):
        """Run one of the contract's operation documents."""
        return self.execute(load_operation(name), variables, token, language)

    def upload(self, name, variables, files, token=None, language="id"):
        """`files` maps a variable path (e.g. 'variables.attachments.0') to a file."""
        file_map = {str(i): [path] for i, path in enumerate(files)}
        data = {
            "operations": json.dumps({"query": load_operation(name), "variables": variables}),
            "map": json.dumps(file_map),
            **{str(i): f for i, f in enumerate(files.values())},
        }
        response = self.client.post("/graphql/", data, headers=self._headers(token, language))
        return response.json()

    def login(self, username, password, device="uji"):
        result = self.op(
            "Login", {"username": username, "password": password, "deviceName": device}
        )
        payload = result["data"]["login"]
        assert payload["errors"] == [], payload
        self.token = payload["accessToken"]
        return payload
