"""The governance regimes, declared once: names, labels and what each does.

A regime is the value of the input `governance` (docs/MODEL.md §3.3). What it does is
said by five flags, which the mechanisms read instead of comparing names
(`wargame.governance`: treaty bonds, the US channel, theatre command, the rapid-reaction
force's lead; `wargame.levers`: which levers a sweep leaves dead; the EMA model; the crisis
set-up):

- `nato_treaty`: Art. 5 binds the NATO allies towards a NATO target;
- `us_channel`: how US commitment reaches a NATO target ("art5", "cooperation" or
  "bilateral"; a non-NATO target is always reached bilaterally);
- `command`: who commands in the theatre: "nato" (NATO's integrated command, a US
  SACEUR), "european_saceur" (NATO's command under a European SACEUR) or "eu" (the EU's
  own, MPCC-like: `command_integration`);
- `leader`: who leads the alliance, "US" or "EU" (under an EU-led NATO the non-EU allies
  are bound only as far as they are included);
- `two_stage`: the Art. 12 negotiation runs first and decides which regime the crisis runs
  under (docs/MODEL.md §3.12). Its other flags are those of the arrangement it starts
  from, today's, which a blocked reform keeps.

`label` names the regime in legends, tables and captions; `short` is the two-line version
that fits under a bar. Adding a regime is one entry in `REGIMES`, with the flags that say
what it does. This module imports nothing: the command line reads it without the model.
"""

from __future__ import annotations

from dataclasses import dataclass

US_CHANNELS = ("art5", "cooperation", "bilateral")
COMMANDS = ("nato", "european_saceur", "eu")
LEADERS = ("US", "EU")


@dataclass(frozen=True)
class Regime:
    """One governance regime: its name, its labels and the flags that say what it does."""

    name: str
    label: str
    short: str
    nato_treaty: bool
    us_channel: str
    command: str
    leader: str
    two_stage: bool = False

    def __post_init__(self) -> None:
        if (self.us_channel not in US_CHANNELS or self.command not in COMMANDS
                or self.leader not in LEADERS):
            raise ValueError(f"regime {self.name}: us_channel {self.us_channel!r} (one of "
                             f"{US_CHANNELS}), command {self.command!r} (one of {COMMANDS}), "
                             f"leader {self.leader!r} (one of {LEADERS})")

    @property
    def nato_command(self) -> bool:
        """NATO's integrated command (under a US or a European SACEUR) serves a NATO target."""
        return self.command != "eu"


REGIMES: dict[str, Regime] = {r.name: r for r in (
    Regime("nato_us_led", "NATO, US-led (today)", "Today:\nNATO US-led",
           nato_treaty=True, us_channel="art5", command="nato", leader="US"),
    Regime("art427_only", "Art. 42.7 only (no Art. 5; US bilateral)", "Art. 42.7\nonly",
           nato_treaty=False, us_channel="bilateral", command="eu", leader="EU"),
    Regime("eu_led_nato", "NATO under EU leadership", "EU-led NATO\n(assumed)",
           nato_treaty=True, us_channel="cooperation", command="european_saceur",
           leader="EU"),
    Regime("reform", "Art. 12 reform negotiated first", "Two-stage:\nreform first",
           nato_treaty=True, us_channel="art5", command="nato", leader="US", two_stage=True),
)}

#: The values of the input `governance`, in reading order.
NAMES: tuple[str, ...] = tuple(REGIMES)
#: The regimes a crisis runs under as they are (every one but a two-stage run's).
CRISIS_REGIMES: tuple[str, ...] = tuple(name for name, r in REGIMES.items() if not r.two_stage)
#: The regimes whose runs negotiate first (their negotiations are a two-stage sweep's).
TWO_STAGE_REGIMES: tuple[str, ...] = tuple(name for name, r in REGIMES.items() if r.two_stage)
