"""The Mode model: what a dashboard needs to re-skin itself for an industry."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from persona_kit.models.base import FrozenModel

CUSTOM_KIND = "generic"
"""The persona kind of custom modes: the registry's ``generic`` industry."""

Colour = Annotated[str, Field(pattern=r"^#(?:[0-9a-fA-F]{3}){1,2}$")]


class Theme(FrozenModel):
    """Dashboard colours, CSS hex."""

    primary: Colour
    secondary: Colour
    background: Colour
    surface: Colour
    text: Colour
    text_muted: Colour


class Tab(FrozenModel):
    """A dashboard tab."""

    id: Annotated[str, Field(min_length=1)]
    label: Annotated[str, Field(min_length=1)]
    icon: str


class Metric(FrozenModel):
    """A headline metric shown before any persona data arrives."""

    label: Annotated[str, Field(min_length=1)]
    value: str
    unit: str


class Mode(FrozenModel):
    """An industry mode: branding, tabs, system prompt and which persona it uses."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,63}$")]
    name: Annotated[str, Field(min_length=1)]
    company_name: Annotated[str, Field(min_length=1)]
    tagline: str = ""
    persona_kind: str = CUSTOM_KIND
    """The kind of persona the mode uses: a registered industry (``persona_kit.industries.persona_kinds()``)."""
    theme: Theme
    tabs: list[Tab] = Field(default_factory=list)
    system_prompt: Annotated[str, Field(min_length=1)]
    default_metrics: list[Metric] = Field(default_factory=list)
    background_image: str | None = None
    hero_image: str | None = None
    chat_image: str | None = None

    @field_validator("persona_kind")
    @classmethod
    def _known_kind(cls, kind: str) -> str:
        from persona_kit.industries import persona_kinds  # the registry imports the persona models

        kinds = persona_kinds()
        if kind not in kinds:
            expected = f"{', '.join(repr(k) for k in kinds[:-1])} or {kinds[-1]!r}"
            raise PydanticCustomError("literal_error", "Input should be {expected}", {"expected": expected})
        return kind
