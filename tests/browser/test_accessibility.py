"""WCAG 2.2 A and AA in Chromium, for what axe cannot see (ACCESSIBILITY.md has the table).

Every page type of a site with more than one policy version (policy, cookie page, history, an
archived version, a redline, the 404 page, and translations) is built once per session: a copy
of the project with the next version published as an editor does (scripts/new-version), served on
127.0.0.1. The tests walk it with the keyboard only, at 320 CSS px, at 200 % and 400 % zoom, with
WCAG's text-spacing overrides, in forced colours, with reduced motion, printed, and through the
accessibility tree, with the banner or the preferences open."""

from __future__ import annotations

import contextlib
import re

import pytest

from conftest import (
    CLINIC,
    RECORD_LAYOUT_SHIFTS,
    layout_shifts_below_the_header,
)
from privacy_kit.consent.contract import ACCEPT, OPEN, PREFERENCES, REJECT, SAVE, category_box
from privacy_kit.serving.chromium import offline

ANALYTICS_BOX = category_box("analytics")
STORAGE_KEY = CLINIC.storage_key

DESKTOP, PHONE = (1280, 800), (390, 844)

# The four overrides of WCAG 1.4.12, as a reader's style sheet (adopted, so the site's CSP, which
# forbids inline styles, stays on).
TEXT_SPACING = """* { line-height: 1.5 !important; letter-spacing: .12em !important; word-spacing: .16em !important; }
p { margin-bottom: 2em !important; }"""
ADOPT = """css => { const s = new CSSStyleSheet(); s.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, s]; }"""


# --- The site under test ---------------------------------------------------------------------


def site_under_test(published_site) -> dict:
    """The project with its next policy version published today, built and served (conftest's
    ``published_site``, shared with the pixel comparison): every page type exists, a redline
    included. The base URL and the paths of each page type."""
    site, url = published_site.build.site, published_site.url
    paths = sorted(
        "/" + p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
    )
    types = {
        "policy": "/",
        "cookies": "/cookies/",
        "history": "/versies/",
        "archive": f"/versies/{published_site.previous}/",
        "redline": f"/versies/{published_site.version}/wijzigingen/",
        "404": "/404.html",
    }
    assert set(types.values()) <= set(paths), paths
    return {"url": url, "types": types, "paths": paths}


@pytest.fixture
def published(published_site) -> dict:
    return site_under_test(published_site)


@contextlib.contextmanager
def page_opener(browser, published):
    """open_page(path, width=1280, height=800, view="banner"|"preferences"|"closed", **context):
    the page as a new visitor sees it (no stored choice), in one reused browser context per set of
    options (so Material's assets come from the cache); fresh=True for a context of its own."""
    contexts = {}

    def make(path="/", width=DESKTOP[0], height=DESKTOP[1], view="banner", fresh=False, **options):
        key = (width, height, tuple(sorted(options.items())))
        if fresh or key not in contexts:
            context = browser.new_context(viewport={"width": width, "height": height}, **options)
            offline(context, "http://127.0.0.1")
            contexts[object() if fresh else key] = context
            context.new_page()
        page = (contexts[key] if not fresh else context).pages[0]
        if page.url.startswith("http"):
            page.evaluate("localStorage.clear(); sessionStorage.clear()")
        page.goto(published["url"] + path)
        if view == "preferences":
            page.click(PREFERENCES)
        elif view == "closed":
            page.click(REJECT)
        return page

    yield make
    for context in contexts.values():
        context.close()


@pytest.fixture
def open_page(browser, published):
    """page_opener for one test (the tests of this module run in any worker, each on its own)."""
    with page_opener(browser, published) as make:
        yield make


def page_types(published, *extra):
    return [*published["types"].items(), *((path, path) for path in extra)]


# --- Measuring in the page -------------------------------------------------------------------

# Material holds the page still (body[data-md-scrolllock], position: fixed) while its search is
# open on a small screen (from 0.4 s after it opens) and lets it go 0.1 s after it closes: a Tab
# pressed in that 0.1 s moves focus without scrolling, wherever scroll-padding would put it. A
# person does not press Tab twice that fast, a walk on a loaded machine did (an element left under
# the banner, in Material's race, not the kit's); so after a stop the walk waits until the page is
# let go (or 10 s have passed) before the next key.
MATERIAL_HOLDS = (
    "document.body.hasAttribute('data-md-scrolllock') && !document.getElementById('__search').checked"
)

LET_GO = f"""() => new Promise((done) => {{
  const deadline = Date.now() + 10000, look = () => ({MATERIAL_HOLDS}) && Date.now() < deadline ? requestAnimationFrame(look) : done();
  look();
}})"""

