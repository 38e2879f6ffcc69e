"""The banner's public DOM contract (README, "Public contract of the banner"): the selectors that
scripts, the audit and the tests may rely on. ``partials/consent.html`` renders them."""

BANNER = "#consent"
ACCEPT = '[data-consent-action="accept-all"]'
REJECT = '[data-consent-action="reject-all"]'
PREFERENCES = '[data-consent-action="preferences"]'
SAVE = '[data-consent-action="save"]'
OPEN = '[data-consent-action="open"]'  # the footer control on every page
CATEGORY_BOXES = "input[type=checkbox][data-consent-category]"


def category_box(category: str) -> str:
    return f'input[type=checkbox][data-consent-category="{category}"]'


def gated(category: str) -> str:
    """Scripts that wait for ``category``."""
    return f'script[type="text/plain"][data-consent-category="{category}"]'
