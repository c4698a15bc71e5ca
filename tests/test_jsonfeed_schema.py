"""Self-contained checks for tests/schemas/jsonfeed-1.1.schema.json.

The schema is written from the JSON Feed 1.1 specification
(https://www.jsonfeed.org/version/1.1/). These tests only use jsonschema;
they do not import the project package.
"""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "jsonfeed-1.1.schema.json"


@pytest.fixture(scope="module")
def schema():
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@pytest.fixture(scope="module")
def validator(schema):
    return Draft202012Validator(schema, format_checker=FormatChecker())


VALID_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "Example Feed",
    "home_page_url": "https://example.org/",
    "feed_url": "https://example.org/feed.json",
    "description": "A sample feed used by the schema tests.",
    "language": "en-US",
    "authors": [{"name": "Jane Doe", "url": "https://example.org/jane"}],
    "items": [
        {
            "id": "https://example.org/posts/2",
            "url": "https://example.org/posts/2",
            "title": "Second post",
            "content_html": "<p>Hello again.</p>",
            "summary": "A second post.",
            "image": "https://example.org/img/2.png",
            "date_published": "2024-05-01T12:30:00+02:00",
            "tags": ["news", "example"],
            "authors": [
                {
                    "name": "John Roe",
                    "avatar": "https://example.org/avatars/john.png",
                }
            ],
            "_enrichment": {
                "about": "https://feedgen-pipeline.example/docs/enrichment",
                "score": 0.87,
                "keywords": ["news"],
            },
        },
        {
            "id": "1",
            "content_text": "First post, plain text.",
            "url": "https://example.org/posts/1",
            "date_published": "2024-04-30T08:00:00Z",
            "date_modified": "2024-04-30T09:15:00.123Z",
            "attachments": [
                {
                    "url": "https://example.org/audio/1.mp3",
                    "mime_type": "audio/mpeg",
                    "title": "Episode 1",
                    "size_in_bytes": 31415927,
                    "duration_in_seconds": 1800.5,
                }
            ],
        },
    ],
}

# Minimal feed as in the spec's first example.
MINIMAL_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "My Example Feed",
    "items": [{"id": "2", "content_text": "This is a second item."}],
}


def _mutated(mutate):
    feed = copy.deepcopy(VALID_FEED)
    mutate(feed)
    return feed


def _set(path, value):
    """Return a mutator that sets feed[path...] = value."""

    def mutate(feed):
        target = feed
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def _delete(path):
    def mutate(feed):
        target = feed
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def _compose(*mutators):
    def mutate(feed):
        for m in mutators:
            m(feed)

    return mutate


INVALID_CASES = {
    # Cases required by the brief.
    "missing_version": _delete(["version"]),
    "version_1_0_url": _set(["version"], "https://jsonfeed.org/version/1"),
    "item_without_id": _delete(["items", 1, "id"]),
    "item_numeric_id": _set(["items", 1, "id"], 1),
    "item_without_content": _delete(["items", 0, "content_html"]),
    "date_without_offset": _set(["items", 0, "date_published"], "2024-05-01T12:30:00"),
    "relative_url": _set(["items", 0, "url"], "/posts/2"),
    "unknown_top_level_key": _set(["foo"], "bar"),
    "empty_author_object": _set(["authors"], [{}]),
    # Extra strictness checks.
    "missing_title": _delete(["title"]),
    "missing_items": _delete(["items"]),
    "item_empty_id": _set(["items", 1, "id"], ""),
    "unknown_item_key": _set(["items", 0, "foo"], 1),
    "author_only_extension": _set(["authors"], [{"_x": {"a": 1}}]),
    "extension_not_object": _set(["_enrichment"], "text"),
    "extension_name_not_letter": _set(["_1ext"], {}),
    "date_only": _set(["items", 0, "date_modified"], "2024-05-01"),
    "date_invalid_month": _set(["items", 0, "date_published"], "2024-13-01T00:00:00Z"),
    "ftp_image_url": _set(["items", 0, "image"], "ftp://example.org/a.png"),
    "relative_feed_url": _set(["feed_url"], "feed.json"),
    "expired_not_boolean": _set(["expired"], "yes"),
    "tags_not_strings": _set(["items", 0, "tags"], ["ok", 3]),
    "attachment_missing_mime_type": _delete(["items", 1, "attachments", 0, "mime_type"]),
    "attachment_size_not_integer": _set(["items", 1, "attachments", 0, "size_in_bytes"], 1.5),
    "hub_missing_url": _set(["hubs"], [{"type": "WebSub"}]),
    "authors_not_array": _set(["authors"], {"name": "Jane"}),
}


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "https://feedgen-pipeline.example/schemas/jsonfeed-1.1.schema.json"