# What the focused element is, whether any of it can be seen (it hit-tests to itself somewhere in
# the viewport: not under the banner, the header or anything else), and its focus indicator.
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const ids = (window.__stops ||= new WeakMap());  // which element, without touching the DOM
  if (!ids.has(el)) ids.set(el, ids.n = (ids.n || 0) + 1);
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3])).concat(1);
  const background = (node) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
  };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  let visible = false;
  for (const r of el.getClientRects()) for (let i = 0.5; i < 8 && !visible; i++) for (let j = 0.5; j < 4 && !visible; j++) {
    const x = r.left + r.width * i / 8, y = r.top + r.height * j / 4;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
    const hit = document.elementFromPoint(x, y);
    visible = !!hit && (hit === el || el.contains(hit));
  }
  const s = getComputedStyle(el), width = parseFloat(s.outlineWidth), offset = parseFloat(s.outlineOffset);
  const behind = background(offset < 0 ? el : el.parentElement);
  const ring = s.outlineStyle === 'none' ? 0 : contrast(over(rgba(s.outlineColor), behind), behind);
  const name = (el.getAttribute('aria-label') || el.textContent || el.id || el.tagName).trim().replace(/\\s+/g, ' ').slice(0, 50);
  // The text's contrast in the focused state (large text: 24 px, or 18.66 px bold, needs 3:1).
  const own = background(el), large = parseFloat(s.fontSize) >= 24 || (parseFloat(s.fontSize) >= 18.66 && s.fontWeight >= 700);
  const text = el.textContent.trim() ? contrast(over(rgba(s.color), own), own) / (large ? 3 : 4.5) : 1;
  return {id: ids.get(el), name: el.tagName.toLowerCase() + ' ' + JSON.stringify(name), inBanner: !!el.closest('#consent'), visible,
          outline: s.outlineStyle, width, ring: Math.round(ring * 100) / 100, text: Math.round(text * 100) / 100,
          y: Math.round(el.getBoundingClientRect().top), held: HELD};
}""".replace("HELD", MATERIAL_HOLDS)


def walk(page, backwards=False, limit=200):
    """Tab (or Shift+Tab) from where focus is until focus comes back to the first stop; the stops."""
    key = "Shift+Tab" if backwards else "Tab"
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stop = page.evaluate(FOCUSED)
        if not stop or stop["held"]:
            page.evaluate(LET_GO)
        if stop and not stop["visible"]:  # Material opens its search on focus: look once it is drawn
            page.evaluate(
                "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
            )
            stop = page.evaluate(FOCUSED)
        if stops and stop and stop["id"] == stops[0]["id"]:
            return stops, True
        if stop:
            stops.append(stop)
    return stops, False


def state(page) -> dict:
    return {
        "url": page.url,
        "stored": page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})"),
        "banner": page.locator("#consent").is_visible(),
    }


def describe(stops):
    return "\n".join(f"  {s['name']} y={s['y']} visible={s['visible']} outline={s['outline']}" for s in stops)


# The keyboard walks: every page type on a desktop and a phone with the banner open, and the
# policy page (the one with the most stops and a table of contents) at more sizes, with the banner
# and with the preferences open, forwards and backwards. Reduced motion: Material's search fades
# out in 0.25 s after Tab leaves it; the walk looks at where focus is, not at that fade.
# Sizes: a short desktop (the sidebars scroll), a tablet (table of contents, drawer), 200 % zoom of
# 1280 x 800, a phone on its side (little height), and 320 px (400 % zoom of 1280 wide).
POLICY_SIZES = {(1280, 720): ("banner",), (1024, 768): ("banner",), (640, 400): ("banner",),
                (568, 320): ("banner", "preferences"), (320, 568): ("banner", "preferences"),
                DESKTOP: ("preferences",), PHONE: ("preferences",)}  # fmt: skip


@pytest.fixture(scope="module")
def walks(browser, published_site):
    published = site_under_test(published_site)
    with page_opener(browser, published) as open_page:
        return walk_all(open_page, published)


def walk_all(open_page, published) -> list[dict]:
    done = []
    for name, path in page_types(published):
        for size in (DESKTOP, PHONE):
            done.append((f"{name} {size}", path, size, "banner", False))
    for size, views in POLICY_SIZES.items():
        for view in views:
            done.append((f"policy {size} {view}", "/", size, view, False))
    for size in ((1280, 720), PHONE):
        done.append((f"policy {size} backwards", "/", size, "banner", True))
    done = [(*d, "light") for d in done]
    for size in (DESKTOP, PHONE):  # the dark scheme: its own accent, outlines and text colours
        for view in ("banner", "preferences"):
            done.append((f"policy {size} {view} dark", "/", size, view, False, "dark"))
    results = []
    for label, path, (width, height), view, backwards, scheme in done:
        page = open_page(path, width, height, view, reduced_motion="reduce", color_scheme=scheme)
        before = state(page)
        if backwards:  # from the end of the page
            page.locator(OPEN).focus()
        stops, wrapped = walk(page, backwards)
        results.append(
            {"label": label, "stops": stops, "wrapped": wrapped, "before": before, "after": state(page)}
        )
    return results


def test_focus_is_never_hidden_by_the_banner_or_the_header(walks):
    """2.4.11 Focus Not Obscured (Minimum): with the banner or the preferences open, every element
    that gets focus can be seen, in every page type and at every size (scroll-padding and the
    footer's padding keep it above the banner, the sidebars end above it)."""
    for w in walks:
        hidden = [s for s in w["stops"] if not s["visible"]]
        assert not hidden, f"{w['label']}: focus hidden\n{describe(hidden)}"
        assert any(s["inBanner"] for s in w["stops"]) and any(not s["inBanner"] for s in w["stops"]), w[
            "label"
        ]


def test_the_room_kept_for_the_banner_moves_nothing(browser, published):
    """The room kept below the page while the banner is shown (for 2.4.11) is added after the page,
    so on a short page (the 404) the footer does not move up when the banner appears: no layout
    shift (a Lighthouse performance regression otherwise), on a phone or a desktop."""
    for width, height in ((412, 823), DESKTOP):
        context = browser.new_context(viewport={"width": width, "height": height})
        offline(context, "http://127.0.0.1")
        context.add_init_script(RECORD_LAYOUT_SHIFTS)
        page = context.new_page()
        for path in (published["types"]["404"], "/"):
            page.goto(published["url"] + path)
            page.evaluate(
                "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
            )
            assert page.locator("#consent").is_visible()
            assert layout_shifts_below_the_header(page) == [], (width, height, path)
            room = page.evaluate("document.documentElement.scrollHeight") - height
            assert room > 0, (path, "no room below the page")
        context.close()


def test_every_focused_element_shows_a_focus_indicator_with_contrast(walks):
    """2.4.7 Focus Visible and 1.4.11 Non-text Contrast: every tab stop shows the browser's focus
    ring or an outline at least 2 CSS px wide with at least 3:1 against what it is drawn on."""
    for w in walks:
        bad = [s for s in w["stops"] if not (s["outline"] == "auto" or (s["width"] >= 2 and s["ring"] >= 3))]
        assert not bad, f"{w['label']}: no visible focus indicator\n" + "\n".join(
            f"  {s['name']} outline={s['outline']} {s['width']}px contrast={s['ring']}" for s in bad
        )


def test_focused_text_keeps_its_contrast(walks):
    """1.4.3 Contrast (Minimum) in the focused state: the text of every focused link and button
    keeps 4.5:1 (3:1 if large) with the colour it takes on focus (Material's accent, darkened)."""
    for w in walks:
        low = [s for s in w["stops"] if s["text"] < 1]
        assert not low, f"{w['label']}: focused text below its contrast\n" + "\n".join(
            f"  {s['name']} {s['text']} of the ratio needed" for s in low
        )


def test_the_keyboard_goes_through_every_page_and_out_again_without_changing_anything(walks):
    """2.1.1 Keyboard, 2.1.2 No Keyboard Trap, 3.2.1 On Focus: Tab reaches the banner's controls and
    the page behind it, comes back round (no trap, in the banner or the preferences), and moving
    focus chooses nothing, opens nothing and goes nowhere."""
    for w in walks:
        assert w["wrapped"], f"{w['label']}: focus did not come back round\n{describe(w['stops'][-5:])}"
        assert w["after"] == w["before"], w["label"]
        names = {s["name"] for s in w["stops"]}
        if "banner" in w["label"] and "backwards" not in w["label"]:
            for label in ("Alles accepteren", "Alles weigeren", "Instellingen"):
                assert f'button "{label}"' in names, (w["label"], label)
        if "preferences" in w["label"]:
            assert 'button "Keuze opslaan"' in names, w["label"]


def test_paging_with_the_keyboard_skips_nothing_under_the_banner(open_page):
    """Reading with the banner open (a review step; 2.1.1 Keyboard): Page Down and Space scroll by
    the part of the screen the banner leaves free, so no line goes by hidden under it."""
    for width, height in (DESKTOP, PHONE, (568, 320)):
        page = open_page("/", width, height, reduced_motion="reduce")
        page.click("article h1")
        free = page.evaluate(
            "innerHeight - document.querySelector('.md-header').offsetHeight - document.getElementById('consent').offsetHeight"
        )
        for key in ("PageDown", " "):
            before = page.evaluate("scrollY")
            page.evaluate(
                "() => { window.__scrolled = new Promise((done) => addEventListener('scrollend', done, {once: true})); }"
            )
            page.keyboard.press(key)
            page.evaluate("() => window.__scrolled")  # the whole (smooth) scroll, not its first frame
            assert 0 < page.evaluate("scrollY") - before <= free, (width, height, key)


# --- Target size -----------------------------------------------------------------------------

TARGETS = """(scope) => {
  const seen = (el) => el.checkVisibility({opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true});
  const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, label[for], label:has(input), [role=button]')]
    .filter((el) => !(el.matches('input') && el.closest('label')))  // the label around it is the target
    .filter((el) => seen(el) && (scope === 'banner') === !!el.closest('#consent'))
    .map((el) => { const r = el.getBoundingClientRect(); return {el, x: r.left + scrollX, y: r.top + scrollY, w: r.width, h: r.height}; })
    .filter((t) => t.w > 0 && t.h > 0 && t.x + t.w > 0 && t.x < innerWidth);
  const inline = (el) => {  // WCAG's "inline" exception: a link in a sentence or a line of text
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, td, th, dd, address, figcaption, h1, h2, h3, h4, h5, h6, div');
    return !!block && block.textContent.replace(el.textContent, '').trim().length > 0;
  };
  const describe = (el) => el.tagName.toLowerCase() + ' ' + JSON.stringify((el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 40));
  const small = (t) => t.w < 24 || t.h < 24;
  const failures = [], own = [];
  for (const t of all) {
    if (t.el.matches('#consent button, #consent label, [data-consent-action=open]')) own.push({name: describe(t.el), w: t.w, h: t.h});
    if (!small(t) || inline(t.el)) continue;
    // The spacing exception: a 24 px circle on its centre meets no other target, nor the circle
    // of another undersized one.
    const cx = t.x + t.w / 2, cy = t.y + t.h / 2;
    const clash = all.find((o) => {
      if (o === t || o.el.contains(t.el) || t.el.contains(o.el)) return false;
      const dx = Math.max(o.x - cx, 0, cx - (o.x + o.w)), dy = Math.max(o.y - cy, 0, cy - (o.y + o.h));
      if (Math.hypot(dx, dy) < 12) return true;
      return small(o) && !inline(o.el) && Math.hypot(o.x + o.w / 2 - cx, o.y + o.h / 2 - cy) < 24;
    });
    if (clash) failures.push(`${describe(t.el)} ${t.w.toFixed(1)}x${t.h.toFixed(1)} too close to ${describe(clash.el)}`);
  }
  return {failures, own, count: all.length};
}"""


def test_every_target_is_24_css_px_or_spaced_and_ours_are_24_px_at_least(open_page, published):
    """2.5.8 Target Size (Minimum): on every page type, desktop and phone, every pointer target is at
    least 24 x 24 CSS px, or an inline link in a line of text, or spaced so that a 24 px circle on
    it meets no other target (Material's table of contents, permalinks, version-line links). The
    banner's buttons, the preference check boxes with their labels and the footer's
    "Cookie-instellingen" are 24 x 24 CSS px or larger themselves, whatever is near them."""
    for name, path in page_types(published, "/en/"):
        for width, height in (DESKTOP, PHONE):
            page = open_page(path, width, height)
            for view, scope in (("banner", "banner"), ("preferences", "banner"), ("closed", "page")):
                if view == "preferences":
                    page.click(PREFERENCES)
                elif view == "closed":
                    page.click(SAVE)
                found = page.evaluate(TARGETS, scope)
                where = f"{name} {width}x{height} {view}"
                assert found["count"] > 0, where
                assert found["failures"] == [], where
                small = [t for t in found["own"] if t["w"] < 24 or t["h"] < 24]
                assert small == [], (where, small)
                assert len(found["own"]) == {"banner": 3, "preferences": 3, "closed": 1}[view], (
                    where,
                    found["own"],
                )


# --- Reflow, zoom and text spacing -----------------------------------------------------------

# Text that an element with overflow hidden/clip cuts off. Two of Material's are left out on
# purpose: the drawer's sliding panel (off screen by design) and the header title, which repeats
# the site name and page title that the page shows in full (ACCESSIBILITY.md, 1.4.10).
CLIPPED = """() => [...document.querySelectorAll('body *')].filter((el) => {
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true})) return false;
  if (!el.textContent.trim() || el.closest('.md-header__topic') || el.matches('.md-sidebar--primary .md-sidebar__scrollwrap')) return false;
  const s = getComputedStyle(el), cut = (o) => o === 'hidden' || o === 'clip';
  return (cut(s.overflowX) && el.scrollWidth > el.clientWidth + 1) || (cut(s.overflowY) && el.scrollHeight > el.clientHeight + 1);
}).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0] + ' ' + JSON.stringify(el.textContent.trim().slice(0, 40)))"""

# Every control of the banner can be brought into view (the banner scrolls inside itself when the
# screen is very small) and is then the topmost element at its centre.
REACHABLE = """() => [...document.querySelectorAll('#consent button, #consent input, #consent a')].filter((el) => el.checkVisibility()).filter((el) => {
  el.scrollIntoView({block: 'nearest'});
  const r = el.getClientRects()[0], hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return !(hit === el || el.contains(hit) || (hit && hit.contains(el) && hit.tagName === 'LABEL'));
}).map((el) => el.outerHTML.slice(0, 80))"""


# Boxes that scroll sideways inside the page. Data tables may (WCAG's exception for content that
# needs a two-dimensional layout): they scroll in their own labelled region.
SIDEWAYS = """() => [...document.querySelectorAll('body *')].filter((el) => {
  if (el.closest('.md-typeset__scrollwrap, .md-sidebar--primary, pre')) return false;
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true, checkOpacity: true, checkVisibilityCSS: true})) return false;
  const o = getComputedStyle(el).overflowX;
  return (o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1;
}).map((el) => el.tagName.toLowerCase() + '.' + String(el.className).split(' ')[0])"""


def check_layout(page, where, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{where}: scrolls sideways"
    assert page.evaluate(SIDEWAYS) == [], f"{where}: a part scrolls sideways"
    assert page.evaluate(CLIPPED) == [], f"{where}: text cut off"
    assert page.evaluate(REACHABLE) == [], f"{where}: a banner control cannot be reached"


@pytest.mark.parametrize(
    "size,zoom",
    [((320, 568), 1), ((320, 256), 1), ((640, 400), 2)],
    ids=["320px", "400%-of-1280x1024", "200%-of-1280x800"],
)
def test_reflow_at_320_css_px_and_zoom(open_page, published, size, zoom):
    """1.4.10 Reflow and 1.4.4 Resize Text: at 320 CSS px wide (a phone, and 400 % zoom of a
    1280 x 1024 screen) and at 200 % zoom, no page scrolls sideways (the declaration and history
    tables scroll inside their own labelled region), no text is cut off, and every control of the
    banner and the preferences can be reached."""
    width, height = size
    for name, path in page_types(published, "/de/"):
        page = open_page(path, width, height, device_scale_factor=zoom)
        check_layout(page, f"{name} {width}x{height} banner", width)
        page.click(PREFERENCES)
        check_layout(page, f"{name} {width}x{height} preferences", width)


def test_text_spacing_loses_nothing(open_page, published):
    """1.4.12 Text Spacing: with line height 1.5, paragraph spacing 2, letter spacing 0.12 and word
    spacing 0.16 (times the font size), nothing is cut off (the phone's menu included) and every
    banner control can still be reached, on every page type, in every language, on a phone and a
    desktop."""
    for name, path in page_types(published, "/en/", "/de/"):
        for width, height in (PHONE, DESKTOP) if name in ("policy", "cookies") else (PHONE,):
            page = open_page(path, width, height)
            page.evaluate(ADOPT, TEXT_SPACING)
            spacing = page.evaluate("getComputedStyle(document.querySelector('.consent-text')).letterSpacing")
            assert spacing != "normal"
            check_layout(page, f"{name} {width}x{height} banner with text spacing", width)
            page.click(PREFERENCES)
            check_layout(page, f"{name} {width}x{height} preferences with text spacing", width)
            if width < 1220:  # the navigation is a drawer: open it too
                page.click('.md-header [for="__drawer"]')
                assert page.evaluate(CLIPPED) == [], (
                    f"{name} {width}x{height} menu with text spacing: text cut off"
                )


# --- Forced colours, motion, print ------------------------------------------------------------


def test_in_forced_colours_the_banner_and_its_controls_keep_their_edges(open_page):
    """1.4.11 Non-text Contrast, in forced colours (Windows high contrast): the system paints every
    background alike, so the banner keeps its top edge and every button its border, in a system
    colour, and the focused control its outline."""
    for width, height in (DESKTOP, PHONE):
        for view in ("banner", "preferences"):
            page = open_page("/", width, height, view, forced_colors="active")
            assert page.evaluate("matchMedia('(forced-colors: active)').matches")
            edges = page.evaluate(
                """() => { const bg = getComputedStyle(document.getElementById('consent')).backgroundColor;
                  const edge = (el, side) => { const s = getComputedStyle(el);
                    return s[`border${side}Style`] !== 'none' && parseFloat(s[`border${side}Width`]) >= 1 && s[`border${side}Color`] !== bg; };
                  return {banner: edge(document.getElementById('consent'), 'Top'),
                          buttons: [...document.querySelectorAll('#consent button')].filter((b) => b.checkVisibility())
                            .map((b) => ['Top', 'Right', 'Bottom', 'Left'].every((side) => edge(b, side)))}; }"""
            )
            assert edges["banner"] and edges["buttons"] and all(edges["buttons"]), (
                width,
                height,
                view,
                edges,
            )
            page.locator("#consent button:visible").last.focus()
            page.keyboard.press("Shift+Tab")
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED)
            assert focused["inBanner"] and focused["outline"] == "solid" and focused["width"] >= 2, focused


NO_MOTION = """() => {
  const moving = /^(all|transform|translate|scale|rotate|top|right|bottom|left|inset|width|height|max-height|margin.*|opacity|visibility)$/;
  return {animations: document.getAnimations().map((a) => a.animationName || a.transitionProperty || 'script'),
    transitions: [...document.querySelectorAll('#consent, #consent *, #consent-status')].flatMap((el) => {
      const s = getComputedStyle(el), props = s.transitionProperty.split(', '), times = s.transitionDuration.split(', ');
      return props.filter((p, i) => moving.test(p) && parseFloat(times[i % times.length]) > 0).map((p) => `${el.tagName} ${p}`)
        .concat(s.animationName !== 'none' ? [`${el.tagName} animation ${s.animationName}`] : []);
    })};
}"""


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_nothing_moves_blinks_or_flashes(open_page, motion):
    """2.2.2 Pause, Stop, Hide and 2.3.1 Three Flashes: the banner and the preferences appear and
    change without any animation or transition, with or without prefers-reduced-motion, and
    nothing on the page moves by itself once it has loaded."""
    for view in ("banner", "preferences"):
        page = open_page("/", *PHONE, view, reduced_motion=motion)
        page.wait_for_timeout(600)  # longer than any of Material's transitions
        assert page.evaluate(NO_MOTION) == {"animations": [], "transitions": []}, (motion, view)


def test_print_shows_the_text_and_none_of_the_consent_controls(open_page, published):
    """Printed (a review step, not a criterion of its own): no banner, status line or footer control
    on paper, and the redline keeps its line-through and underline (1.4.1: not colour alone)."""
    page = open_page(published["types"]["redline"], *DESKTOP, fresh=True)
    page.emulate_media(media="print")
    for selector in ("#consent", OPEN, ".md-header", ".md-sidebar"):
        assert page.locator(selector).evaluate_all("els => els.filter((el) => el.checkVisibility())") == [], (
            selector
        )
    marks = page.evaluate(
        """() => ['del', 'ins'].map((tag) => [...document.querySelectorAll('.policy-redline ' + tag)]
             .map((el) => getComputedStyle(el).textDecorationLine))"""
    )
    assert marks[0] and set(marks[0]) == {"line-through"}, marks
    assert marks[1] and set(marks[1]) == {"underline"}, marks


# --- What a screen reader gets ----------------------------------------------------------------


def ax_nodes(page) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    return [n for n in nodes if not n.get("ignored")]


def ax(node, key):
    if key in ("role", "name", "description"):
        return (node.get(key) or {}).get("value")
    return next((p["value"].get("value") for p in node.get("properties", []) if p["name"] == key), None)


def test_every_banner_control_has_role_name_and_state(open_page):
    """4.1.2 Name, Role, Value, 1.3.1 Info and Relationships and 2.5.3 Label in Name, through the
    accessibility tree a screen reader gets: the banner is a region named by its title; each
    button is named by its visible text; each check box by its label, with its purpose as its
    description, its state (checked, disabled) and its changes; the footer control that opens the
    preferences is a button; after a choice, the status line says it was saved."""
    page = open_page("/", *DESKTOP)
    banner = page.locator("#consent").aria_snapshot()
    assert banner.startswith(
        '- region "Cookies op deze website":\n  - heading "Cookies op deze website" [level=2]'
    )
    for label in ("Alles accepteren", "Alles weigeren", "Instellingen"):
        assert f'- button "{label}"' in banner
        assert page.get_by_role("button", name=label, exact=True).inner_text() == label  # visible text = name
    page.click(PREFERENCES)
    prefs = page.locator("#consent").aria_snapshot()
    assert prefs.startswith('- region "Cookie-instellingen":\n  - heading "Cookie-instellingen" [level=2]')
    assert '- checkbox "Noodzakelijk" [checked] [disabled]' in prefs
    assert re.search(r'- checkbox "Analyse \(Google Analytics\)"\n', prefs)
    assert '- button "Keuze opslaan"' in prefs
    boxes = {ax(n, "name"): n for n in ax_nodes(page) if ax(n, "role") == "checkbox"}
    for name, text in (
        ("Noodzakelijk", "Nodig om uw cookiekeuze"),
        ("Analyse (Google Analytics)", "Meet hoe bezoekers"),
    ):
        assert (ax(boxes[name], "description") or "").startswith(text), (name, boxes[name])
    assert ax(boxes["Noodzakelijk"], "disabled") is True and ax(boxes["Noodzakelijk"], "checked") == "true"
    assert ax(boxes["Analyse (Google Analytics)"], "checked") == "false"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press(" ")
    assert '- checkbox "Analyse (Google Analytics)" [checked]' in page.locator("#consent").aria_snapshot()
    page.click(SAVE)
    assert page.locator("#consent-status").aria_snapshot().startswith("- status: Uw keuze is opgeslagen.")
    footer = page.locator(".md-copyright").aria_snapshot()
    assert '- button "Cookie-instellingen"' in footer, footer
    page.locator(OPEN).focus()
    page.keyboard.press(" ")  # a button answers Space as well as Enter
    assert page.locator(SAVE).is_visible()
    assert page.evaluate("document.activeElement.id") == "consent-preferences-title"


def test_the_footer_control_is_a_link_without_javascript(new_visitor, published):
    """Progressive enhancement of the same control: without JavaScript it is a plain link to the
    cookie declaration (role link), so it never claims to be a button that does nothing."""
    page = new_visitor(url=published["url"], java_script_enabled=False).goto("/")
    assert '- link "Cookie-instellingen"' in page.locator(".md-copyright").aria_snapshot()


def test_the_redline_tells_deletions_and_insertions_to_assistive_technology(open_page, published):
    """1.3.1 Info and Relationships: the words a version deleted and inserted are exposed as
    deletions and insertions, not only struck through and underlined."""
    page = open_page(published["types"]["redline"], *DESKTOP, "closed")
    roles = {ax(n, "role") for n in ax_nodes(page)}
    assert {"deletion", "insertion"} <= roles, roles


def test_the_search_result_count_is_a_status_message(open_page):
    """4.1.3 Status Messages: Material's search says how many pages match ("2 overeenkomende
    documenten") in a status region, so a screen reader reads it out while focus stays in the
    search field."""
    page = open_page("/", *DESKTOP, "closed")
    page.click("input.md-search__input")
    page.keyboard.type("cookies")
    status = page.get_by_role("status").filter(has_text="overeenkomend")
    status.wait_for()
    assert re.fullmatch(r"\d+ overeenkomende documenten", status.inner_text().strip())
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")


# --- Keyboard: shortcuts, the language list, skipping -----------------------------------------


def test_no_single_character_key_does_anything(open_page):
    """2.1.4 Character Key Shortcuts: Material's one-key shortcuts (f, s and / open the search; n, p,
    . and , turn the page) are off; typing in the search field still searches."""
    page = open_page("/", *DESKTOP, "closed")
    start = page.url
    for key in ["f", "s", "/", "n", "p", ".", ","]:
        page.evaluate("document.activeElement.blur()")
        page.keyboard.press(key)
        page.wait_for_timeout(150)  # Material's page turn would navigate by now
        assert page.url == start, key
        assert not page.evaluate("document.getElementById('__search').checked"), key
        assert page.evaluate("document.activeElement === document.body"), key
    page.click("input.md-search__input")
    page.keyboard.type("privacy")
    page.locator(".md-search-result__item").first.wait_for()


LIST_SHOWN = "() => getComputedStyle(document.querySelector('.md-select__inner')).opacity === '1'"


def test_the_language_list_opened_by_hover_or_focus_closes_with_escape(open_page):
    """1.4.13 Content on Hover or Focus: the language list that covers the page when the pointer
    rests on its button, or focus is on it, can be dismissed with Escape without moving the
    pointer (with focus, Escape returns focus to the button); the pointer can move onto the list
    and it stays while it is hovered or focused."""
    page = open_page("/", *DESKTOP, "closed", fresh=True)
    page.hover(".md-select button")
    page.wait_for_function(LIST_SHOWN)
    page.hover(".md-select__link >> nth=2")  # hoverable: onto the list without it closing
    assert page.evaluate(LIST_SHOWN)
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({LIST_SHOWN})()")
    page.mouse.move(10, 500)
    page.hover(".md-select button")  # back again: it opens again
    page.wait_for_function(LIST_SHOWN)
    page.mouse.move(10, 500)
    page.focus(".md-select button")
    page.keyboard.press("Tab")
    page.wait_for_function(LIST_SHOWN)
    assert page.evaluate("document.activeElement.matches('.md-select__link')")
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => !({LIST_SHOWN})()")
    assert page.evaluate("document.activeElement.matches('.md-select button')")
    page.keyboard.press("Tab")  # and back into the list: it shows again
    page.wait_for_function(LIST_SHOWN)


def test_the_menu_on_a_phone_and_at_200_percent_zoom_works_with_the_keyboard(open_page):
    """2.1.1 Keyboard, 2.4.7 Focus Visible, 4.1.2 Name, Role, Value: below 76.25em (a phone, 200 %
    zoom of a 1280 px screen) Material's navigation is a drawer. Closed, none of its links is a tab
    stop (they would take an invisible focus); its menu button is a button in the Tab order with a
    name and aria-expanded, Space and Enter open it and focus goes in; the button for the page's
    table of contents opens that panel the same way, with focus on the panel's own button back;
    Escape closes the drawer and focus returns to the menu button."""
    for width, height in (PHONE, (640, 400)):
        page = open_page("/", width, height, "closed", reduced_motion="reduce")
        links = page.locator(".md-sidebar--primary a[href]")
        assert links.count() > 3
        assert (
            links.evaluate_all("els => els.filter((el) => el.checkVisibility({visibilityProperty: true}))")
            == []
        )
        menu = page.get_by_role("button", name="Navigatie", exact=True)
        assert menu.get_attribute("aria-expanded") == "false"
        page.locator(".md-skip").focus()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.matches('.md-header [for=__drawer]')"), (
            width,
            height,
        )
        page.keyboard.press(" ")
        assert menu.get_attribute("aria-expanded") == "true"
        assert page.evaluate("!!document.activeElement.closest('.md-sidebar--primary')")
        assert page.evaluate(FOCUSED)["visible"]
        toc = page.get_by_role("button", name="Privacybeleid", exact=True)
        assert toc.get_attribute("aria-expanded") == "false"
        toc.focus()
        page.keyboard.press("Enter")
        back = page.get_by_role("button", name="Inhoudsopgave", exact=True)
        assert back.get_attribute("aria-expanded") == "true"
        assert page.evaluate("document.activeElement.matches('.md-nav__title')")
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["visible"] and focused["name"].startswith('a "1.'), focused
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.matches('.md-header [for=__drawer]')")
        page.keyboard.press("Enter")  # Material's own Enter on the button opens it too
        assert menu.get_attribute("aria-expanded") == "true"
        page.keyboard.press("Escape")


