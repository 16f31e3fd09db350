"""The browser page of `wargame viz`, driven in a real headless Chromium with no internet.

A real `wargame viz` server on a free loopback port, Debian's Chromium through
pytest-playwright. Every request the page makes to anything but that server is refused,
so a page that still needs a CDN fails here. Screenshots after ten days of the Baltic
scenario and after three rounds of the reform negotiation are saved to test-artifacts/.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from viz_helpers import REPO, viz_server, write_sweep

from wargame.model import CrisisModel
from wargame.outcomes import OUTCOME_NAMES
from wargame.scenario import load_scenario

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts"
LOAD_TIMEOUT = 30_000  # ms: the page is ready in 3-4 s on two cores
STEP_TIMEOUT = 15_000
STEPPED_DAYS = 10


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium (never skipped)")
    return {
        "executable_path": str(CHROMIUM),
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args() -> dict:
    return {"viewport": {"width": 1280, "height": 800}}


def lasting_seed(days: int, at_most: int = 30) -> int:
    """The first seed whose Baltic crisis lasts more than `days` days and at most `at_most`.

    Many end within a week (a fast defeat, or a deterrence) and the stepping test needs ten
    days; some run for months (a fallen capital fought over), and playing to the end must
    finish within its timeout at about two seconds a day on a CI machine."""
    parameters = load_scenario("baltic").parameters
    return next(seed for seed in range(1, 1000) if days < CrisisModel(
        **parameters, rng=seed, collect_series=False, keep_log=False).run().day <= at_most)


@pytest.fixture(scope="module")
def baltic(tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("viz") / "server.log"
    with viz_server("baltic", "--seed", str(lasting_seed(STEPPED_DAYS + 1)), log=log) as url:
        yield url
    assert "Could not load URL" not in log.read_text(), "the server went to the CDN"


class Offline:
    """Refuses every request that does not go to the local server, and records failures."""

    def __init__(self, page: Page, url: str) -> None:
        self.refused: list[str] = []
        self.failed: list[str] = []
        page.route(re.compile(r"^(?!" + re.escape(url.rstrip("/")) + ")"), self._refuse)
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))

    def _refuse(self, route) -> None:
        self.refused.append(route.request.url)
        route.abort()


def open_page(page: Page, url: str) -> Offline:
    offline = Offline(page, url)
    page.goto(url)
    expect(page.locator(".wg-headline")).to_contain_text("Day 0 of", timeout=LOAD_TIMEOUT)
    return offline


def step(page: Page, day: int) -> None:
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator(".wg-headline")).to_contain_text(f"Day {day} of", timeout=STEP_TIMEOUT)


def figures(page: Page):
    return page.locator(".wg-panel img")


def test_page_loads_with_no_internet(page: Page, baltic: str) -> None:
    offline = open_page(page, baltic)
    expect(page.get_by_text("Art. 42.7 crisis wargame")).to_be_visible()
    expect(figures(page)).to_have_count(3, timeout=LOAD_TIMEOUT)  # map, forces, pledges
    for image in figures(page).all():
        expect(image).to_have_attribute("src", re.compile("^(blob|data):"))
    expect(page.locator(".wg-origin")).to_contain_text("scenario baltic, target Estonia")
    expect(page.locator(".wg-event").first).to_contain_text("day 0: Estonia is attacked")
    assert offline.refused == [] and offline.failed == []


def test_stepping_advances_the_day_the_log_and_the_plots(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    before = [image.get_attribute("src") for image in figures(page).all()]
    events_before = page.locator(".wg-event").count()
    for day in range(1, STEPPED_DAYS + 1):
        step(page, day)
    expect(page.locator(".wg-event").first).to_contain_text(re.compile(r"^day (9|10):"))
    assert page.locator(".wg-event").count() > events_before
    after = [image.get_attribute("src") for image in figures(page).all()]
    assert all(a != b for a, b in zip(after, before, strict=True)), "a figure did not redraw"
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # let the last figures paint
    page.screenshot(path=ARTIFACTS / "viz-baltic-day10.png")


def test_a_moved_slider_takes_effect_on_reset(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    origin = page.locator(".wg-origin")
    expect(origin).to_contain_text("attack_troops 75,000")
    slider = page.locator(".v-input", has_text="Troops the adversary commits").get_by_role(
        "slider")
    slider.focus()
    for _ in range(10):  # by the thousand
        slider.press("ArrowRight")
    expect(origin).to_contain_text("attack_troops 75,000")  # not before Reset
    step(page, 1)
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator(".wg-headline")).to_contain_text("Day 0 of", timeout=STEP_TIMEOUT)
    expect(origin).to_contain_text("attack_troops 85,000")
    step(page, 1)


def test_sliders_show_their_value_and_domain_label_and_mesa_internals_are_hidden(
        page: Page, baltic: str) -> None:
    open_page(page, baltic)
    control = page.locator(".v-input", has_text="Troops the adversary commits")
    expect(control).to_contain_text("Troops the adversary commits to the attack (troops): "
                                    "75,000")
    control.get_by_role("slider").focus()
    control.get_by_role("slider").press("ArrowRight")
    expect(control).to_contain_text(": 76,000")  # the value moves with the thumb
    expect(page.locator(".v-input", has_text="US commitment (share 0–1): 0.50")).to_be_visible()
    for internal in ("Use Threads", "Render Interval", "Play Interval", "Page 0"):
        expect(page.get_by_text(internal, exact=False)).to_have_count(0)
    expect(page.get_by_role("tab")).to_have_count(0)
    expect(page.get_by_text("runs on Solara")).to_have_count(0)  # the badge over the fund


def test_clicks_made_while_a_step_draws_are_all_stepped(page: Page, baltic: str) -> None:
    """Five clicks in a row, none waiting for the page: five days, none lost."""
    open_page(page, baltic)
    button = page.get_by_role("button", name="Step", exact=True)
    for _ in range(5):
        button.click()
    expect(page.locator(".wg-headline")).to_contain_text("Day 5 of", timeout=STEP_TIMEOUT)
    page.wait_for_timeout(1500)  # and no more than five
    expect(page.locator(".wg-headline")).to_contain_text("Day 5 of")


def test_a_typed_seed_takes_effect_on_reset(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    seed = page.locator(".v-input", has_text="Seed (integer").locator("input")
    seed.fill("5")
    seed.press("Enter")
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(page.locator(".wg-origin")).to_contain_text("seed 5", timeout=STEP_TIMEOUT)


def test_each_tab_has_its_own_run(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    step(page, 1)
    other = page.context.new_page()
    open_page(other, baltic)  # at day 0, not day 1
    step(other, 1)
    step(page, 2)


def test_another_scenario_is_loaded_on_reset(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    page.locator(".v-input", has_text="Scenario (Reset loads it)").click()
    page.get_by_role("option", name="poland", exact=True).click()
    page.get_by_role("button", name="Reset", exact=True).click()
    origin = page.locator(".wg-origin")
    expect(origin).to_contain_text("scenario poland, target Poland", timeout=STEP_TIMEOUT)
    # The controls now show Poland's values.
    expect(page.locator(".v-input", has_text="Attacked state")).to_contain_text("Poland")
    step(page, 1)


def test_playing_to_the_end_shows_the_outcome(page: Page, baltic: str) -> None:
    open_page(page, baltic)
    page.get_by_role("button", name="▶", exact=True).click()
    headline = page.locator(".wg-headline")
    expect(headline).to_contain_text("outcome", timeout=90_000)
    ended = "|".join(name.upper() for name in OUTCOME_NAMES)
    expect(headline).to_contain_text(re.compile(ended))
    expect(page.locator(".wg-log")).to_contain_text(re.compile(
        "is deterred|is repelled|freezes the front|is defeated|window closes"))
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "viz-baltic-outcome.png")


def test_a_sweep_run_opens_with_its_parameters_and_seed(page: Page, tmp_path: Path) -> None:
    _, seed = write_sweep(tmp_path / "sweep", run_id=7, us_commitment=0.8,
                          attack_troops=50_000)
    with viz_server("--sweep", str(tmp_path / "sweep"), "--run", "7",
                    log=tmp_path / "server.log") as url:
        open_page(page, url)
        origin = page.locator(".wg-origin")
        expect(origin).to_contain_text("sweep run 7")
        expect(origin).to_contain_text(f"seed {seed}")
        expect(origin).to_contain_text("us_commitment 0.80")
        expect(origin).to_contain_text("attack_troops 50,000")
        step(page, 1)


# --- `wargame viz --reform`: the negotiation, round by round ------------------------------

@pytest.fixture(scope="module")
def negotiation(tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("viz") / "server.log"
    with viz_server("--reform", "--seed", "1", log=log) as url:
        yield url
    assert "Could not load URL" not in log.read_text(), "the server went to the CDN"


def open_negotiation(page: Page, url: str) -> Offline:
    offline = Offline(page, url)
    page.goto(url)
    expect(page.locator(".wg-headline")).to_contain_text("Round 0 of 24", timeout=LOAD_TIMEOUT)
    return offline


def test_the_negotiation_steps_round_by_round_with_who_moved_and_why(
        page: Page, negotiation: str) -> None:
    offline = open_negotiation(page, negotiation)
    expect(page.get_by_text("Art. 12 reform negotiation")).to_be_visible()
    expect(figures(page)).to_have_count(2, timeout=LOAD_TIMEOUT)  # the map, yes and money
    expect(page.locator(".wg-package")).to_contain_text("inclusiveness 0.50")
    expect(page.locator(".v-input", has_text="EU money to bring non-EU allies and holdouts in")
           ).to_contain_text("(EUR bn): 25")
    maps_before = figures(page).first.get_attribute("src")
    for round_ in (1, 2, 3):
        page.get_by_role("button", name="Step", exact=True).click()
        expect(page.locator(".wg-headline")).to_contain_text(f"Round {round_} of 24",
                                                             timeout=STEP_TIMEOUT)
    expect(page.locator(".wg-headline")).to_contain_text("holdouts")
    newest = page.locator(".wg-event").first
    expect(newest).to_contain_text(re.compile(r"^Round 3: "))
    # Every answer is logged with its utility and the reason read from what decided it.
    expect(page.locator(".wg-log")).to_contain_text(re.compile(
        r"Round \d: [A-Z][a-z]+.* says (yes|no) \(utility [+-]\d\.\d\d\): "))
    expect(figures(page).first).not_to_have_attribute("src", maps_before)
    assert offline.refused == [] and offline.failed == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(500)  # let the last figures paint
    page.screenshot(path=ARTIFACTS / "viz-reform-round3.png")


def test_playing_the_negotiation_to_the_end_shows_adoption(page: Page, negotiation: str) -> None:
    open_negotiation(page, negotiation)
    page.get_by_role("button", name="▶", exact=True).click()
    # Seed 1 at the defaults: all agree, and the treaty change goes to ratification.
    expect(page.locator(".wg-headline")).to_contain_text(re.compile(
        r"(ADOPTED, all 36|RATIFICATION FAILS|BLOCKED)"), timeout=60_000)
    expect(page.locator(".wg-event").first).to_contain_text(re.compile(
        r"(ratified by every state|ratification fails|deadline: blocked)"))


def test_a_moved_lever_changes_the_negotiation_on_reset(page: Page, negotiation: str) -> None:
    open_negotiation(page, negotiation)
    package = page.locator(".wg-package")
    expect(package).to_contain_text("inclusiveness 0.50")
    slider = page.locator(".v-input", has_text="Decision rights of non-EU allies").get_by_role(
        "slider")
    slider.focus()
    for _ in range(2):
        slider.press("ArrowRight")
    expect(package).to_contain_text("inclusiveness 0.50")  # not before Reset
    page.get_by_role("button", name="Reset", exact=True).click()
    expect(package).to_contain_text("inclusiveness 0.60", timeout=STEP_TIMEOUT)
    expect(page.locator(".wg-origin")).to_contain_text("seed 1; inclusiveness 0.60")
    page.get_by_role("button", name="Step", exact=True).click()
    expect(page.locator(".wg-headline")).to_contain_text("Round 1 of 24", timeout=STEP_TIMEOUT)
