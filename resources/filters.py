"""Parsing the public audience/topic filters (`?age=`, `?audience=`, `?topic=`) and building their links."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from resources.taxonomy import AdultAudience, AgeBand

FILTER_PARAMS = ("age", "audience", "topic")


@dataclass(frozen=True)
class ResourceFilters:
    age: str = ""
    audience: str = ""
    topic: str = ""
    problems: tuple = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query):
        """Read the filters from a QueryDict; an unknown age or audience is dropped with a message."""
        problems = []
        age = (query.get("age") or "").strip()
        if age and age not in AgeBand.values:
            problems.append("We do not have an age group with that name, so all ages are shown.")
            age = ""
        audience = (query.get("audience") or "").strip()
        if audience and audience not in AdultAudience.values:
            problems.append("We do not have an audience with that name, so all audiences are shown.")
            audience = ""
        topic = (query.get("topic") or "").strip()[:100]
        return cls(age=age, audience=audience, topic=topic, problems=tuple(problems))

    @property
    def active(self):
        return bool(self.age or self.audience or self.topic)

    def params(self):
        return {name: getattr(self, name) for name in FILTER_PARAMS if getattr(self, name)}

    def apply(self, resources):
        """Narrow a ResourcePage queryset to exactly the chosen band, audience and topic (all must hold)."""
        if self.age:
            resources = resources.filter(audiences=self.age)
        if self.audience:
            resources = resources.filter(audiences=self.audience)
        if self.topic:
            resources = resources.filter(topics__slug=self.topic)
        return resources

    def link(self, extra=None, **changes):
        """A query string with one filter changed (None removes it); the page number is always reset."""
        params = {**(extra or {}), **self.params()}
        for name, value in changes.items():
            if value:
                params[name] = value
            else:
                params.pop(name, None)
        params = {name: value for name, value in params.items() if value}
        return "?" + urlencode(params) if params else "?"

    def mixed_audiences(self, extra=None):
        """When both a child age band and an adult audience are chosen, the words and links that explain
        the two lists apart: material for children is written for them, adults' material is separate."""
        if not (self.age and self.audience):
            return None
        band = AgeBand(self.age).label
        adults = AdultAudience(self.audience).label
        return {
            "text": f"{band} have material written for them to read or use in class; material for "
            f"{adults.lower()} is listed separately. Few pages are for both, so try each on its own:",
            "links": [
                {
                    "label": f"Material for {band[0].lower()}{band[1:]}",
                    "url": self.link(extra, audience=None),
                },
                {"label": f"Material for {adults.lower()}", "url": self.link(extra, age=None)},
            ],
        }

    def groups(self, topics, extra=None):
        """Filter links for templates: one group per filter, each option a plain link (no JavaScript)."""

        def group(name, label, choices, current):
            options = [{"label": "All", "url": self.link(extra, **{name: None}), "selected": not current}]
            options += [
                {"label": text, "url": self.link(extra, **{name: value}), "selected": value == current}
                for value, text in choices
            ]
            return {"name": name, "label": label, "options": options}

        return [
            group("age", "Children and young people", AgeBand.choices, self.age),
            group("audience", "Adults", AdultAudience.choices, self.audience),
            group("topic", "Topic", [(topic.slug, topic.name) for topic in topics], self.topic),
        ]