def test_the_skip_link_comes_first_and_leads_past_banner_and_header(open_page, published):
    """2.4.1 Bypass Blocks: on every page type the first Tab reaches Material's skip link, which
    takes focus past the banner, header and navigation to the page's heading; every page has a
    main landmark and one h1 (the 404 page has no table of contents, so no skip link: the
    landmark and heading serve)."""
    for name, path in page_types(published):
        page = open_page(path, *DESKTOP)
        assert page.locator("main").count() == 1 and page.locator("main h1").count() == 1, name
        page.keyboard.press("Tab")
        first = page.evaluate("document.activeElement.classList.contains('md-skip')")
        if name == "404":
            assert page.locator(".md-skip").count() == 0, name
        else:
            assert first, name
            page.keyboard.press("Enter")
            page.keyboard.press("Tab")
            inside = page.evaluate(
                "!!document.activeElement.closest('main') && !document.activeElement.closest('#consent')"
            )
            assert inside, name


# --- Titles, languages, consistency (every page of the build) ---------------------------------


def language_of(path: str) -> str:
    return path.split("/")[1] if path.split("/")[1] in ("en", "de") else "nl"


@pytest.fixture(scope="module")
def every_page(browser, published_site):
    """What each built page shows: title, h1, lang attributes, navigation, banner and footer."""
    published = site_under_test(published_site)
    with page_opener(browser, published) as open_page:
        return what_each_page_shows(open_page("/", *DESKTOP), published)


