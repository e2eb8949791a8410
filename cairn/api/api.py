from ninja import NinjaAPI

api = NinjaAPI(title="Cairn API", version="1", urls_namespace="api")
