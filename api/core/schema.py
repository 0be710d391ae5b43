"""OpenAPI schema generation: every operation documents the problem+json errors it can return."""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    pass