def what_each_page_shows(page, published) -> dict:
    found = {}
    for path in published["paths"]:
        page.goto(published["url"] + path)
        found[path] = page.evaluate(
            """() => ({
              title: document.title, lang: document.documentElement.lang,
              h1: document.querySelector('main h1').textContent.replace('¶', '').trim(),
              switcher: [...document.querySelectorAll('.md-select__item')].map((li) => [li.lang, li.querySelector('a').hreflang, li.textContent.trim()]),
              nav: [...document.querySelectorAll('.md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link')].map((a) => a.textContent.trim()),
              header: [...document.querySelectorAll('.md-header [aria-label], .md-header input')].map((el) => el.getAttribute('aria-label')),
              banner: [...document.querySelectorAll('#consent button')].map((b) => b.textContent.trim()),
              footer: [...document.querySelectorAll('.md-copyright > *')].map((el) => el.textContent.trim()),
              order: [...document.querySelectorAll('.md-header, main, .md-copyright__highlight, .consent-open')].map((el) => el.className.split(' ')[0] || el.tagName),
              foreign: [...document.querySelectorAll('main [lang]')].map((el) => el.lang),
            })"""
        )
    return found


def test_every_page_has_a_title_of_its_own(every_page):
    """2.4.2 Page Titled: every page's title names the page (its heading) and the site, and no two
    pages share a title (the 404 pages too: "Pagina niet gevonden - Maestro Laser Clinics")."""
    titles = [p["title"] for p in every_page.values()]
    assert len(set(titles)) == len(titles), titles
    for path, p in every_page.items():
        assert p["title"].startswith(p["h1"]) and p["title"].endswith(" - Maestro Laser Clinics"), (path, p)


