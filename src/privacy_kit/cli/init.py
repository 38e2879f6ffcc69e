"""``privacy-kit init [FOLDER]``: write a new site that builds strictly and shows its banner at once.

    privacy-kit init my-site --name "Bakkerij Jansen" --languages nl,en --analytics matomo \\
        --matomo-url https://stats.example.nl/ --matomo-site-id 1 --embeds

Asks for what no option gives (when run in a terminal; otherwise the defaults). Writes
``mkdocs.yml``, the privacy policy (``docs/index.md``) and the cookie page (``docs/cookies.md``,
with the declaration marker) in every language, a page with an example video when there are
embeds, ``texts/<language>.yml`` with what the banner must say in the site's own words, and the
consent archive (``docs/consent.yml``, as ``privacy-kit record-consent`` writes it). Every place
the owner must fill is marked ``[FILL IN: …]``: ``privacy-kit serve`` shows the site with them, a
production build (``SITE_URL`` set) refuses it and names each one.

Refuses, writing nothing, when FOLDER already holds any of these files.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from string import Template

import yaml
from mkdocs.config.base import ValidationError

from .. import placeholders, providers, yaml_files
from ..consent.archive import NotRecorded, planned_record
from ..editing import write_atomic
from ..i18n import SOURCE_KEY, source_hash
from ..policy.model import today
from ..project import Project, ProjectError

SCAFFOLD = Path(__file__).resolve().parent.parent / "scaffold"
LANGUAGES = {"nl": "Nederlands", "en": "English", "de": "Deutsch"}  # the kit has texts for these
ANALYTICS = ("none", *(provider.name for provider in providers.every()))
EMBED_HOSTS = ["https://www.youtube-nocookie.com"]


def scaffold(language: str) -> dict:
    return yaml_files.load((SCAFFOLD / f"{language}.yml").read_text(encoding="utf-8"))


def default_options(analytics: str) -> dict[str, str]:
    """What init writes for the options of the analytics service when nobody answers."""
    questions = providers.named(analytics).questions if analytics in providers.PROVIDERS else ()
    return {question.key: question.default for question in questions}


def flag(provider: str, key: str) -> str:
    return f"--{provider}-{key.replace('_', '-')}"


def ask(question: str, default: str) -> str:
    answer = input(f"{question} [{default}]: ").strip()
    return answer or default


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="privacy-kit init", description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("."), help="where (default: here)")
    parser.add_argument("--name", help="the site's name, e.g. the organisation's (site_name)")
    parser.add_argument(
        "--languages",
        help="comma-separated, the default first, of nl, en, de (e.g. nl,en,de; default: en)",
    )
    parser.add_argument("--analytics", choices=ANALYTICS, help="the analytics service (default: none)")
    for provider in providers.every():  # --<provider>-<option>, e.g. --matomo-site-id
        for question in provider.questions:
            parser.add_argument(
                flag(provider.name, question.key),
                dest=f"{provider.name}_{question.key}",
                help=f"{provider.name}: {provider.help[question.key]}",
            )
    embeds = parser.add_mutually_exclusive_group()
    embeds.add_argument("--embeds", action="store_true", default=None, help="videos or maps of others")
    embeds.add_argument("--no-embeds", dest="embeds", action="store_false")
    return parser.parse_args(argv)


def answers(args, interactive: bool) -> dict:
    """The choices: each option, else asked (in a terminal), else its default."""

    def choose(value, question, default):
        if value is not None:
            return value
        return ask(question, default) if interactive else default

    name = choose(args.name, "The site's name", args.folder.resolve().name.replace("-", " ").title())
    languages = choose(args.languages, "Its languages, the default first (nl, en, de)", "en")
    analytics = choose(args.analytics, f"Analytics: {', '.join(ANALYTICS[:-1])} or {ANALYTICS[-1]}", "none")
    embeds = args.embeds
    if embeds is None:
        embeds = interactive and ask("Embedded videos or maps of others (y/n)", "n").lower().startswith("y")
    values = {}  # the service's options, each given, else asked (in a terminal), else its default
    for question in providers.named(analytics).questions if analytics in providers.PROVIDERS else ():
        given = getattr(args, f"{analytics}_{question.key}", None)
        if question.question:
            given = choose(given, question.question, question.default)
        values[question.key] = given or question.default
    return {
        "name": name.strip(),
        "languages": [code.strip() for code in languages.split(",") if code.strip()],
        "analytics": analytics,
        "embeds": bool(embeds),
        "analytics_options": values,  # the service's options, as init asks for them
    }


def check(choices: dict) -> str | None:
    """Why these choices cannot make a site (None: they can)."""
    if not choices["name"]:
        return "--name: expected the site's name, got an empty one"
    unknown = [code for code in choices["languages"] if code not in LANGUAGES]
    if unknown or not choices["languages"]:
        return (
            f"--languages: expected some of {', '.join(LANGUAGES)} (the kit's texts), got "
            f"{','.join(choices['languages'])!r}"
        )
    if len(set(choices["languages"])) != len(choices["languages"]):
        return f"--languages: a language named twice in {','.join(choices['languages'])!r}"
    if choices["analytics"] not in ANALYTICS:
        return f"--analytics: expected one of {', '.join(ANALYTICS)}, got {choices['analytics']!r}"
    service = providers.PROVIDERS.get(choices["analytics"])
    for key, value in choices["analytics_options"].items():
        try:
            service.options[key].validate(yaml_files.load(str(value)))
        except ValidationError as error:
            return f"{flag(service.name, key)}: {error}"
    return None


def q(text: str) -> str:
    """A YAML scalar (JSON's double-quoted string is one)."""
    return json.dumps(text, ensure_ascii=False)


def per_language(values: dict[str, str], indent: str) -> str:
    """One text, or one per language (the plugin takes both)."""
    if len(values) == 1:
        return q(next(iter(values.values())))
    return "\n" + "\n".join(f"{indent}{lang}: {q(text)}" for lang, text in values.items())


def mkdocs_yml(choices: dict, words: dict[str, dict]) -> str:
    languages, default = choices["languages"], choices["languages"][0]
    first = words[default]
    nav = [("policy", "index.md"), ("cookies", "cookies.md")] + (
        [("video", "video.md")] if choices["embeds"] else []
    )
    lines = [
        "# Written by privacy-kit init. The privacy-kit plugin's options are in the kit's configuration",
        "# reference; every [FILL IN: …] in docs/ and texts/ is yours to write before you publish.",
        f"site_name: {q(choices['name'])}",
        "site_url: !ENV SITE_URL  # the public address, set when you build for publication",
        "strict: true",
        "",
        "nav:",
        *(f"  - {q(first['nav'][key])}: {page}" for key, page in nav),
        "",
        "theme:",
        "  name: material",
        f"  language: {default}",
        "  font: false  # no Google Fonts: nothing leaves the site before a choice",
        "",
        "plugins:",
        "  - search",
    ]
    if len(languages) > 1:
        lines += [
            "  - i18n:",
            "      docs_structure: suffix  # docs/cookies.md in the default language, docs/cookies.<lang>.md",
            "      fallback_to_default: false",
            "      reconfigure_material: true",
            "      reconfigure_search: true",
            "      languages:",
        ]
        for code in languages:
            lines += [
                f"        - locale: {code}",
                f"          name: {LANGUAGES[code]}",
                "          build: true",
            ]
            if code == default:
                lines.append("          default: true")
            translated = [
                f"            {q(first['nav'][key])}: {q(words[code]['nav'][key])}"
                for key, _ in nav
                if first["nav"][key] != words[code]["nav"][key]
            ]
            if code != default and translated:
                lines += ["          nav_translations:", *translated]
    lines += [
        "  - privacy-kit:",
        "      policy:",
        "        page: index.md",
        "        cookie_section: cookies  # the banner's 'more information' link goes here",
    ]
    analytics = choices["analytics"]
    if analytics != "none":
        lines += providers.named(analytics).init_lines(choices["analytics_options"])
    lines += [
        "      consent:",
        "        revision: 1  # raise it by one to ask every visitor again; then privacy-kit record-consent",
        "        declaration_page: cookies.md",
        "        archive: consent.yml  # written by privacy-kit record-consent",
        "        categories:",
        "          necessary: {}",
    ]
    cookies = first["cookies_of"].get(analytics, {})
    if analytics != "none" and not cookies:  # a service that sets none
        lines += ["          analytics: {}"]
    elif analytics != "none":
        provider = providers.named(analytics).cookie_provider.format(name=choices["name"])
        lines += ["          analytics:", "            cookies:"]
        for cookie in cookies:
            about = {code: words[code]["cookies_of"][analytics][cookie] for code in languages}
            lines += [
                f"              - name: {q(cookie)}",
                f"                provider: {q(provider)}",
                "                duration: "
                + per_language({c: a["duration"] for c, a in about.items()}, " " * 18),
                "                purpose: "
                + per_language({c: a["purpose"] for c, a in about.items()}, " " * 18),
            ]
    if choices["embeds"]:
        lines += [
            "          external-media:",
            f"            hosts: [{', '.join(EMBED_HOSTS)}]  # the origins of your embeds",
        ]
    lines += [
        "      # security:",
        "      #   contact: mailto:security@example.org  # security.txt's Contact",
        "",
        "markdown_extensions:",
        "  - attr_list",
        "  - toc:",
        "      permalink: true",
        "",
        "extra:",
        "  generator: false",
        "",
    ]
    return "\n".join(lines)


def texts_yml(choices: dict, words: dict) -> str:
    categories = {}
    if choices["analytics"] != "none":
        categories["analytics"] = {"description": words["texts"]["analytics"]}
    if choices["embeds"]:
        categories["external-media"] = {"description": words["texts"]["external-media"]}
    texts = {
        "consent": {"body": words["texts"]["body"], **({"categories": categories} if categories else {})}
    }
    return (
        "# What this site says itself; every other text is the privacy kit's own. Write each\n"
        "# [FILL IN: …] in your own words, then run privacy-kit record-consent.\n"
        + yaml.safe_dump(texts, allow_unicode=True, sort_keys=False, width=100)
    )


def site_files(choices: dict) -> dict[str, str]:
    """The site's files (relative path -> text), the consent archive aside."""
    languages, default = choices["languages"], choices["languages"][0]
    words = {code: scaffold(code) for code in languages}
    asks = choices["analytics"] != "none" or choices["embeds"]
    files = {"mkdocs.yml": mkdocs_yml(choices, words)}
    for code in languages:
        w = words[code]
        pages = {"index.md": w["policy"], "cookies.md": w["cookies"]}
        if choices["embeds"]:
            pages["video.md"] = w["embed_page"]
        for page, template in pages.items():
            text = Template(template).substitute(name=choices["name"])
            name = page if code == default else page.removesuffix(".md") + f".{code}.md"
            files[f"docs/{name}"] = text
        if asks:
            files[f"texts/{code}.yml"] = texts_yml(choices, w)
    return files


def with_source_hashes(folder: Path, files: dict[str, str], languages: list[str]) -> None:
    """Each translation records the hash of the page it translates (check-translations reads it)."""
    docs = folder / "docs"
    for name in list(files):
        for code in languages[1:]:
            if name.endswith(f".{code}.md"):
                source = name.removeprefix("docs/").removesuffix(f".{code}.md") + ".md"
                head = f'---\n{SOURCE_KEY}: "{source_hash(docs / source)}"  # of {source}\n'
                files[name] = head + files[name].removeprefix("---\n")


def write_site(folder: Path, choices: dict) -> list[str]:
    """Write the site into ``folder``: first into a temporary folder (so that a failure leaves
    nothing behind), recorded there, then each file moved into place."""
    files = site_files(choices)
    with tempfile.TemporaryDirectory(prefix="privacy-kit-init-") as temporary:
        staging = Path(temporary)
        for name, text in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_text(text, encoding="utf-8")
        with_source_hashes(staging, files, choices["languages"])
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        try:
            path, text, _ = planned_record(Project(staging / "mkdocs.yml"), today())
        except (NotRecorded, ProjectError) as error:  # a defect of this command, not of the choices
            raise SystemExit(f"init: the new site does not load: {error}") from None
        files[path.relative_to(staging).as_posix()] = text
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            write_atomic(folder / name, text)
    return list(files)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        choices = answers(args, sys.stdin.isatty())
    except (EOFError, ValueError) as error:
        print(f"init: {error}", file=sys.stderr)
        return 2
    problem = check(choices)
    if problem:
        print(f"init: {problem}", file=sys.stderr)
        return 2
    present = [name for name in site_files(choices) if (args.folder / name).exists()]
    present += [name for name in ("docs/consent.yml",) if (args.folder / name).exists()]
    if present:
        print(
            f"init: refused, nothing written: {args.folder} already has {', '.join(present)}", file=sys.stderr
        )
        return 2
    written = write_site(args.folder, choices)
    for name in written:
        print(f"  wrote {(args.folder / name).as_posix()}")
    to_fill = placeholders.unfilled(args.folder / "texts", args.folder / "docs")
    serve = "privacy-kit serve" + ("" if args.folder == Path(".") else f" -f {args.folder / 'mkdocs.yml'}")
    print(
        f"\nNext: {serve} shows the site (a local preview: nothing reaches the services it declares). Fill the {len(to_fill)} places marked [FILL IN: …] "
        "(a build for publication, with SITE_URL set, refuses the site until none is left), "
        "then privacy-kit record-consent."
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