def test_valid_feed_passes(validator):
    errors = list(validator.iter_errors(VALID_FEED))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize(
    "feed",
    [
        MINIMAL_FEED,
        # Deprecated 1.0 `author`, hubs, expired, mailto author url, extensions
        # on feed/author/attachment.
        {
            **VALID_FEED,
            "author": {"name": "Jane Doe", "url": "mailto:jane@example.org"},
            "expired": False,
            "hubs": [{"type": "WebSub", "url": "https://hub.example.org/"}],
            "_blue_shed": {"about": "https://example.org/ext", "explicit": False},
        },
    ],
    ids=["minimal_spec_example", "deprecated_author_hubs_extensions"],
)
def test_other_valid_feeds_pass(validator, feed):
    errors = list(validator.iter_errors(feed))
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("mutate", list(INVALID_CASES.values()), ids=list(INVALID_CASES))
def test_invalid_feed_fails(validator, mutate):
    feed = _mutated(mutate)
    assert not validator.is_valid(feed)


# The _enrichment extension: our own contract, with its own schema beside the JSON Feed one.
ENRICHMENT_PATH = SCHEMA_PATH.with_name("enrichment.schema.json")

VALID_ENRICHMENT = {
    "source": "desk/2026-05-02-port-strike.html",
    "headline": "Dockers strike in Antwerp as talks with Rotterdam stall",
    "image_credit": "Jane Roe/Example Agency",
    "countries": [
        {
            "code": "BE",
            "name": "Belgium",
            "mentions": 6,
            "score": 1.0,
            "primary": True,
            "tagged": True,
        },
        {
            "code": "NL",
            "name": "Netherlands",
            "mentions": 3,
            "score": 0.41,
            "primary": False,
            "tagged": True,
        },
        # named once in passing: listed, below the threshold, not a tag
        {
            "code": "FR",
            "name": "France",
            "mentions": 1,
            "score": 0.06,
            "primary": False,
            "tagged": False,
        },
    ],
    "actors": [
        {
            "name": "Marta Jansen",
            "kind": "person",
            "role": "union leader",
            "country": "BE",
            "mentions": 2,
            "score": 1.4,
        },
    ],
}


@pytest.fixture(scope="module")
def enrichment_validator():
    with ENRICHMENT_PATH.open(encoding="utf-8") as fh:
        schema = json.load(fh)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _enrichment(mutate):
    value = copy.deepcopy(VALID_ENRICHMENT)
    mutate(value)
    return value


INVALID_ENRICHMENT = {
    "country_without_tagged": _delete(["countries", 2, "tagged"]),
    "tagged_not_boolean": _set(["countries", 2, "tagged"], "no"),
    "primary_not_tagged": _set(["countries", 0, "tagged"], False),
    "two_primaries": _set(["countries", 1, "primary"], True),
    "score_above_one": _set(["countries", 1, "score"], 1.2),
    "score_negative": _set(["countries", 2, "score"], -0.1),
    "no_mention": _set(["countries", 2, "mentions"], 0),
    "lower_case_code": _set(["countries", 1, "code"], "nl"),
    "unknown_country_key": _set(["countries", 1, "salience"], 0.4),
    "unknown_actor_kind": _set(["actors", 0, "kind"], "place"),
    "missing_countries": _delete(["countries"]),
    "unknown_key": _set(["keywords"], []),
}


def test_valid_enrichment_passes(enrichment_validator):
    errors = list(enrichment_validator.iter_errors(VALID_ENRICHMENT))
    assert errors == [], [e.message for e in errors]
    assert enrichment_validator.is_valid({**VALID_ENRICHMENT, "countries": [], "fetched": False})


@pytest.mark.parametrize("mutate", list(INVALID_ENRICHMENT.values()), ids=list(INVALID_ENRICHMENT))
def test_invalid_enrichment_fails(enrichment_validator, mutate):
    assert not enrichment_validator.is_valid(_enrichment(mutate))