def test_every_page_and_every_other_language_in_it_is_marked(every_page):
    """3.1.1 Language of Page and 3.1.2 Language of Parts: each page says its language; each
    language in the switcher is named in itself and marked so ("Deutsch" is German on the Dutch
    page); Dutch text on English and German pages (summaries of versions) is marked Dutch."""
    for path, p in every_page.items():
        assert p["lang"] == language_of(path), path
        assert [lang for lang, _, _ in p["switcher"]] == ["nl", "en", "de"], (path, p["switcher"])
        assert all(lang == hreflang for lang, hreflang, _ in p["switcher"]), path
    assert "nl" in every_page["/en/versies/"]["foreign"] and "nl" in every_page["/de/versies/"]["foreign"]


def test_navigation_controls_and_help_are_the_same_on_every_page_of_a_language(every_page):
    """3.2.3 Consistent Navigation, 3.2.4 Consistent Identification, 3.2.6 Consistent Help and
    2.4.5 Multiple Ways: on every page of a language the navigation lists the same pages in the
    same order beside the search field, the banner's buttons and the footer's
    "Cookie-instellingen" have the same names, and the footer with the clinic's address comes in
    the same place, after the content."""
    for lang in ("nl", "en", "de"):
        pages = {path: p for path, p in every_page.items() if language_of(path) == lang}
        for key in ("nav", "header", "banner", "footer", "order"):
            values = {tuple(p[key]) for p in pages.values()}
            assert len(values) == 1, (lang, key, values)
        sample = next(iter(pages.values()))
        assert len(sample["nav"]) == 3 and sample["banner"] and len(sample["footer"]) == 2, sample
        assert sample["order"] == ["md-header", "md-main", "md-copyright__highlight", "consent-open"], sample[
            "order"
        ]
        assert any("Maestro Laser Clinics B.V." in text for text in sample["footer"])


def test_the_history_reaches_every_archived_version_and_redline(open_page, published):
    """2.4.5 Multiple Ways: archived versions and redlines are not in the navigation or the search,
    so the history lists them all, and each policy text links to its previous version."""
    page = open_page(published["types"]["history"], *DESKTOP, "closed")
    linked = set(
        page.eval_on_selector_all(".policy-history a", "as => as.map(a => new URL(a.href).pathname)")
    )
    archived = {p for p in published["paths"] if re.fullmatch(r"/versies/[\d.]+/(wijzigingen/)?", p)}
    assert archived and archived <= linked, (archived, linked)
    page.goto(published["url"] + "/")
    assert page.get_by_role("link", name=re.compile(r"^Vorige versie")).count() == 1


# --- Colour, pointer and input ----------------------------------------------------------------


def test_links_and_states_are_not_told_by_colour_alone(open_page, published):
    """1.4.1 Use of Color: every link in running text is underlined on every page type (the
    banner's too), the redline strikes through and underlines, and the current page in the
    navigation is bold as well as coloured."""
    for name, path in page_types(published, "/en/"):
        page = open_page(path, *DESKTOP)
        plain = page.evaluate(
            """() => [...document.querySelectorAll('main p a, main li a, main address a, #consent .consent-text a')]
                 .filter((a) => !a.matches('.headerlink') && !a.closest('nav') && a.checkVisibility())
                 .filter((a) => !getComputedStyle(a).textDecorationLine.includes('underline')).map((a) => a.textContent.trim())"""
        )
        assert plain == [], (name, plain)
        weight = page.evaluate(
            "(() => { const a = document.querySelector('.md-nav--primary .md-nav__link--active'); return a && getComputedStyle(a).fontWeight; })()"
        )
        if name in ("policy", "cookies", "history", "/en/"):  # the pages in the navigation
            assert int(weight) >= 700, (name, weight)


def test_buttons_and_check_boxes_stand_out_from_the_banner(open_page):
    """1.4.11 Non-text Contrast: accept and reject are filled, "Instellingen" is outlined, each
    with at least 3:1 against the banner; the check boxes keep the browser's own look (the
    appearance the user agent determines, which the criterion leaves to it)."""
    page = open_page("/", *DESKTOP)
    found = page.evaluate(
        """() => {
          const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
          const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
          const contrast = (a, b) => { const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
          const bg = getComputedStyle(document.getElementById('consent')).backgroundColor;
          const boxes = [...document.querySelectorAll('#consent input[type=checkbox]')].map((b) => getComputedStyle(b).appearance);
          return {bg, boxes, buttons: [...document.querySelectorAll('[data-consent-view=banner] button')].map((b) => {
            const s = getComputedStyle(b), fill = s.backgroundColor !== 'rgba(0, 0, 0, 0)';
            return [b.textContent.trim(), fill ? contrast(s.backgroundColor, bg) : contrast(s.borderTopColor, bg), fill]; })};
        }"""
    )
    assert [(name, filled) for name, _, filled in found["buttons"]] == [
        ("Alles accepteren", True), ("Alles weigeren", True), ("Instellingen", False)
    ]  # fmt: skip
    assert all(ratio >= 3 for _, ratio, _ in found["buttons"]), found
    assert found["boxes"] == ["auto", "auto"], found


TEXT_CONTRAST = """() => {
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {  // the nearest opaque background, within the banner
    for (let n = el; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor); if (c[3] >= 1) return c; }
    return [255, 255, 255, 1];
  };
  const found = [];
  const walker = document.createTreeWalker(document.getElementById('consent'), NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode(); t; t = walker.nextNode()) {
    const el = t.parentElement;
    if (!t.textContent.trim() || !el.checkVisibility()) continue;
    const s = getComputedStyle(el), bg = background(el), fg = over(rgba(s.color), bg);
    found.push([t.textContent.trim().slice(0, 30), Math.round(contrast(fg, bg) * 100) / 100, parseFloat(s.fontSize), s.fontWeight]);
  }
  return found;
}"""


def test_banner_text_has_contrast_where_axe_cannot_tell(open_page):
    """1.4.3 Contrast (Minimum): axe reports the banner's texts as "incomplete" (the fixed banner
    overlaps the page, so it cannot find their background); measured here, every text of the
    banner and the preferences has at least 4.5:1 against the banner."""
    for view in ("banner", "preferences"):
        page = open_page("/", *DESKTOP, view)
        texts = page.evaluate(TEXT_CONTRAST)
        assert len(texts) >= 5, texts
        low = [t for t in texts if t[1] < 4.5]
        assert low == [], (view, low)


HOVERED = """(el) => {
  const rgba = (c) => { const m = c.match(/[\\d.]+/g).map(Number); return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1]; };
  const over = (top, under) => top.slice(0, 3).map((v, i) => v * top[3] + under[i] * (1 - top[3]));
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const layers = [];  // the backgrounds under the text, composited as painted
  for (let n = el; n; n = n.parentElement) {
    const c = rgba(getComputedStyle(n).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  const bg = layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
  const fg = over(rgba(getComputedStyle(el).color), bg), [x, y] = [lum(fg), lum(bg)].sort((p, q) => q - p);
  return Math.round((x + 0.05) / (y + 0.05) * 100) / 100;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hovered_links_and_buttons_keep_their_text_contrast(open_page, scheme):
    """1.4.3 Contrast (Minimum) in the hovered state: Material colours a hovered link, navigation
    or table-of-contents item with its accent, which was 4.3:1 on white; every one, and the
    banner's, keeps 4.5:1 under the pointer (desktop, and the phone's menu), in either scheme."""

    def hover_all(page, selector, before=None):
        items, checked = page.locator(selector), 0
        for i in range(items.count()):
            item = items.nth(i)
            if before:
                page.hover(before)
            if not item.is_visible():
                continue
            item.hover()
            ratio = item.evaluate(HOVERED)
            assert ratio >= 4.5, (selector, item.inner_text().strip(), ratio)
            checked += 1
        return checked

    banner = open_page("/", *DESKTOP, fresh=True, color_scheme=scheme)
    assert hover_all(banner, "#consent a, #consent button") == 4
    page = open_page("/", *DESKTOP, "closed", fresh=True, color_scheme=scheme)
    assert hover_all(page, ".md-sidebar a.md-nav__link, main article p a, .md-copyright a") >= 15
    assert hover_all(page, ".md-select__link", before=".md-select button") == 3
    phone = open_page("/", *PHONE, "closed", fresh=True, color_scheme=scheme)
    phone.click('.md-header [for="__drawer"]')
    assert hover_all(phone, ".md-sidebar--primary .md-nav__link") >= 3
    phone.click('.md-nav--primary button.md-nav__link[for="__toc"]')
    assert (
        hover_all(phone, ".md-sidebar--primary .md-nav__title, .md-sidebar--primary .md-nav--secondary a")
        >= 10
    )


def test_a_choice_happens_on_release_and_can_be_cancelled_by_moving_away(open_page):
    """2.5.2 Pointer Cancellation: pressing on "Alles accepteren" and moving off before releasing
    chooses nothing; a press and release on it chooses."""
    page = open_page("/", *PHONE, fresh=True)
    box = page.locator(ACCEPT).bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    assert page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") is None  # nothing on the down event
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 200)
    page.mouse.up()
    assert (
        page.locator("#consent").is_visible()
        and page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") is None
    )
    page.click(ACCEPT)
    assert not page.locator("#consent").is_visible()


def test_ticking_a_box_changes_nothing_until_the_choice_is_saved(open_page):
    """3.2.2 On Input: ticking or unticking the analytics box stores nothing, loads nothing, moves
    no focus and closes nothing; only "Keuze opslaan" does."""
    page = open_page("/", *DESKTOP, "preferences", fresh=True)
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.focus(ANALYTICS_BOX)
    for _ in range(3):
        page.keyboard.press(" ")
        assert page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") is None
        assert page.locator(SAVE).is_visible()
        assert page.evaluate("document.activeElement.dataset.consentCategory") == "analytics"
    assert requests == []
    page.click(SAVE)
    assert page.evaluate(f"localStorage.getItem({STORAGE_KEY!r})") is not None
